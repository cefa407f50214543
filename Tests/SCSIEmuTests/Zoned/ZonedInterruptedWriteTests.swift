import SCSIEmu
import Sense
import Testing
import TestSupport

/// A restart after the daemon was killed: the writes that were in the ring come back BUSY-retried, and a
/// zone that already holds one answers its retry GOOD (`ZoneWritePointers.write`); nothing else changes.
@Suite struct ZonedInterruptedWriteTests {
    let seq: UInt64 = 4 * zoneBlocks
    let unaligned = Sense(.illegalRequest, .unalignedWriteCommand)

    func interrupted(_ cdbs: [[UInt8]]) -> InterruptedWrites {
        InterruptedWrites(cdbs: cdbs.compactMap { CDB($0) })
    }

    @Test func aRetryTheZoneHoldsIsGoodOnceAndMovesNothing() throws {
        let d = try makeZonedDevice()
        #expect(writeBlocks(d, seq, 4, fua: true).status == .good)  // the dead daemon carried it out
        d.resume(after: interrupted([write16CDB(lba: seq, blocks: 4, fua: true), [0, 0, 0, 0, 0, 0]]))
        #expect(writeBlocks(d, seq, 4, fua: true).status == .good)  // its retry
        #expect(d.zoneStateMachine.zones[Int(seq / zoneBlocks)].writePointer == seq + 4)
        #expect(writeBlocks(d, seq, 4, fua: true).sense == unaligned)  // claimed: a third copy is refused
        #expect(writeBlocks(d, seq + 4, 2).status == .good)  // the zone goes on at its write pointer
    }

    @Test func otherDataOrAnotherExtentKeepsItsSense() throws {
        let d = try makeZonedDevice()
        #expect(writeBlocks(d, seq, 4).status == .good)
        d.resume(after: interrupted([write16CDB(lba: seq, blocks: 4), write16CDB(lba: seq, blocks: 2)]))
        #expect(writeBlocks(d, seq, 4, tag: 0x5A).sense == unaligned)  // the medium holds other data
        #expect(writeBlocks(d, seq + 1, 2).sense == unaligned)  // not a write that was queued
        #expect(writeBlocks(d, seq, 2).status == .good)  // queued, below the pointer, same data
        #expect(writeBlocks(d, seq, 4).status == .good)  // still remembered after the refused 0x5A copy
    }

    @Test func aQueuedWriteNotCarriedOutRunsNormally() throws {
        let d = try makeZonedDevice()
        d.resume(after: interrupted([write16CDB(lba: seq, blocks: 4)]))
        #expect(writeBlocks(d, seq, 4).status == .good)
        #expect(d.zoneStateMachine.zones[Int(seq / zoneBlocks)].writePointer == seq + 4)
        #expect(run(d, read16CDB(lba: seq, blocks: 4)).data == pattern(seq, 4))
    }

    @Test func theWriteThatFilledTheZoneIsGoodOnRetry() throws {
        let d = try makeZonedDevice()
        let n = UInt32(zoneBlocks)
        #expect(writeBlocks(d, seq, n).status == .good)
        #expect(condition(d, Int(seq / zoneBlocks)) == .full)
        #expect(writeBlocks(d, seq, n).sense == invalidCDB(2))
        d.resume(after: interrupted([write16CDB(lba: seq, blocks: n)]))
        #expect(writeBlocks(d, seq, n).status == .good)
    }

    @Test func onlyWriteOpcodesAreRemembered() {
        let w = interrupted([
            write16CDB(lba: 8, blocks: 2), read16CDB(lba: 8, blocks: 2), write16CDB(lba: 8, blocks: 2),
            write16CDB(lba: 9, blocks: 0),
        ])
        #expect(w.count == 2)
        var c = w
        #expect(c.claim(lba: 8, blocks: 2) && c.claim(lba: 8, blocks: 2) && !c.claim(lba: 8, blocks: 2))
    }
}
