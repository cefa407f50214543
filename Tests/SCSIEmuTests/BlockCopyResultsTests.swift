import Foundation
import Sense
import Testing
import TestSupport

@testable import SCSIEmu

/// RECEIVE COPY RESULTS: COPY STATUS (00h) and FAILED SEGMENT DETAILS (04h) of EXTENDED COPY (LID1)
/// commands, with exact parameter data (SPC-4 RECEIVE COPY STATUS(LID1), RECEIVE COPY FAILURE
/// DETAILS(LID1)).
@Suite("Block copy results")
struct BlockCopyResultsTests {
    typealias C = BlockCopyTests

    static func rcr(_ disk: BlockTestDisk, _ sa: UInt8, list: UInt8, allocation: UInt32 = 1024) -> (result: CommandResult, data: [UInt8]) {
        disk.run([0x84, sa, list, 0, 0, 0, 0, 0, 0, 0] + BlockCDB.be(UInt64(allocation), 4) + [0, 0], dataIn: Int(allocation))
    }

    static let unknownList = CommandResult.checkCondition(SPC.invalidFieldInCDB(byte: 2))

    @Test func copyStatusOfACompletedCopyIsReturnedOnce() throws {
        let disk = try BlockTestDisk(.memory)
        // Before any copy: nothing is known about list 1.
        #expect(Self.rcr(disk, 0x00, list: 1).result == Self.unknownList)
        let l = C.list([C.cscd(disk)], [C.segment(8, from: 0, to: 100)], usage: 0, listID: 1)
        #expect(C.xcopy(disk, l) == CommandResult(status: .good))
        // A 4-byte allocation gets AVAILABLE DATA only, and keeps the status.
        let short = Self.rcr(disk, 0x00, list: 1, allocation: 4)
        #expect(short.result == CommandResult(status: .good, dataInLength: 4))
        #expect(short.data == [0, 0, 0, 8])
        // Completed without errors, 1 segment, 4096 bytes counted in bytes (units 00h).
        let r = Self.rcr(disk, 0x00, list: 1)
        #expect(r.result == CommandResult(status: .good, dataInLength: 12))
        #expect(r.data == [0, 0, 0, 8, 0x01, 0, 1, 0x00, 0, 0, 0x10, 0x00])
        // Transferred in full: discarded.
        #expect(Self.rcr(disk, 0x00, list: 1).result == Self.unknownList)
        #expect(Self.rcr(disk, 0x00, list: 2).result == Self.unknownList)
    }

