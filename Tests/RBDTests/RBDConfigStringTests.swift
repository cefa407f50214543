import Foundation
import SCSIEmu
import Testing

/// `rbd/…` config strings (tcmu-runner's form) and the open of a cluster that does not answer; no
/// cluster needed.
@Suite("rbd config string")
struct RBDConfigStringTests {
    @Test("pool, image and every option")
    func parsesEveryOption() throws {
        let c = try RBDConfigString(parsing: "emud/disk;osd_op_timeout=10;conf=/tmp/c/ceph.conf;id=gateway")
        #expect(c.pool == "emud")
        #expect(c.image == "disk")
        #expect(c.osdOpTimeout == 10)
        #expect(c.confPath == "/tmp/c/ceph.conf")
        #expect(c.clientID == "gateway")
        let plain = try RBDConfigString(parsing: "rbd/vm-1")
        #expect(plain.osdOpTimeout == 30 && plain.confPath == nil && plain.clientID == nil)
    }

    @Test("each bad field is named", arguments: [
        ("emud", "image"), ("/disk", "pool"), ("emud/", "image"), ("a/b/c", "image"),
        ("emud/disk;osd_op_timeout=x", "osd_op_timeout"), ("emud/disk;osd_op_timeout=3601", "osd_op_timeout"),
        ("emud/disk;conf=ceph.conf", "conf"), ("emud/disk;id=", "id"), ("emud/disk;colour=red", "colour"),
        ("emud/disk;id=a;id=b", "id"), ("emud/disk;conf", "conf"),
    ])
    func namesTheField(_ config: String, _ field: String) {
        #expect(throws: ConfigError.self) { try RBDConfigString(parsing: config) }
        do { _ = try RBDConfigString(parsing: config) } catch { #expect(error.field == field, "\(config): \(error)") }
    }

    @Test("the standard registry serves rbd/")
    func registered() throws {
        let (handler, parsed) = try HandlerRegistry.standard.resolve("rbd/emud/disk;osd_op_timeout=5")
        #expect(handler.subtype == "rbd")
        #expect(parsed.config == "emud/disk;osd_op_timeout=5")
        #expect(handler.ioWorkerThreads > 1)
    }

    /// A cluster whose monitor does not answer: check-config and open fail within the timeout, naming
    /// `cluster` and the reason; nothing hangs.
    @Test("a lost cluster refuses the device with the reason, within osd_op_timeout")
    func lostClusterAtOpen() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rbd-lost-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let conf = dir.appendingPathComponent("ceph.conf").path
        // Port 9 (discard): nothing listens on the loopback, so every connection attempt is refused.
        try "[global]\nmon host = v2:127.0.0.1:9\nauth client required = none\nlog file = /dev/null\n"
            .write(toFile: conf, atomically: true, encoding: .utf8)
        let config = "emud/disk;osd_op_timeout=2;conf=\(conf)"
        let handler = RBDHandler()
        let start = ContinuousClock.now
        do {
            try handler.checkOpen(config, deviceSize: 1 << 20)
            Issue.record("check-config accepted a cluster that does not answer")
        } catch {
            #expect(error.field == "cluster", "\(error)")
            #expect(error.reason.contains("rados_connect"), "\(error)")
        }
        #expect(ContinuousClock.now - start < .seconds(15))
        do {
            _ = try handler.open(CephTestCluster.parameters("rbd/" + config, size: 1 << 20))
            Issue.record("open accepted a cluster that does not answer")
        } catch {
            #expect(error.message.contains("cluster: emud/disk"), "\(error)")
            #expect(error.errno == .timedOut, "\(error)")
        }
    }
}
