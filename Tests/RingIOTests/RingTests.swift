import RingIO
import SCSIEmu
import Sense
import Testing
import TestSupport

/// The consumer and runner driven through the simulated kernel, one `serviceRing` pass at a time.
@Suite struct RingTests {
    @Test func padAtWrapManyTimesAroundTheRing() throws {
        let h = try Harness(ringSize: 1024)
        var completed = 0
        for round in 0..<60 {
            // Three TURs (120 bytes each) and one INQUIRY per round: the 1024-byte ring wraps every ~2 rounds.
            var ids = [try h.kernel.submit(cdb: testUnitReady, notify: false)]
            ids.append(try h.kernel.submit(cdb: [0x12, 0, 0, 0, 36, 0], dataInLength: 36, notify: false))
            ids.append(try h.kernel.submit(cdb: testUnitReady, notify: false))
            let done = try h.cycle()
            #expect(done.map(\.id) == ids, "round \(round)")
            #expect(done.allSatisfy { $0.status == 0 })
            #expect(done[1].dataIn.count == 36 && done[1].dataIn[2] == 6)
            completed += done.count
        }
        #expect(completed == 180)
        #expect(h.kernel.padsWritten >= 10)
        #expect(h.kernel.commandsInFlight == 0)
        #expect(h.kernel.brokenReason == nil)
    }

    @Test func oneDoorbellPerDrainedBatch() throws {
        let h = try Harness()
        for _ in 0..<10 { try h.kernel.submit(cdb: testUnitReady) }
        let done = try h.cycle()
        #expect(done.count == 10)
        #expect(h.kernel.doorbell.kernelNotifications == 1)
    }

    @Test func readLengthReportsAllocationLengthTruncation() throws {
        let h = try Harness()
        // INQUIRY with ALLOCATION LENGTH 20 into a 255-byte Data-In buffer: 20 bytes, residual 235.
        let short = try h.kernel.submit(cdb: [0x12, 0, 0, 0, 20, 0], dataInLength: 255)
        // ALLOCATION LENGTH 255: the 36-byte response, residual 219.
        let full = try h.kernel.submit(cdb: [0x12, 0, 0, 0, 255, 0], dataInLength: 255)
        let done = try h.cycle()
        #expect(done.count == 2)
        let a = try #require(done.first { $0.id == short })
        let b = try #require(done.first { $0.id == full })
        #expect(a.status == 0 && a.dataIn.count == 20 && a.residual == 235)
        #expect(b.status == 0 && b.dataIn.count == 36 && b.residual == 219)
        #expect(Array(b.dataIn[8..<12]) == [0x20, 0x20, 0x20, 0x20])
    }

    @Test func readSpanningSeveralDataBlocks() throws {
        let h = try Harness()
        // 12 blocks of 512 = 6 KiB: two 4 KiB data-area blocks merged into one iovec.
        let id = try h.kernel.submit(cdb: TestCDB.read10(lba: 7, blocks: 12), dataInLength: 12 * 512)
        let done = try h.cycle()
        #expect(done.map(\.id) == [id])
        #expect(done.first?.dataIn == TinyDevice.pattern(lba: 7, blocks: 12))
    }

    @Test func unsupportedCDBGetsCheckConditionNotSilence() throws {
        let h = try Harness()
        // Group 6 (vendor) opcode: the kernel copies 10 bytes; the device answers 20/00.
        let id = try h.kernel.submit(cdb: [0xC0, 0, 0, 0, 0, 0, 0, 0, 0, 0])
        let done = try h.cycle()
        #expect(done.map(\.id) == [id])
        #expect(done.first?.status == 0x02)
        #expect(done.first.map { [$0.sense[2] & 0xF, $0.sense[12], $0.sense[13]] } == [0x5, 0x20, 0x00])
    }

    @Test func unknownEntryOpcodeIsMarkedUnknownOp() throws {
        let h = try Harness()
        let before = try h.kernel.submit(cdb: testUnitReady)
        let bad = try h.kernel.submit(cdb: testUnitReady, corruption: .opcode(5))
        let after = try h.kernel.submit(cdb: testUnitReady)
        let done = try h.cycle()
        #expect(done.map(\.id) == [before, bad, after])
        #expect(done[1].unknownOperation)
        #expect(done[0].status == 0 && done[2].status == 0 && !done[0].unknownOperation)
        #expect(h.log.all.contains { $0.contains("opcode 5") })
    }

    @Test func taskManagementAbortsQueuedCommands() throws {
        // One worker, not started yet: storage commands wait in the queue.
        let h = try Harness(ioWorkers: 1)
        let first = try h.kernel.submit(cdb: TestCDB.read10(lba: 1, blocks: 1), dataInLength: 512)
        let second = try h.kernel.submit(cdb: TestCDB.read10(lba: 2, blocks: 1), dataInLength: 512)
        #expect(try h.cycle().isEmpty)
        try h.kernel.submitTMR(type: .abortTask, ids: [first])
        // A command and a TMR for it in the same batch: aborted before it runs.
        let third = try h.kernel.submit(cdb: TestCDB.read10(lba: 3, blocks: 1), dataInLength: 512)
        try h.kernel.submitTMR(type: .abortTaskSet, ids: [third])
        let aborted = try h.cycle()
        #expect(Set(aborted.map(\.id)) == [first, third])
        #expect(aborted.allSatisfy { $0.status == SCSIStatus.taskAborted.rawValue })
        h.runner.start()
        let rest = try h.kernel.collect(1)
        h.runner.stop()
        #expect(rest.map(\.id) == [second])
        #expect(rest.first?.dataIn == TinyDevice.pattern(lba: 2, blocks: 1))
        #expect(h.kernel.commandsInFlight == 0)
    }

    @Test func completionWithUnknownIDBreaksTheSimulatedRing() throws {
        let kernel = try SimulatedKernel()
        let ring = try kernel.makeRing()
        try kernel.submit(cdb: testUnitReady)
        var items: [RingItem] = []
        ring.drain(into: &items)
        guard case .command(let cmd) = items.first else { Issue.record("no command"); return }
        ring.complete(RingCompletion(id: cmd.id &+ 100, status: .good), slot: cmd.slot)
        ring.publish()
        #expect(throws: SimulatedKernel.Failure.broken("cmd_id \(cmd.id &+ 100) not found, ring is broken")) {
            try kernel.reap()
        }
        #expect(throws: SimulatedKernel.Failure.self) { try kernel.submit(cdb: testUnitReady) }
    }

    @Test func misalignedOrRunawayTailBreaksTheSimulatedRing() throws {
        for bogus: UInt32 in [4, 1024] {
            let kernel = try SimulatedKernel()
            let user = try kernel.makeUserRegion()
            try kernel.submit(cdb: testUnitReady)
            user.atomicUInt32(at: TCMUABI.MailboxField.commandTail).pointee.store(bogus, ordering: .releasing)
            #expect(throws: SimulatedKernel.Failure.self) { try kernel.reap() }
            #expect(kernel.brokenReason != nil)
        }
    }

    @Test func openRejectsBadMailbox() throws {
        let kernel = try SimulatedKernel()
        let user = try kernel.makeUserRegion()
        user.store(UInt16(1), at: TCMUABI.MailboxField.version)
        #expect(throws: RingOpenError.unsupportedVersion(1)) { try MappedRing(region: kernel.makeUserRegion()) }
        user.store(UInt16(2), at: TCMUABI.MailboxField.version)
        user.store(UInt32(1 << 30), at: TCMUABI.MailboxField.commandRingSize)
        #expect(throws: RingOpenError.self) { try MappedRing(region: kernel.makeUserRegion()) }
    }
}
