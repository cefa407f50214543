import Foundation
import Sense
import Testing
import TestSupport

@testable import SCSIEmu

/// The optical drive's runtime control commands against a real drive on temporary images, with what the
/// initiator then sees checked through the command table (TEST UNIT READY, GESN, READ CAPACITY).
@Suite struct ControlOpticalTests {
    static let mediumChanged = Sense(.unitAttention, .notReadyToReadyChangeMediumMayHaveChanged)


    /// GESN media class descriptor (MMC-6 §6.7.2.6): event code, media status (bit 1 present, bit 0 open).
    static func mediaEvent(_ code: UInt8, _ status: UInt8) -> [UInt8] { [0x00, 0x04, 0x04, 0x56, code, status, 0, 0] }

    /// READ CAPACITY(10): the last LBA.
    func lastLBA(_ d: OpticalDevice) -> UInt32? {
        let r = run(d, [0x25, 0, 0, 0, 0, 0, 0, 0, 0, 0])
        guard r.sense == nil, r.data.count >= 4 else { return nil }
        return r.data[0..<4].reduce(0) { $0 << 8 | UInt32($1) }
    }

    @Test func statusReportsTrayDiscLockAndImage() throws {
        let image = OpticalImage(blocks: 16)
        let d = opticalDevice("ro/", image: image)
        let status = try control(d, "status")
        #expect(status == "tray=closed disc=yes locked=no profile=profile-dvdrom write-protected=yes blocks=16 image=\(d.config.imagePath ?? "")")
        #expect(d.config.imagePath?.hasSuffix(image.path) == true)
        #expect(run(d, preventCDB(0x01)).status == .good)
        #expect(try control(d, "STATUS").hasPrefix("tray=closed disc=yes locked=yes "))
        #expect(refusal(d, "status now")?.message == "unexpected 'now' (usage: status)")
    }

    @Test func ejectIsRefusedWhileLockedAndReportsAnEjectRequest() throws {
        let d = opticalDevice("ro/", image: OpticalImage(blocks: 16))
        #expect(run(d, preventCDB(0x01)).status == .good)
        let e = refusal(d, "eject")
        #expect(e?.kind == .refused && e?.code == 16)
        #expect(e?.message.contains("PREVENT ALLOW MEDIUM REMOVAL") == true)
        #expect(e?.message.contains("--force") == true)
        #expect(testUnitReady(d) == nil)  // the tray stayed shut
        #expect(run(d, gesnCDB(0x10)).data == Self.mediaEvent(0x01, 0x02))  // EjectRequest, present

        #expect(try control(d, "eject --force") == "tray open")
        #expect(testUnitReady(d) == Sense(.notReady, .mediumNotPresentTrayOpen))
        #expect(d.unit.withState { $0.preventRemoval } == 0)
        #expect(run(d, gesnCDB(0x10)).data == Self.mediaEvent(0x03, 0x01))  // MediaRemoval, tray open
        #expect(try control(d, "load") == "tray closed, medium present")
        #expect(testUnitReady(d) == Self.mediumChanged)
        #expect(testUnitReady(d) == nil)
    }

    @Test func insertChangesTheDiscWithUnitAttentionThenMediaEvents() throws {
        let first = OpticalImage(blocks: 16), second = OpticalImage(blocks: 40)
        let d = opticalDevice("ro/", image: first)
        drainUnitAttentions(d)
        #expect(lastLBA(d) == 15)

        let reply = try control(d, "insert \(second.path) profile-cdrom")
        #expect(reply == "inserted \(second.path) (profile-cdrom, read-only, 40 blocks)")
        // SAM-6: the next command gets the unit attention, once; GESN then tells the disc went and came.
        #expect(testUnitReady(d) == Self.mediumChanged)
        #expect(testUnitReady(d) == nil)
        #expect(run(d, gesnCDB(0x10)).data == Self.mediaEvent(0x03, 0x02))  // MediaRemoval
        #expect(run(d, gesnCDB(0x10)).data == Self.mediaEvent(0x02, 0x02))  // NewMedia
        #expect(run(d, gesnCDB(0x10)).data == Self.mediaEvent(0x00, 0x02))
        #expect(lastLBA(d) == 39)
        // GET CONFIGURATION: the current profile is now CD-ROM (0008h).
        #expect(run(d, [0x46, 0x01, 0, 0, 0, 0, 0, 0, 8, 0]).data[6...7] == [0x00, 0x08])
        #expect(try control(d, "status").contains("profile=profile-cdrom write-protected=yes blocks=40 image=\(second.path)"))
    }

