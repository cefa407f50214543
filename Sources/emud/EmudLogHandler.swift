#if canImport(Glibc)
import Glibc
#endif
import Logging
import Synchronization
import SystemCalls

/// Where log lines go: stderr always, and `<log_dir>/emud.log` when a directory is set (reopened on
/// SIGHUP so logrotate can move the file away; moved when a reloaded tcmu.conf names another directory).
/// Also holds the level every `EmudLogHandler` reads, so a reloaded `log_level` applies at once.
final class LogSink: Sendable {
    private struct File {
        var path: String?
        var descriptor: Int32 = -1
    }
    private let file: Mutex<File>
    private let level: Atomic<Int>

    init(directory: String?, level: Logger.Level) {
        file = Mutex(File(path: Self.filePath(directory)))
        self.level = Atomic(Self.levels.firstIndex(of: level) ?? 2)
        reopen()
    }

    static let levels: [Logger.Level] = Logger.Level.allCases

    /// The level of every handler writing here.
    var logLevel: Logger.Level {
        get { Self.levels[level.load(ordering: .relaxed)] }
        set { level.store(Self.levels.firstIndex(of: newValue) ?? 2, ordering: .relaxed) }
    }

    var filePath: String? { file.withLock { $0.path } }

    private static func filePath(_ directory: String?) -> String? {
        directory.map { ($0.hasSuffix("/") ? $0 : $0 + "/") + "emud.log" }
    }

    /// Logs to `DIR/emud.log` from now on (nil: stderr only); a no-op when the directory is unchanged.
    func setDirectory(_ directory: String?) {
        let path = Self.filePath(directory)
        let changed = file.withLock { f in
            defer { f.path = path }
            return f.path != path
        }
        if changed { reopen() }
    }

    /// Closes and reopens the log file (append, create 0644).
    func reopen() {
        guard let filePath else {
            file.withLock { f in
                if f.descriptor >= 0 { try? Syscalls.close(f.descriptor) }
                f.descriptor = -1
            }
            return
        }
        let fd = (try? Syscalls.open(filePath, flags: O_WRONLY | O_APPEND | O_CREAT, mode: 0o644)) ?? -1
        let old = file.withLock { f in
            defer { f.descriptor = fd }
            return f.descriptor
        }
        if old >= 0 { try? Syscalls.close(old) }
        if fd < 0 { write("emud: cannot open log file \(filePath)\n", toFile: false) }
    }

    func write(_ line: String, toFile: Bool = true) {
        let bytes = Array(line.utf8)
        bytes.withUnsafeBytes { buf in
            _ = try? Syscalls.write(2, from: buf)
            if toFile {
                file.withLock { f in
                    if f.descriptor >= 0 { _ = try? Syscalls.write(f.descriptor, from: buf) }
                }
            }
        }
    }
}

/// A swift-log handler writing `time level [label] message metadata` lines to a `LogSink`.
struct EmudLogHandler: LogHandler {
    let label: String
    let sink: LogSink
    var metadata: Logger.Metadata = [:]

    /// The sink's level, shared by every handler (setting it sets theirs too).
    var logLevel: Logger.Level {
        get { sink.logLevel }
        nonmutating set { sink.logLevel = newValue }
    }

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
