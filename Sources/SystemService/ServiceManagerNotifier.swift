import CSystemd

#if canImport(Glibc)
import Glibc
#endif

/// What the daemon tells systemd (sd_notify(3)) when it runs under a `Type=notify` unit: nothing
/// happens without `$NOTIFY_SOCKET`, so it is safe to call everywhere.
public struct ServiceManagerNotifier: Sendable {
    public init() {}

    /// READY=1: netlink is connected and the existing devices are served.
    public func ready(status: String) { send("READY=1\nSTATUS=\(Self.oneLine(status))") }

    /// STATUS=: a line for `systemctl status`.
    public func status(_ text: String) { send("STATUS=\(Self.oneLine(text))") }

    /// RELOADING=1 (with MONOTONIC_USEC, which systemd 253's Type=notify-reload asks for); follow with
    /// `ready(status:)` once the reload is done.
    public func reloading() {
        var t = timespec()
        clock_gettime(CLOCK_MONOTONIC, &t)
        let usec = UInt64(t.tv_sec) * 1_000_000 + UInt64(t.tv_nsec) / 1000
        send("RELOADING=1\nMONOTONIC_USEC=\(usec)")
    }

    /// STOPPING=1: the devices are being drained.
    public func stopping(status: String) { send("STOPPING=1\nSTATUS=\(Self.oneLine(status))") }

    private func send(_ state: String) { _ = sd_notify(0, state) }

    /// A status is one assignment: a newline would start another.
    static func oneLine(_ s: String) -> String { String(s.map { $0 == "\n" ? " " : $0 }) }
}
