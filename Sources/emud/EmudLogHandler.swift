#if canImport(Glibc)
import Glibc
#endif
import Logging
import RingIO
import Synchronization
import SystemCalls

/// Where log lines go: stderr always, and `<log_dir>/emud.log` when a directory is set (reopened on
/// SIGHUP so logrotate can move the file away).
final class LogSink: Sendable {
    let filePath: String?
    private let fileDescriptor: Mutex<Int32>

    init(directory: String?) {
        filePath = directory.map { ($0.hasSuffix("/") ? $0 : $0 + "/") + "emud.log" }
        fileDescriptor = Mutex(-1)
        reopen()
    }

    /// Closes and reopens the log file (append, create 0644).
    func reopen() {
        guard let filePath else { return }
        let fd = (try? Syscalls.open(filePath, flags: O_WRONLY | O_APPEND | O_CREAT, mode: 0o644)) ?? -1
        let old = fileDescriptor.withLock { current in
            defer { current = fd }
            return current
        }
        if old >= 0 { try? Syscalls.close(old) }
        if fd < 0 { write("emud: cannot open log file \(filePath)\n", toFile: false) }
    }

    func write(_ line: String, toFile: Bool = true) {
        let bytes = Array(line.utf8)
        bytes.withUnsafeBytes { buf in
            _ = try? Syscalls.write(2, from: buf)
            if toFile {
                fileDescriptor.withLock { fd in
                    if fd >= 0 { _ = try? Syscalls.write(fd, from: buf) }
                }
            }
        }
    }
}

/// A swift-log handler writing `time level [label] message metadata` lines to a `LogSink`.
struct EmudLogHandler: LogHandler {
    let label: String
    let sink: LogSink
    var logLevel: Logger.Level
    var metadata: Logger.Metadata = [:]

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var all = metadata
        if let extra = event.metadata { all.merge(extra) { $1 } }
        var line = "\(Self.timestamp()) \(event.level) [\(label)]"
        if let device = all.removeValue(forKey: "device") { line += " \(device):" }
        line += " \(event.message)"
        if !all.isEmpty {
            line += " " + all.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        }
        sink.write(line + "\n")
    }

    static func timestamp() -> String {
        var t = timespec()
        clock_gettime(CLOCK_REALTIME, &t)
        var tmv = tm()
        var secs = t.tv_sec
        gmtime_r(&secs, &tmv)
        func pad(_ v: Int32, _ w: Int) -> String {
            let s = String(v)
            return String(repeating: "0", count: max(0, w - s.count)) + s
        }
        return "\(tmv.tm_year + 1900)-\(pad(tmv.tm_mon + 1, 2))-\(pad(tmv.tm_mday, 2))T"
            + "\(pad(tmv.tm_hour, 2)):\(pad(tmv.tm_min, 2)):\(pad(tmv.tm_sec, 2)).\(pad(Int32(t.tv_nsec / 1_000_000), 3))Z"
    }
}
