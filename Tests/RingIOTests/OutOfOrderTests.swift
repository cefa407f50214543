import Foundation
import Logging
import RingIO
import Testing
import TestSupport

/// I/O workers finish out of order; completions go into the slot at cmd_tail with their own cmd_id,
/// and the kernel finds each command by id.
@Suite struct OutOfOrderTests {
    @Test func workersCompleteOutOfOrder() throws {
        let gate = DispatchSemaphore(value: 0)
        let h = try Harness(device: TinyDevice(slowLBA: 0, gate: gate), ioWorkers: 2, level: .trace)
        var lbaOf: [UInt16: UInt32] = [:]
        for lba: UInt32 in 0..<8 {
            lbaOf[try h.kernel.submit(cdb: TestCDB.read10(lba: lba, blocks: 2), dataInLength: 1024, notify: false)] = lba
        }
        h.kernel.notifyUser()
        h.runner.start()
        // LBA 0 waits at the gate: the other worker's take (LBAs 4–7) completes while it waits.
        var done = try h.kernel.collect(4, within: 10_000)
        gate.signal()
        done += try h.kernel.collect(8 - done.count, within: 10_000)
        h.runner.stop()
        #expect(done.count == 8)
        #expect(Set(done.map(\.id)) == Set(lbaOf.keys))
        for c in done {
            let lba = try #require(lbaOf[c.id])
            #expect(c.status == 0 && c.dataIn == TinyDevice.pattern(lba: UInt64(lba), blocks: 2) && c.residual == 0)
        }
        // The slow LBA 0 was submitted first but did not complete first: the first four are the other take's.
        #expect(Set(done.prefix(4).compactMap { lbaOf[$0.id] }) == [4, 5, 6, 7])
        #expect(h.kernel.brokenReason == nil && h.kernel.commandsInFlight == 0)
        // Trace level: one line per CDB with its result.
        #expect(h.log.all.filter { $0.contains("cdb [28 00 00 00 00 00 00 00 02 00] -> GOOD data-in 1024") && $0.contains("GOOD") }.count == 1)
    }
}