    @Test func insertHonoursTheLockUnlessForced() throws {
        let first = OpticalImage(blocks: 16), second = OpticalImage(blocks: 24)
        let d = opticalDevice("ro/", image: first)
        #expect(run(d, preventCDB(0x03)).status == .good)  // persistent prevent
        drainUnitAttentions(d)
        #expect(refusal(d, "insert \(second.path)")?.kind == .refused)
        #expect(lastLBA(d) == 15)
        #expect(try control(d, "insert \(second.path) --force ro").hasPrefix("inserted \(second.path) (profile-dvdrom"))
        #expect(testUnitReady(d) == Self.mediumChanged)
        #expect(lastLBA(d) == 23)
    }

    static let profileWords =
        "profile-cdrom|profile-cdr|profile-cdrw|profile-dvdrom|profile-dvd-r|profile-dvdram|profile-dvd-rw-ro|"
        + "profile-dvd-rw|profile-dvd+rw|profile-dvd+r|profile-bd-r|profile-bd-re"

    @Test func insertUsageErrorsSayWhatIsWrong() {
        let image = OpticalImage(blocks: 16)
        let d = opticalDevice("ro/", image: image)
        let usage = "(usage: insert PATH [\(Self.profileWords)] [ro|rw] [--force] "
            + "| insert --blank PROFILE [--capacity BLOCKS] PATH)"
        #expect(refusal(d, "insert")?.message == "missing PATH \(usage)")
        #expect(refusal(d, "insert disc.iso")?.message.hasPrefix("PATH 'disc.iso' is not absolute") == true)
        #expect(refusal(d, "insert \(image.path) ro rw")?.message == "'ro' and 'rw' conflict \(usage)")
        #expect(refusal(d, "insert \(image.path) --now")?.message == "unknown option '--now' \(usage)")
        #expect(refusal(d, "insert \(image.path) extra")?.message == "unexpected 'extra' \(usage)")
        let missing = "/nonexistent-\(UUID().uuidString).iso"
        let e = refusal(d, "insert \(missing)")
        #expect(e?.kind == .failed && e?.code == 2)  // ENOENT, and no file was created
        #expect(!FileManager.default.fileExists(atPath: missing))
        #expect(testUnitReady(d) == nil)  // nothing changed
    }

    @Test func removeThenLoadLeavesAnEmptyClosedDrive() throws {
        let d = opticalDevice("ro/", image: OpticalImage(blocks: 16))
        #expect(try control(d, "remove") == "disc removed, tray open")
        #expect(try control(d, "status") == "tray=open disc=no locked=no")
        #expect(try control(d, "load") == "tray closed, no disc")
        #expect(testUnitReady(d) == Sense(.notReady, .mediumNotPresentTrayClosed))
        #expect(run(d, gesnCDB(0x10)).data == Self.mediaEvent(0x03, 0x00))  // MediaRemoval, empty and closed
    }

    @Test func unknownCommandAndHelp() throws {
        let d = opticalDevice("ro/", image: OpticalImage(blocks: 16))
        let e = refusal(d, "spin")
        #expect(e?.kind == .unknownCommand && e?.code == 95)
        #expect(e?.message == "unknown command 'spin' (known: status, eject, load, insert, export, remove, help)")
        let help = try control(d, "help").split(separator: "\n")
        #expect(help.count == 7)
        #expect(help[3].hasPrefix("insert PATH [\(Self.profileWords)] [ro|rw] [--force] | insert --blank PROFILE "))
        #expect(help[4].hasPrefix("export PATH  "))
        #expect(help[6].hasPrefix("help ") && help[6].hasSuffix("list these commands"))
    }

