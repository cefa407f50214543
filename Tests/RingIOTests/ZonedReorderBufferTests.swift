import Foundation
import Logging
import RingIO
import SCSIEmu
import Sense
import TestSupport
import Testing

/// A host-managed zoned disk (16 zones of 1 MiB, 512-byte blocks, in memory) behind a simulated kernel
/// ring, restarted: the window in which writes ahead of their zone's write pointer are held in the ring's
/// reorder buffer (`CompletionDeferral.awaitWritePointer`) instead of being answered BUSY.
struct ZonedRig {
    static let zoneBlocks: UInt64 = 2048
    /// Zone 4 (sequential write required).
    static let seq: UInt64 = 4 * zoneBlocks
    let kernel: SimulatedKernel
    let runner: RingServiceLoop
    let device: ZonedDevice
    let log = CapturedLog()

    init(
        ioWorkers: Int = 0, window: Duration = .seconds(30), bound: HeldWriteBound? = nil, dataArea: Int = 1 << 20,
        scheduler: RingScheduler? = nil
    ) throws {
        device = try ZonedDevice(
            config: try ZoneConfig(parsing: "zbc/model-HM/zsize-1/conv-2/open-3@/unused"), deviceSize: 16 << 20,
            medium: try MemoryStore(size: 24 << 20), logger: log.logger(level: .debug))
        device.resume(after: InterruptedWrites(cdbs: [], reorderWindow: window))
        kernel = try SimulatedKernel(dataAreaSize: dataArea)
        runner = RingServiceLoop(
            name: "zbc", device: device, ring: try kernel.makeRing(), doorbell: kernel.doorbell, ioWorkers: ioWorkers,
            scheduler: scheduler, heldWrites: bound, logger: log.logger(level: .debug))
    }

    func data(_ lba: UInt64, _ blocks: UInt32) -> [UInt8] { TestPattern.lbaTagged(lba, blocks, tag: 0x5A) }

    @discardableResult
    func submitWrite(_ lba: UInt64, _ blocks: UInt32 = 8) throws -> UInt16 {
        try kernel.submit(cdb: TestCDB.write16(lba: lba, blocks: blocks, fua: true), dataOut: data(lba, blocks))
    }

    /// Services the ring (as the ring thread does every pass) until `count` completions came back.
    func collect(_ count: Int, within milliseconds: Int = 5000) throws -> [SimulatedKernel.Completion] {
        try kernel.collect(count, within: milliseconds, servicing: runner)
    }

    var writePointer: UInt64 { device.zoneStateMachine.zones[4].writePointer }

    func readBack(_ lba: UInt64, _ blocks: UInt32) throws -> [UInt8]? {
        try kernel.submit(cdb: TestCDB.read16(lba: lba, blocks: blocks), dataInLength: Int(blocks) * 512)
        return try collect(1).first?.dataIn
    }
}

@Suite struct ZonedReorderBufferTests {
    let seq = ZonedRig.seq
    let unalignedFixed: [UInt8] = [0x70, 0, 0x05, 0, 0, 0, 0, 0x0A, 0, 0, 0, 0, 0x21, 0x04, 0, 0, 0, 0]

