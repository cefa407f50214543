import Foundation
import Logging
import RingIO
import Testing
import TestSupport

/// I/O workers finish out of order; completions go into the slot at cmd_tail with their own cmd_id,
/// and the kernel finds each command by id.
@Suite struct OutOfOrderTests {
    @Test func workersCompleteOutOfOrder() throws {
        let h = try Harness(device: TinyDevice(slowLBA: 0), ioWorkers: 2, level: .trace)
        var lbaOf: [UInt16: UInt32] = [:]
        for lba: UInt32 in 0..<8 {
            lbaOf[try h.kernel.submit(cdb: TestCDB.read10(lba: lba, blocks: 2), dataInLength: 1024, notify: false)] = lba
        }
        h.kernel.notifyUser()
        h.runner.start()
        let done = try h.kernel.collect(8, within: 10_000)
        h.runner.stop()
        #expect(done.count == 8)
        #expect(Set(done.map(\.id)) == Set(lbaOf.keys))
        for c in done {
            let lba = try #require(lbaOf[c.id])
            #expect(c.status == 0 && c.dataIn == TinyDevice.pattern(lba: UInt64(lba), blocks: 2) && c.residual == 0)
        }
        // The slow LBA 0 was submitted first but did not complete first.
        #expect(lbaOf[done[0].id] != 0)
        #expect(h.kernel.brokenReason == nil && h.kernel.commandsInFlight == 0)
        // Trace level: one line per CDB with its result.
        #expect(h.log.all.filter { $0.contains("cdb [28 00 00 00 00 00 00 00 02 00] -> GOOD data-in 1024") && $0.contains("GOOD") }.count == 1)
    }
}
