import Foundation
import SystemService
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// sd_notify's datagrams, received on a socket we bind as systemd would ($NOTIFY_SOCKET).
@Suite(.serialized) struct ServiceManagerNotifierTests {
    @Test func readyReloadingAndStoppingSendTheAssignments() throws {
        let path = NSTemporaryDirectory() + "emud-notify-" + UUID().uuidString
        let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        #expect(fd >= 0)
        defer { close(fd); unlink(path) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { buf in
            for (i, b) in path.utf8.enumerated() { buf[i] = b }
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        #expect(bound == 0)
        setenv("NOTIFY_SOCKET", path, 1)
        defer { unsetenv("NOTIFY_SOCKET") }
        func receive() -> String {
            var buf = [UInt8](repeating: 0, count: 4096)
            let n = recv(fd, &buf, buf.count, Int32(MSG_DONTWAIT))
            return n > 0 ? String(decoding: buf[..<n], as: UTF8.self) : "(nothing)"
        }
        let notifier = ServiceManagerNotifier()
        notifier.ready(status: "serving 2 device(s)\nD-Bus off")
        #expect(receive() == "READY=1\nSTATUS=serving 2 device(s) D-Bus off")
        notifier.reloading()
        let reloading = receive()
        #expect(reloading.hasPrefix("RELOADING=1\nMONOTONIC_USEC="))
        #expect(UInt64(reloading.split(separator: "=").last ?? "") != nil)
        notifier.stopping(status: "draining 2 device(s)")
        #expect(receive() == "STOPPING=1\nSTATUS=draining 2 device(s)")
    }
}