    /// Eight writes of one zone arrive in reverse order (as sd's requeue sends them after the restart):
    /// each waits in the device, and the one at the write pointer lets them all land in LBA order, in
    /// one pass, every one GOOD: no BUSY goes back.
    @Test(arguments: [0, 2]) func reverseOrderRetriesLandInOrderWithNoBusy(ioWorkers: Int) throws {
        let rig = try ZonedRig(ioWorkers: ioWorkers)
        if ioWorkers > 0 { rig.runner.start() }
        defer { if ioWorkers > 0 { rig.runner.stop() } }
        var ids: [UInt64: UInt16] = [:]
        for k in (1..<8).reversed() { ids[UInt64(k)] = try rig.submitWrite(seq + UInt64(k) * 8) }
        #expect(try rig.collect(1, within: 300).isEmpty)  // all seven held: nothing answered
        #expect(rig.writePointer == seq)
        ids[0] = try rig.submitWrite(seq)
        let c = try rig.collect(8)
        #expect(c.count == 8 && c.allSatisfy { $0.status == 0 && $0.sense.isEmpty })
        #expect(Set(c.map(\.id)) == Set(ids.values))
        #expect(rig.writePointer == seq + 64)
        for k in 0..<8 { #expect(try rig.readBack(seq + UInt64(k) * 8, 8) == rig.data(seq + UInt64(k) * 8, 8)) }
        #expect(rig.kernel.commandsInFlight == 0 && rig.kernel.brokenReason == nil)
        #expect(!rig.log.all.contains { $0.contains("BUSY") })
    }

    /// A held write whose pointer never reaches it fails when the window closes, with UNALIGNED WRITE
    /// COMMAND (fixed sense 70h, key 5, 21h/04h), and the zone is unchanged.
    @Test func aHeldWritePastTheWindowIsUnaligned() throws {
        let rig = try ZonedRig(window: .milliseconds(150))
        let id = try rig.submitWrite(seq + 16)
        rig.runner.serviceRing()
        #expect(try rig.kernel.reap().isEmpty)
        let c = try rig.collect(1)
        #expect(c.map(\.id) == [id] && c.first?.status == 0x02)
        #expect(Array(c.first?.sense.prefix(18) ?? []) == unalignedFixed)
        #expect(rig.writePointer == seq)
        #expect(rig.log.all.contains { $0.contains("cmd \(id) (write lba 0x2010 +8) waiting for its zone's write pointer until the window closed: CHECK CONDITION (ILLEGAL REQUEST 21/04 UNALIGNED WRITE COMMAND)") })
        // The window has closed: a write ahead is refused at once.
        try rig.submitWrite(seq + 32)
        rig.runner.serviceRing()
        let late = try rig.kernel.reap()
        #expect(late.first?.status == 0x02 && Array(late.first?.sense.prefix(18) ?? []) == unalignedFixed)
    }

    /// On the daemon's shared event loop, which sleeps without a timeout: a write held on a worker wakes
    /// the loop (`noteHeld`), which then looks every 20 ms, so a held write whose window closes is answered
    /// UNALIGNED WRITE COMMAND although no command and no doorbell follow it; and a held write is run as
    /// soon as the write before it lands on the worker.
    @Test func onASharedLoopAHeldWriteIsAnsweredWhenItsWindowClosesWithNoNewCommand() throws {
        let scheduler = try RingScheduler(name: "zbc-test", loops: 1, workers: 1, maximumWorkers: 1)
        let rig = try ZonedRig(ioWorkers: 1, window: .milliseconds(1500), scheduler: scheduler)
        rig.runner.start()
        defer { rig.runner.stop() }
        let held = try rig.submitWrite(seq + 16)
        let ahead = try rig.submitWrite(seq + 8)
        _ = rig.kernel.waitForCompletions(timeoutMilliseconds: 100)
        var done = try rig.kernel.reap()
        #expect(done.isEmpty)  // both held: nothing answered yet
        try rig.submitWrite(seq)  // the write at the pointer: both held ones land behind it
        for _ in 0..<300 where done.count < 3 {
            _ = rig.kernel.waitForCompletions(timeoutMilliseconds: 10)
            done += try rig.kernel.reap()
        }
        #expect(done.count == 3 && done.allSatisfy { $0.status == 0 })
        #expect(rig.writePointer == seq + 24)
        #expect(Set(done.map(\.id)).isSuperset(of: [held, ahead]))
        // A fresh write ahead waits; no command follows, the window closes: UNALIGNED.
        let late = try rig.submitWrite(seq + 40)
        var end: [SimulatedKernel.Completion] = []
        for _ in 0..<400 where end.isEmpty {
            _ = rig.kernel.waitForCompletions(timeoutMilliseconds: 10)
            end += try rig.kernel.reap()
        }
        #expect(end.map(\.id) == [late] && end.first?.status == 0x02)
        #expect(Array(end.first?.sense.prefix(18) ?? []) == unalignedFixed)
        #expect(rig.writePointer == seq + 24 && rig.kernel.commandsInFlight == 0)
    }

    /// ABORT TASK naming a held write ends it TASK ABORTED (40h); a LUN reset ends every other one; none
    /// of them wrote, and the zone takes the same LBAs afterwards.
    @Test func abortAndResetEndHeldWritesTaskAborted() throws {
        let rig = try ZonedRig()
        let a = try rig.submitWrite(seq + 8), b = try rig.submitWrite(seq + 16), c = try rig.submitWrite(seq + 24)
        rig.runner.serviceRing()
        #expect(try rig.kernel.reap().isEmpty)
        try rig.kernel.submitTMR(type: .abortTask, ids: [b])
        rig.runner.serviceRing()
        let aborted = try rig.kernel.reap()
        #expect(aborted.map(\.id) == [b] && aborted.first?.status == 0x40)
        try rig.kernel.submitTMR(type: .lunReset, ids: [])
        rig.runner.serviceRing()
        let reset = try rig.kernel.reap()
        #expect(Set(reset.map(\.id)) == [a, c] && reset.allSatisfy { $0.status == 0x40 })
        #expect(rig.log.all.contains { $0.contains("cmd \(b) (write lba 0x2010 +8) waiting for its zone's write pointer released by TMR abortTask: TASK ABORTED") })
        #expect(rig.writePointer == seq && rig.kernel.commandsInFlight == 0)
        // Nothing of them is left: the writes at the pointer run normally.
        try rig.submitWrite(seq)
        try rig.submitWrite(seq + 8)
        #expect(try rig.collect(2).allSatisfy { $0.status == 0 })
        #expect(rig.writePointer == seq + 16)
    }

    /// The reorder buffer holds at most `HeldWriteBound.writes` writes and `.bytes` of Data-Out; a write
    /// past either bound is answered TASK SET FULL (28h) at once, and the ones held still land.
    @Test func theHeldSetIsBoundedByCountAndBytes() throws {
        let byCount = try ZonedRig(bound: HeldWriteBound(writes: 2, bytes: 1 << 20))
        for k: UInt64 in [1, 2, 3] { try byCount.submitWrite(seq + k * 8) }
        byCount.runner.serviceRing()
        let full = try byCount.kernel.reap()
        #expect(full.count == 1 && full.first?.status == 0x28 && full.first?.sense.isEmpty == true)
        #expect(byCount.log.all.contains { $0.contains("(write lba 0x2018 +8) waiting for its zone's write pointer: TASK SET FULL, the reorder buffer is full (2 writes, 1048576 bytes)") })
        try byCount.submitWrite(seq)
        #expect(try byCount.collect(3).allSatisfy { $0.status == 0 })
        #expect(byCount.writePointer == seq + 24)
        try byCount.submitWrite(seq + 24)  // sd sends the refused write again
        #expect(try byCount.collect(1).map(\.status) == [0])
        #expect(byCount.writePointer == seq + 32)

        let byBytes = try ZonedRig(bound: HeldWriteBound(writes: 256, bytes: 8192))
        for k: UInt64 in [1, 2, 3] { try byBytes.submitWrite(seq + k * 8) }  // 4 KiB each
        byBytes.runner.serviceRing()
        #expect(try byBytes.kernel.reap().map(\.status) == [0x28])
    }

    /// The default bound: 256 writes and half the ring's data area.
    @Test func theDefaultBoundIsHalfTheDataArea() throws {
        let kernel = try SimulatedKernel(dataAreaSize: 1 << 20)
        #expect(HeldWriteBound.default(for: try kernel.makeRing()) == HeldWriteBound(writes: 256, bytes: 1 << 19))
    }
}

/// The restart reads the CDBs between `cmd_tail` and `cmd_head` (`MappedRing.queuedCommands`) as the
/// commands still pending. With OOOC a completion takes the oldest waiting slot, so the ring swaps CDBs
/// to keep that true (MappedRing+PendingCDBs).
@Suite struct PendingCDBTests {
    let seq = ZonedRig.seq

