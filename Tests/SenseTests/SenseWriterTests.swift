import Sense
import Testing
import TestSupport

@Suite("Non-allocating sense writer and log text")
struct SenseWriterTests {
    @Test("writing into a 96-byte ring slot matches encoded(as:) and leaves the rest alone")
    func ringSlot() {
        var rng = SplitMix64(seed: 96)
        for _ in 0..<200 {
            let sense = SenseSamples.random(using: &rng)
            for format in [SenseFormat.fixed, .descriptor] {
                var slot = [UInt8](repeating: 0xEE, count: 96)
                let written = Self.encode(sense, as: format, into: &slot)
                let expected = sense.encoded(as: format)
                #expect(written == expected.count)
                #expect(Array(slot[..<written]) == expected)
                #expect(slot[written...].allSatisfy { $0 == 0xEE })
            }
        }
    }

    @Test("a destination shorter than the sense receives its leading bytes (truncated sense)")
    func shortDestination() {
        let sense = Sense(.illegalRequest, .invalidFieldInCDB, keySpecific: .fieldPointer(inCDB: true, byte: 2, bit: 7))
        for length in 0..<18 {
            var buffer = [UInt8](repeating: 0xEE, count: length)
            #expect(Self.encode(sense, as: .fixed, into: &buffer) == length)
            #expect(buffer == Array(sense.encoded(as: .fixed).prefix(length)))
        }
    }

    @Test("a stale slot is overwritten, reserved bytes included")
    func staleSlot() {
        var slot = [UInt8](repeating: 0xFF, count: 96)
        let written = Self.encode(Sense(.unitAttention, .capacityDataHasChanged), as: .fixed, into: &slot)
        #expect(Array(slot[..<written]) == [
            0x70, 0x00, 0x06, 0x00, 0x00, 0x00, 0x00, 0x0A, 0x00, 0x00, 0x00, 0x00,
            0x2A, 0x09, 0x00, 0x00, 0x00, 0x00,  // 2Ah/09h CAPACITY DATA HAS CHANGED
        ])
    }

    @Test("description: the log line of the brief and every optional part")
    func description() {
        let fieldPointer = Sense(.illegalRequest, .invalidFieldInCDB, keySpecific: .fieldPointer(inCDB: true, byte: 2, bit: 7))
        #expect(fieldPointer.description == "ILLEGAL REQUEST 24/00 INVALID FIELD IN CDB field CDB byte 2 bit 7")
        let everything = Sense(
            .mediumError, .unrecoveredReadError, information: 0x1A2B, commandSpecific: 0xFF,
            keySpecific: .actualRetryCount(3), deferred: true, filemark: true, endOfMedium: true, incorrectLength: true)
        #expect(everything.description ==
            "deferred MEDIUM ERROR 11/00 UNRECOVERED READ ERROR retries 3 info=0x1A2B csi=0xFF FILEMARK EOM ILI")
        #expect(Sense(.notReady, .logicalUnitNotReadyFormatInProgress, keySpecific: .progress(0x8000)).description ==
            "NOT READY 04/04 LOGICAL UNIT NOT READY, FORMAT IN PROGRESS progress 32768/65536 (50%)")
        #expect(Sense(.abortedCommand, AdditionalSenseCode(asc: 0x80, ascq: 0x01)).description == "ABORTED COMMAND 80/01")
        #expect(Sense.hexDump([0x70, 0x00, 0x05, 0xAB]) == "70 00 05 AB")
    }

    private static func encode(_ sense: Sense, as format: SenseFormat, into buffer: inout [UInt8]) -> Int {
        var span = buffer.mutableSpan
        var raw = span.mutableBytes
        return sense.encode(as: format, into: &raw)
    }
}
