import Foundation
import SCSIEmu
import Sense
import TCMUDaemon
import Testing
import TestSupport

/// `fault` words through the daemon's control answers, and a device that starts already broken from
/// the `;emud_faults=` / `;emud_badblocks=` options of its config string.
@Suite struct FaultLifecycleTests {
    let sysfs = FakeSysfs()
    let lifecycle: DeviceLifecycle
    let image: String

    init() throws {
        lifecycle = DeviceLifecycle(
            registry: HandlerRegistry([FBOHandler()]), files: sysfs.files, opener: RecordingRings(sysfs), logger: quietLogger)
        image = sysfs.root + "/disc.iso"
        FileManager.default.createFile(atPath: image, contents: Data(count: 32 * 2048))
    }

    func ask(_ line: String) -> ControlReply { lifecycle.respond(to: line.split(separator: " ").map(String.init)) }

    @Test func faultWordsReachAnyDeviceKind() throws {
        sysfs.addDevice(minor: 0, name: "dvd0", config: "fbo/ro/\(image)")
        #expect(lifecycle.add(minor: 0, uioName: nil, reopen: false) == 0)
        #expect(ask("dvd0 fault add sense 3/11/00 on=read lba=5") == .ok("rule 1: sense 3/11/00 on=read lba=5+1"))
        let drive = try #require(lifecycle.devices[0]?.device as? OpticalDevice)
        drive.unit.withState { $0.unitAttentions.removeAll() }
        var read = SCSICommand(cdb: CDB([0x28, 0, 0, 0, 0, 5, 0, 0, 1, 0])!)
        #expect(drive.execute(&read).sense == Sense(.mediumError, .unrecoveredReadError, information: 5))
        #expect(ask("dvd0 fault list") == .ok("1 matched=1 fired=1 sense 3/11/00 on=read lba=5+1"))
        #expect(ask("dvd0 fault add sense 3/11/00 lba=x") == .error("dvd0: fault add: 'lba=x': 'x' is not a number"))
        #expect(ask("dvd0 fault clear") == .ok("cleared 1 rules and bad ranges"))
    }

    @Test func configStringStartsTheDeviceBroken() throws {
        let rules = sysfs.root + "/dvd.faults", bad = sysfs.root + "/dvd.bad"
        try "# broken from the first command\nbusy on=0x00 times=1\n".write(toFile: rules, atomically: true, encoding: .utf8)
        try "7 2\n".write(toFile: bad, atomically: true, encoding: .utf8)
        sysfs.addDevice(minor: 0, name: "dvd0", config: "fbo/ro/\(image);emud_faults=\(rules);emud_badblocks=\(bad)")
        #expect(lifecycle.add(minor: 0, uioName: nil, reopen: false) == 0)
        #expect(ask("dvd0 fault list") == .ok("1 matched=0 fired=0 busy on=0x00 times=1\nbad 7+2 sidecar=\(bad)"))
        // A rules file with a bad line: the device is refused, naming the file, the line and the token.
        try "busy\nsense 3/11/00 lba=q\n".write(toFile: rules, atomically: true, encoding: .utf8)
        sysfs.addDevice(minor: 1, hba: "2", name: "dvd1", config: "fbo/ro/\(image);emud_faults=\(rules)")
        #expect(lifecycle.add(minor: 1, uioName: nil, reopen: false) == -22)
        #expect(lifecycle.devices[1] == nil)
    }
}
