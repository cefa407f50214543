/// Why a corpus file could not be read, with a stable code and the line it is about.
public struct CorpusError: Error, Sendable, Equatable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        let name: String
        public static let missingMagic = Code(name: "missing-magic")
        public static let unknownKey = Code(name: "unknown-key")
        public static let badHex = Code(name: "bad-hex")
        public static let badNumber = Code(name: "bad-number")
        public static let missingField = Code(name: "missing-field")
        public static let duplicateField = Code(name: "duplicate-field")
        public static let outsideExchange = Code(name: "outside-exchange")
        public static let inconsistent = Code(name: "inconsistent")
        public var description: String { name }
    }

    public let code: Code
    public let line: Int
    public let detail: String

    public init(_ code: Code, line: Int, _ detail: String) {
        self.code = code
        self.line = line
        self.detail = detail
    }

    public var description: String { "line \(line): \(code): \(detail)" }

    /// Equal when the codes and lines are (the detail text may be reworded).
    public static func == (a: CorpusError, b: CorpusError) -> Bool { a.code == b.code && a.line == b.line }
}