    @Test func listIDUsageDecidesWhatIsKept() throws {
        let disk = try BlockTestDisk(.memory)
        let seg = [C.segment(1, from: 0, to: 100)]
        // 10b: kept under its identifier; no failure details (AVAILABLE DATA 0, nothing after it).
        #expect(C.xcopy(disk, C.list([C.cscd(disk)], seg, usage: 2, listID: 9)) == CommandResult(status: .good))
        let details = Self.rcr(disk, 0x04, list: 9)
        #expect(details.result == CommandResult(status: .good, dataInLength: 4))
        #expect(details.data == [0, 0, 0, 0])
        #expect(Self.rcr(disk, 0x00, list: 9).data == [0, 0, 0, 8, 0x01, 0, 1, 0x00, 0, 0, 0x02, 0x00])
        // 11b: no identifier, nothing kept.
        #expect(C.xcopy(disk, C.list([C.cscd(disk)], seg, usage: 3, listID: 0)) == CommandResult(status: .good))
        #expect(Self.rcr(disk, 0x00, list: 0).result == Self.unknownList)
        // 01b is reserved.
        #expect(C.xcopy(disk, C.list([C.cscd(disk)], seg, usage: 1, listID: 4))
            == .checkCondition(SPC.invalidFieldInParameterList(byte: 1, bit: 4)))
        // A list refused as ILLEGAL REQUEST never started: nothing kept, and it replaces an earlier result.
        #expect(C.xcopy(disk, C.list([C.cscd(disk)], seg, usage: 0, listID: 5)) == CommandResult(status: .good))
        #expect(C.xcopy(disk, C.list([C.cscd(disk)], seg + seg, usage: 0, listID: 5))
            == .checkCondition(Sense(.illegalRequest, .tooManySegmentDescriptors)))
        #expect(Self.rcr(disk, 0x00, list: 5).result == Self.unknownList)
    }

    @Test func aFailedCopyKeepsItsSense() throws {
        let disk = try BlockTestDisk(.memory)
        // Destination past the capacity: COPY ABORTED, segment pointer to byte 20 of the descriptor.
        let l = C.list([C.cscd(disk)], [C.segment(8, from: 0, to: 2041)], usage: 0, listID: 3)
        let abort = Sense(.copyAborted, .noAdditionalSenseInformation,
                          keySpecific: .segmentPointer(inSegmentDescriptor: true, byte: 20, bit: nil))
        #expect(C.xcopy(disk, l) == .checkCondition(abort))
        // FAILED SEGMENT DETAILS: fixed-format sense (D_SENSE 0), 18 bytes.
        let sense: [UInt8] = [0x70, 0, 0x0A, 0, 0, 0, 0, 10, 0, 0, 0, 0, 0x00, 0x00, 0, 0xA0, 0x00, 20]
        let expected = [0, 0, 0, UInt8(56 + 18)] + [UInt8](repeating: 0, count: 52) + [0x02, 0, 0, 18] + sense
        // Short allocation: truncated, kept.
        let short = Self.rcr(disk, 0x04, list: 3, allocation: 60)
        #expect(short.data == Array(expected.prefix(60)))
        // COPY STATUS: completed with errors, nothing processed.
        #expect(Self.rcr(disk, 0x00, list: 3).data == [0, 0, 0, 8, 0x02, 0, 0, 0x00, 0, 0, 0, 0])
        let full = Self.rcr(disk, 0x04, list: 3)
        #expect(full.result == CommandResult(status: .good, dataInLength: expected.count))
        #expect(full.data == expected)
        // Both transferred: discarded.
        #expect(Self.rcr(disk, 0x04, list: 3).result == Self.unknownList)
        #expect(Self.rcr(disk, 0x00, list: 3).result == Self.unknownList)
    }

    @Test func resultsExpireAndDuplicatesInProgressAreRefused() throws {
        let results = CopyResults()
        let t0 = ContinuousClock.now
        try results.begin(7, now: t0)
        #expect(results.take(7, now: t0, marking: \.statusTransferred)?.inProgress == true)
        // Still running: a second copy with the same identifier is OPERATION IN PROGRESS.
        #expect(throws: Sense(.illegalRequest, .operationInProgress)) { try results.begin(7, now: t0) }
        results.finish(7, segments: 1, bytes: 512, failure: nil, now: t0)
        #expect(results.take(7, now: t0 + .seconds(4), marking: nil)?.bytesTransferred == 512)
        #expect(results.take(7, now: t0 + CopyResults.retention + .milliseconds(1), marking: nil) == nil)
        // A completed copy's identifier may be used again.
        try results.begin(7, now: t0 + .seconds(10))
    }

    @Test func rsocListsTheCopyResultsServiceActions() throws {
        let disk = try BlockTestDisk(.memory)
        for sa: UInt8 in [0x00, 0x03, 0x04] {
            let r = disk.run([0xA3, 0x0C, 0x02, 0x84, 0, sa, 0, 0, 1, 0, 0, 0], dataIn: 256)
            #expect(r.data.count == 20 && r.data[1] & 0x07 == 3, "84h/\(sa)")
            #expect(Array(r.data.dropFirst(4)) == [0x84, sa, 0xFF, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0])
        }
        #expect(Self.rcr(disk, 0x01, list: 0).result == .checkCondition(SPC.invalidFieldInCDB(byte: 1, bit: 4)))
    }
}