    @Test func aHeldWriteIsStillInTheQueuedSetAfterALaterWriteCompletedIntoItsSlot() throws {
        let rig = try ZonedRig()
        try rig.submitWrite(seq + 8)  // ahead: held, its slot the oldest
        let other = try rig.submitWrite(5 * ZonedRig.zoneBlocks)  // zone 5 at its pointer: GOOD at once
        rig.runner.serviceRing()
        #expect(try rig.kernel.reap().map { [Int($0.id), Int($0.status)] } == [[Int(other), 0]])
        // The daemon dies now: the restart reads what lies between cmd_tail and cmd_head.
        let queued = try rig.kernel.makeRing().queuedCommands()
        #expect(queued.map { Array($0.bytes) } == [TestCDB.write16(lba: seq + 8, blocks: 8, fua: true)])
    }

    @Test func aCDBThatDoesNotFitStaysWhereItIs() throws {
        let rig = try ZonedRig()
        try rig.submitWrite(seq + 8)  // held, 16-byte CDB
        try rig.kernel.submit(cdb: testUnitReady)  // 8 bytes of room: no swap
        rig.runner.serviceRing()
        #expect(try rig.kernel.reap().count == 1)
        #expect(try rig.kernel.makeRing().queuedCommands().map { Array($0.bytes) } == [testUnitReady])
    }
}
