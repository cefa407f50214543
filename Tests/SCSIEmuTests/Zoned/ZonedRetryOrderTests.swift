import SCSIEmu
import Sense
import Testing
import TestSupport

/// After a restart the initiator's retries come back out of order (ring reset in command-id order, sd's
/// head-of-queue requeue, FUA writes outside mq-deadline's zone lock): for the window after the restart a
/// write ahead of a write pointer is answered BUSY, without writing, so that it is sent again after the
/// writes before it (`ZoneWritePointers.retriesLater`).
@Suite struct ZonedRetryOrderTests {
    let seq: UInt64 = 4 * zoneBlocks
    let unaligned = Sense(.illegalRequest, .unalignedWriteCommand)

    func restarted(_ cdbs: [[UInt8]] = [], window: Duration = .seconds(30)) -> InterruptedWrites {
        InterruptedWrites(cdbs: cdbs.compactMap { CDB($0) }, reorderWindow: window)
    }

    func writePointer(_ d: ZonedDevice, _ lba: UInt64) -> UInt64 {
        d.zoneStateMachine.zones[Int(lba / zoneBlocks)].writePointer
    }

    @Test func retriesInReverseOrderLandInOrder() throws {
        let d = try makeZonedDevice()
        d.resume(after: restarted([8, 4, 0].map { write16CDB(lba: seq + $0, blocks: 4, fua: true) }))
        for ahead: UInt64 in [8, 4] {
            let o = writeBlocks(d, seq + ahead, 4, fua: true)
            #expect(o.status == .busy && o.sense == nil)  // BUSY, no sense: sd requeues it
        }
        #expect(writePointer(d, seq) == seq)  // a BUSY answer moved nothing
        #expect(condition(d, Int(seq / zoneBlocks)) == .empty)
        #expect(writeBlocks(d, seq, 4, fua: true).status == .good)
        #expect(writeBlocks(d, seq + 8, 4, fua: true).status == .busy)  // still ahead: sent again
        #expect(writeBlocks(d, seq + 4, 4, fua: true).status == .good)
        #expect(writeBlocks(d, seq + 8, 4, fua: true).status == .good)
        #expect(writePointer(d, seq) == seq + 12)
        for at: UInt64 in [0, 4, 8] {
            #expect(run(d, read16CDB(lba: seq + at, blocks: 4)).data == pattern(seq + at, 4))
        }
    }

    @Test func aWriteAheadThatWasNotQueuedWaitsToo() throws {
        // Commands the kernel answered BUSY while the device was blocked for the restart were never in the ring.
        let d = try makeZonedDevice()
        #expect(writeBlocks(d, seq, 4).status == .good)
        d.resume(after: restarted())
        #expect(writeBlocks(d, seq + 6, 2).status == .busy)
        #expect(writeBlocks(d, seq + 4, 2).status == .good)
        #expect(writeBlocks(d, seq + 6, 2).status == .good)
        #expect(writePointer(d, seq) == seq + 8)
    }

    @Test func withoutARestartOrAfterTheWindowAheadIsUnaligned() async throws {
        let fresh = try makeZonedDevice()
        fresh.resume(after: InterruptedWrites())
        #expect(writeBlocks(fresh, seq + 4, 4).sense == unaligned)
        let d = try makeZonedDevice()
        d.resume(after: restarted(window: .milliseconds(20)))
        #expect(writeBlocks(d, seq + 4, 4).status == .busy)
        try await Task.sleep(for: .milliseconds(50))
        #expect(writeBlocks(d, seq + 4, 4).sense == unaligned)
        #expect(writePointer(d, seq) == seq)
    }

    @Test func otherRefusalsKeepTheirSenseInTheWindow() throws {
        let d = try makeZonedDevice()
        let full = seq + zoneBlocks
        #expect(writeBlocks(d, full, UInt32(zoneBlocks)).status == .good)
        #expect(writeBlocks(d, seq, 8).status == .good)
        try d.setZoneCondition(zone: 6, .readOnly)
        d.resume(after: restarted())
        #expect(writeBlocks(d, seq, 4).sense == unaligned)  // below the pointer, not a queued write
        #expect(writeBlocks(d, full, 4).sense == invalidCDB(2))  // FULL
        #expect(writeBlocks(d, seq + zoneBlocks - 4, 8).sense == Sense(.illegalRequest, .writeBoundaryViolation))
        #expect(writeBlocks(d, 6 * zoneBlocks + 4, 4).sense == Sense(.dataProtect, .zoneIsReadOnly))
        #expect(writeBlocks(d, 8, 4).status == .good)  // a conventional zone takes any LBA
    }
}
