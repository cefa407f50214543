import RingIO
import Testing
import TestSupport

/// Every malformed entry fails only its own command (CHECK CONDITION 44/00 or UNKNOWN_OP), a log line
/// names the fault, and the ring keeps serving.
@Suite struct MalformedEntryTests {
    enum Expected { case unknownOp, internalTargetFailure }

    static let cases: [(SimulatedKernel.Corruption, Expected, String)] = [
        (.cdbOffsetOutsideMap, .unknownOp, "cdb_off"),
        (.iovecOutsideDataArea, .internalTargetFailure, "iovec 0"),
        (.zeroLength, .unknownOp, "entry length 0"),
        (.oversizeLength, .unknownOp, "entry length"),
        (.cdbPastEntry, .internalTargetFailure, "runs past the entry"),
        (.opcode(7), .unknownOp, "opcode 7"),
    ]

    @Test(arguments: 0..<6)
    func malformedEntryFailsOnlyItsCommand(_ index: Int) throws {
        let (corruption, expected, logText) = Self.cases[index]
        let h = try Harness()
        for round in 0..<3 {
            let good = try h.kernel.submit(cdb: testUnitReady)
            _ = try h.cycle()
            let bad = try h.kernel.submit(
                cdb: TestCDB.read10(lba: 4, blocks: 1), dataInLength: 512, corruption: corruption)
            let done = try h.cycle()
            #expect(done.map(\.id) == [bad], "round \(round)")
            let c = try #require(done.first)
            switch expected {
            case .unknownOp:
                #expect(c.unknownOperation)
            case .internalTargetFailure:
                #expect(c.status == 0x02 && !c.unknownOperation)
                #expect([c.sense[0] & 0x7F, c.sense[2] & 0xF, c.sense[12], c.sense[13]] == [0x70, 0x4, 0x44, 0x00])
            }
            // The ring still works afterwards, and the command before it completed normally.
            let after = try h.kernel.submit(cdb: TestCDB.read10(lba: 9, blocks: 1), dataInLength: 512)
            let next = try h.cycle()
            #expect(next.map(\.id) == [after])
            #expect(next.first?.dataIn == TinyDevice.pattern(lba: 9, blocks: 1))
            _ = good
        }
        #expect(h.kernel.brokenReason == nil)
        #expect(h.kernel.commandsInFlight == 0)
        #expect(h.log.all.contains { $0.contains("malformed") && $0.contains(logText) }, "\(h.log.all)")
    }
}
