import FuzzSupport
import TCMUDaemon

/// tcmu.conf (`/etc/tcmu/tcmu.conf`, read by `emud serve`): the daemon's own parser (TCMUDaemon/Config).
enum FuzzTarget {
    static func run(_ bytes: [UInt8]) {
        guard let s = try? DaemonSettings(parsing: String(decoding: bytes, as: UTF8.self)) else { return }
        if let level = s.logLevel, !(0...5).contains(level) { fuzzFailure("log_level \(level) accepted") }
        if let dir = s.logDirectory, !dir.hasPrefix("/") { fuzzFailure("relative log_dir '\(dir)' accepted") }
    }
}