    @Test func reconfigWithANewConfigStringChangesTheDisc() throws {
        let first = OpticalImage(blocks: 16), second = OpticalImage(blocks: 32)
        let d = opticalDevice("ro/", image: first)
        drainUnitAttentions(d)
        #expect(try d.applyConfig("fbo/ro/profile-cdrom/\(second.path)")
            == "inserted \(second.path) (profile-cdrom, read-only, 32 blocks)")
        #expect(testUnitReady(d) == Self.mediumChanged)
        #expect(lastLBA(d) == 31)

        #expect(run(d, preventCDB(0x01)).status == .good)
        do { _ = try d.applyConfig("fbo/ro/\(first.path)"); Issue.record("accepted while locked") } catch {
            #expect(error.code == 16)  // EBUSY: configfs write fails, nothing committed
        }
        #expect(lastLBA(d) == 31)
        #expect(run(d, preventCDB(0x00)).status == .good)
        do { _ = try d.applyConfig("fbo/sideways/\(first.path)"); Issue.record("bad config accepted") } catch {
            #expect(error.code == 22 && error.message.contains("unknown option 'sideways'"))
        }
        #expect(try d.applyConfig("fbo/empty") == "disc removed")
        #expect(testUnitReady(d) == Sense(.notReady, .mediumNotPresentTrayClosed))
    }
}

/// Argument parsing shared by every device kind's control commands, and the SPC status any device has.
@Suite struct ControlArgumentsTests {
    @Test func flagsKeywordsAndPositionalsInAnyOrder() throws {
        var a = ControlArguments(["--force", "RO", "/x", "--force"], usage: "u")
        let forced = a.flag("--force"), again = a.flag("--force")
        #expect(forced && !again)
        let access = try a.keyword(oneOf: ["ro", "rw"]), profile = try a.keyword(oneOf: ["profile-cdrom"])
        #expect(access == "ro" && profile == nil)
        let path = try a.positional("PATH")
        #expect(path == "/x")
        try a.finish()
    }

    @Test func numbersAndLeftovers() {
        var a = ControlArguments(["0x1F", "12", "twelve"], usage: "zone N")
        let hex = try? a.number("N"), decimal = try? a.number("N")
        #expect(hex == 31 && decimal == 12)
        var errors: [ControlError] = []
        for _ in 0..<2 {
            do { _ = try a.number("N") } catch { errors.append(error) }
        }
        #expect(errors == [ControlError(.usage, "N 'twelve' is not a number (usage: zone N)"),
                           ControlError(.usage, "missing N (usage: zone N)")])
        let b = ControlArguments(["--x"], usage: "s")
        #expect(throws: ControlError(.usage, "unknown option '--x' (usage: s)")) { try b.finish() }
    }

    @Test func spcStatusComesFromTheBlockDescriptorHeaderAndCachingPage() throws {
        let disk = TestDisk()
        let c = SPCStatusControl(disk)
        let bytes = UInt64(0x1_0000_0005) * 512
        #expect(try c.control(ControlRequest("status"))
            == "blocks=4294967301 block-size=512 bytes=\(bytes) read-only=no write-cache=on condition=ready")
        // MODE SELECT(6) turning WCE off: header, then Caching page 08h with byte 2 = 0.
        var page = [UInt8](repeating: 0, count: 20)
        page[0] = 0x08
        page[1] = 0x12
        let r = run(disk, [0x15, 0x10, 0, 0, 24, 0], dataOut: [0, 0, 0, 0] + page)
        #expect(r.status == .good)
        disk.unit.setCondition(.formatting(progress: 0x8000))
        #expect(try c.control(ControlRequest("status")).hasSuffix("read-only=no write-cache=off condition=formatting-50%"))
        #expect(throws: ControlError.self) { try c.control(ControlRequest("eject")) }
    }
}
