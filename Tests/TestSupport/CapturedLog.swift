import Logging
import Synchronization

/// Collects log messages so tests can check that a fault was named.
public final class CapturedLog: @unchecked Sendable {
    public let lines = Mutex<[String]>([])
    public var all: [String] { lines.withLock { $0 } }

    public init() {}

    public func logger(level: Logger.Level = .info) -> Logger {
        var l = Logger(label: "ring-test") { _ in Handler(sink: self) }
        l.logLevel = level
        return l
    }

    public struct Handler: LogHandler {
        let sink: CapturedLog
        public var logLevel: Logger.Level = .trace
        public var metadata: Logger.Metadata = [:]
        public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }
        public func log(
            level: Logger.Level, message: Logger.Message, metadata: Logger.Metadata?, source: String, file: String,
            function: String, line: UInt
        ) {
            sink.lines.withLock { $0.append("\(level) \(message)") }
        }
    }
}
