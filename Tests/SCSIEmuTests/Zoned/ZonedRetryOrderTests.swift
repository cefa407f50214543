import SCSIEmu
import Sense
import Testing
import TestSupport

/// After a restart the initiator's retries come back out of order (ring reset in command-id order, sd's
/// head-of-queue requeue, FUA writes outside mq-deadline's zone lock): for the window after the restart a
/// write ahead of a write pointer is held inside the device, without writing, until the pointer reaches it
/// (`ZoneWritePointers.holdAhead`; the ring runs it again: RingIOTests' ZonedReorderBufferTests). The
/// device marks such a write `awaitWritePointer` with the window's end; BUSY is only what a caller
/// without a ring sees.
@Suite struct ZonedRetryOrderTests {
    let seq: UInt64 = 4 * zoneBlocks
    let unaligned = Sense(.illegalRequest, .unalignedWriteCommand)

    func restarted(_ cdbs: [[UInt8]] = [], window: Duration = .seconds(30)) -> InterruptedWrites {
        InterruptedWrites(cdbs: cdbs.compactMap { CDB($0) }, reorderWindow: window)
    }

    func writePointer(_ d: ZonedDevice, _ lba: UInt64) -> UInt64 {
        d.zoneStateMachine.zones[Int(lba / zoneBlocks)].writePointer
    }

    /// The write was held for the pointer (its deadline within the window), not answered.
    func held(_ o: Outcome, _ lba: UInt64, _ blocks: UInt64) -> Bool {
        guard case let .awaitWritePointer(l, b, deadline)? = o.deferral else { return false }
        return l == lba && b == blocks && deadline > .now && o.sense == nil
    }

    @Test func aWriteAheadIsHeldUntilThePointerReachesIt() throws {
        let d = try makeZonedDevice()
        d.resume(after: restarted([8, 4, 0].map { write16CDB(lba: seq + $0, blocks: 4, fua: true) }))
        for ahead: UInt64 in [8, 4] {
            #expect(held(writeBlocks(d, seq + ahead, 4, fua: true), seq + ahead, 4))
            #expect(!d.mayRunHeldWrite(lba: seq + ahead, blocks: 4))
        }
        #expect(writePointer(d, seq) == seq)  // holding moved nothing
        #expect(condition(d, Int(seq / zoneBlocks)) == .empty)
        let first = writeBlocks(d, seq, 4, fua: true)
        #expect(first.status == .good && first.deferral == nil)
        #expect(d.mayRunHeldWrite(lba: seq + 4, blocks: 4) && !d.mayRunHeldWrite(lba: seq + 8, blocks: 4))
        #expect(writeBlocks(d, seq + 4, 4, fua: true).status == .good)
        #expect(d.mayRunHeldWrite(lba: seq + 8, blocks: 4))
        #expect(writeBlocks(d, seq + 8, 4, fua: true).status == .good)
        #expect(writePointer(d, seq) == seq + 12)
        for at: UInt64 in [0, 4, 8] {
            #expect(run(d, read16CDB(lba: seq + at, blocks: 4)).data == pattern(seq + at, 4))
        }
    }

    @Test func aWriteAheadThatWasNotQueuedIsHeldToo() throws {
        // Commands the kernel answered BUSY while the device was blocked for the restart were never in the ring.
        let d = try makeZonedDevice()
        #expect(writeBlocks(d, seq, 4).status == .good)
        d.resume(after: restarted())
        #expect(held(writeBlocks(d, seq + 6, 2), seq + 6, 2))
        #expect(writeBlocks(d, seq + 4, 2).status == .good)
        #expect(writeBlocks(d, seq + 6, 2).status == .good)
        #expect(writePointer(d, seq) == seq + 8)
    }

    @Test func withoutARestartOrAfterTheWindowAheadIsUnaligned() async throws {
        let fresh = try makeZonedDevice()
        fresh.resume(after: InterruptedWrites())
        let o = writeBlocks(fresh, seq + 4, 4)
        #expect(o.sense == unaligned && o.deferral == nil)
        let d = try makeZonedDevice()
        d.resume(after: restarted(window: .milliseconds(20)))
        #expect(held(writeBlocks(d, seq + 4, 4), seq + 4, 4))
        try await Task.sleep(for: .milliseconds(50))
        let late = writeBlocks(d, seq + 4, 4)
        #expect(late.sense == unaligned && late.deferral == nil)
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
        #expect(d.mayRunHeldWrite(lba: 6 * zoneBlocks + 4, blocks: 4))  // nothing to wait for there
    }
}
