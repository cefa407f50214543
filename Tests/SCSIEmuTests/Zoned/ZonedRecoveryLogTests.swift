import Logging
import SCSIEmu
import Sense
import Testing
import TestSupport

/// The restart recovery names every write it did not simply run, with the zone's write pointer at that
/// moment (how a failed kill run is diagnosed: vm/README.md "kill -9 under load").
@Suite struct ZonedRecoveryLogTests {
    let seq: UInt64 = 4 * zoneBlocks  // zone 4, LBA 0x2000

    /// The log lines without their "+S s after the restart" time.
    func lines(_ log: CapturedLog) -> [String] {
        log.all.map { line in
            guard let plus = line.range(of: " +"), let colon = line.range(of: ": write") else { return line }
            return String(line[..<plus.lowerBound]) + String(line[colon.lowerBound...])
        }
    }

    @Test func eachRecoveryAnswerIsLoggedWithTheWritePointer() async throws {
        let log = CapturedLog()
        let d = try ZonedDevice(
            config: try ZoneConfig(parsing: "zbc/model-HM/zsize-1/conv-2/open-3@/unused"), deviceSize: 16 << 20,
            medium: CrashMedium(), logger: log.logger())
        #expect(writeBlocks(d, seq, 4, fua: true).status == .good)  // carried out, its GOOD lost in the kill
        d.resume(after: InterruptedWrites(
            cdbs: [write16CDB(lba: seq, blocks: 4, fua: true), write16CDB(lba: seq + 4, blocks: 4, fua: true)]
                .compactMap { CDB($0) }, reorderWindow: .milliseconds(200)))
        #expect(writeBlocks(d, seq, 4, fua: true).status == .good)
        #expect(writeBlocks(d, seq + 8, 4, fua: true).deferral != nil)
        #expect(writeBlocks(d, seq + 4, 4, fua: false).sense == nil)
        #expect(writeBlocks(d, seq, 4, fua: true).sense == Sense(.illegalRequest, .unalignedWriteCommand))
        try await Task.sleep(for: .milliseconds(300))
        // The window has closed: no restart state is left, nothing more is logged.
        #expect(writeBlocks(d, seq + 16, 4, fua: true).sense == Sense(.illegalRequest, .unalignedWriteCommand))
        #expect(writeBlocks(d, seq, 4, fua: true).sense == Sense(.illegalRequest, .unalignedWriteCommand))
        let at = "in zone 4 (start 0x2000, wp"
        #expect(lines(log) == [
            "notice zone recovery: write lba 0x2000 +4 \(at) 0x2004, implicitlyOpen): queued when the previous daemon stopped",
            "notice zone recovery: write lba 0x2004 +4 \(at) 0x2004, implicitlyOpen): queued when the previous daemon stopped",
            "notice zone recovery: write lba 0x2000 +4 \(at) 0x2004, implicitlyOpen): GOOD without writing (a queued write the zone holds)",
            "notice zone recovery: write lba 0x2008 +4 \(at) 0x2004, implicitlyOpen): held until the write pointer reaches it",
            "notice zone recovery: write lba 0x2000 +4 \(at) 0x2008, implicitlyOpen): refused: ILLEGAL REQUEST 21/04 UNALIGNED WRITE COMMAND",
        ])
        #expect(log.all.allSatisfy { $0.contains(" s after the restart: write lba 0x") })
    }

    @Test func withoutARestartNothingIsLogged() throws {
        let log = CapturedLog()
        let d = try ZonedDevice(
            config: try ZoneConfig(parsing: "zbc/model-HM/zsize-1/conv-2/open-3@/unused"), deviceSize: 16 << 20,
            medium: CrashMedium(), logger: log.logger())
        #expect(writeBlocks(d, seq + 4, 4).sense == Sense(.illegalRequest, .unalignedWriteCommand))
        #expect(log.all.isEmpty)
    }
}
