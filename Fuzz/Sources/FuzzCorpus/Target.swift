import Conformance
import FuzzSupport

/// The corpus file parser (`emud replay` reads files anyone may hand it).
enum FuzzTarget {
    static func run(_ bytes: [UInt8]) {
        _ = try? CorpusParser.parse(String(decoding: bytes, as: UTF8.self))
    }
}
