import Sense
import Testing

// Expected bytes are written out from SPC-5 §4.4.3 (fixed format, table "Fixed format sense data") and
// §4.4.2.4 (sense-key specific layouts), one comment per field — never produced by the encoder.

@Suite("Fixed format sense (70h/71h)")
struct FixedFormatTests {
    @Test("ILLEGAL REQUEST / INVALID FIELD IN CDB with a CDB field pointer and bit pointer")
    func fieldPointerInCDB() {
        let sense = Sense(.illegalRequest, .invalidFieldInCDB, keySpecific: .fieldPointer(inCDB: true, byte: 2, bit: 7))
        let expected: [UInt8] = [
            0x70,                    // 0: VALID 0, RESPONSE CODE 70h (current)
            0x00,                    // 1: obsolete
            0x05,                    // 2: FILEMARK/EOM/ILI 0, SENSE KEY 5h ILLEGAL REQUEST
            0x00, 0x00, 0x00, 0x00,  // 3-6: INFORMATION (not valid)
            0x0A,                    // 7: ADDITIONAL SENSE LENGTH 10 (18-byte sense)
            0x00, 0x00, 0x00, 0x00,  // 8-11: COMMAND-SPECIFIC INFORMATION
            0x24, 0x00,              // 12-13: ASC/ASCQ 24h/00h
            0x00,                    // 14: FRU code
            0xCF,                    // 15: SKSV 1, C/D 1 (CDB), BPV 1, BIT POINTER 7
            0x00, 0x02,              // 16-17: FIELD POINTER 2
        ]
        #expect(sense.encoded(as: .fixed) == expected)
        #expect(sense.encodedLength(as: .fixed) == 18)
    }

    @Test("ILLEGAL REQUEST / INVALID FIELD IN PARAMETER LIST, byte pointer without a bit")
    func fieldPointerInParameterList() {
        let sense = Sense(
            .illegalRequest, .invalidFieldInParameterList,
            keySpecific: .fieldPointer(inCDB: false, byte: 0x0104, bit: nil))
        let expected: [UInt8] = [
            0x70, 0x00, 0x05,        // 0-2: current, key ILLEGAL REQUEST
            0x00, 0x00, 0x00, 0x00,  // 3-6: INFORMATION
            0x0A,                    // 7: additional length
            0x00, 0x00, 0x00, 0x00,  // 8-11: COMMAND-SPECIFIC INFORMATION
            0x26, 0x00, 0x00,        // 12-14: ASC 26h, ASCQ 00h, FRU
            0x80,                    // 15: SKSV 1, C/D 0 (parameter list), BPV 0
            0x01, 0x04,              // 16-17: FIELD POINTER 0104h
        ]
        #expect(sense.encoded(as: .fixed) == expected)
    }

    @Test("MEDIUM ERROR with a 32-bit INFORMATION (VALID set) and an actual retry count")
    func informationAndRetryCount() {
        let sense = Sense(
            .mediumError, .unrecoveredReadError, information: 0x1234_5678, keySpecific: .actualRetryCount(3))
        let expected: [UInt8] = [
            0xF0,                    // 0: VALID 1, RESPONSE CODE 70h
            0x00,                    // 1: obsolete
            0x03,                    // 2: SENSE KEY 3h MEDIUM ERROR
            0x12, 0x34, 0x56, 0x78,  // 3-6: INFORMATION 12345678h
            0x0A,                    // 7: additional length
            0x00, 0x00, 0x00, 0x00,  // 8-11: COMMAND-SPECIFIC INFORMATION
            0x11, 0x00, 0x00,        // 12-14: 11h/00h UNRECOVERED READ ERROR, FRU
            0x80, 0x00, 0x03,        // 15-17: SKSV, ACTUAL RETRY COUNT 3
        ]
        #expect(sense.encoded(as: .fixed) == expected)
    }

    @Test("INFORMATION wider than 32 bits: VALID 0 and the field zero")
    func informationTooWide() {
        let sense = Sense(.illegalRequest, .logicalBlockAddressOutOfRange, information: 0x1_0000_0000)
        let expected: [UInt8] = [
            0x70, 0x00, 0x05,        // 0-2: VALID 0 - the LBA does not fit; key ILLEGAL REQUEST
            0x00, 0x00, 0x00, 0x00,  // 3-6: INFORMATION not defined, written as zero
            0x0A, 0x00, 0x00, 0x00, 0x00,  // 7: additional length, 8-11: CSI
            0x21, 0x00, 0x00,        // 12-14: 21h/00h, FRU
            0x00, 0x00, 0x00,        // 15-17: SKSV 0
        ]
        #expect(sense.encoded(as: .fixed) == expected)
    }

    @Test("NOT READY / FORMAT IN PROGRESS with a progress indication")
    func progressIndication() {
        let sense = Sense(.notReady, .logicalUnitNotReadyFormatInProgress, keySpecific: .progress(0x8000))
        let expected: [UInt8] = [
            0x70, 0x00, 0x02,        // 0-2: current, key 2h NOT READY
            0x00, 0x00, 0x00, 0x00,  // 3-6: INFORMATION
            0x0A,                    // 7
            0x00, 0x00, 0x00, 0x00,  // 8-11
            0x04, 0x04, 0x00,        // 12-14: 04h/04h FORMAT IN PROGRESS
            0x80, 0x80, 0x00,        // 15-17: SKSV, PROGRESS INDICATION 8000h (50 %)
        ]
        #expect(sense.encoded(as: .fixed) == expected)
    }

    @Test("deferred error uses 71h")
    func deferred() {
        let sense = Sense(.mediumError, .writeError, information: 7, deferred: true)
        let expected: [UInt8] = [
            0xF1,                    // 0: VALID 1, RESPONSE CODE 71h (deferred)
            0x00, 0x03,              // 1-2: key MEDIUM ERROR
            0x00, 0x00, 0x00, 0x07,  // 3-6: INFORMATION 7
            0x0A, 0x00, 0x00, 0x00, 0x00,  // 7-11
            0x0C, 0x00, 0x00,        // 12-14: 0Ch/00h WRITE ERROR
            0x00, 0x00, 0x00,        // 15-17
        ]
        #expect(sense.encoded(as: .fixed) == expected)
    }

    @Test("COPY ABORTED with COMMAND-SPECIFIC INFORMATION and a segment pointer (SD, BPV)")
    func commandSpecificAndSegmentPointer() {
        let sense = Sense(
            .copyAborted, .copyTargetDeviceNotReachable, commandSpecific: 0xDEAD_BEEF,
            keySpecific: .segmentPointer(inSegmentDescriptor: true, byte: 0x0010, bit: 5))
        let expected: [UInt8] = [
            0x70, 0x00, 0x0A,        // 0-2: key Ah COPY ABORTED
            0x00, 0x00, 0x00, 0x00,  // 3-6
            0x0A,                    // 7
            0xDE, 0xAD, 0xBE, 0xEF,  // 8-11: COMMAND-SPECIFIC INFORMATION
            0x0D, 0x02, 0x00,        // 12-14: 0Dh/02h
            0xAD,                    // 15: SKSV 1, SD 1 (bit 5), BPV 1 (bit 3), BIT POINTER 5
            0x00, 0x10,              // 16-17: FIELD POINTER 0010h
        ]
        #expect(sense.encoded(as: .fixed) == expected)
    }

    @Test("COMMAND-SPECIFIC INFORMATION wider than 32 bits saturates to FFFFFFFFh")
    func commandSpecificTooWide() {
        let bytes = Sense(.mediumError, .unrecoveredReadError, commandSpecific: 0x1_2345_6789).encoded(as: .fixed)
        #expect(Array(bytes[8...11]) == [0xFF, 0xFF, 0xFF, 0xFF])
    }

    @Test("FILEMARK, EOM, ILI in byte 2; ILI residue -4 as 32-bit two's complement")
    func streamBitsAndNegativeResidue() {
        let sense = Sense(
            .illegalRequest, .invalidFieldInCDB, information: UInt64(bitPattern: -4),
            filemark: true, endOfMedium: true, incorrectLength: true)
        let expected: [UInt8] = [
            0xF0,                    // 0: VALID 1 - the residue fits an Int32
            0x00,
            0xE5,                    // 2: FILEMARK 1, EOM 1, ILI 1, key 5h
            0xFF, 0xFF, 0xFF, 0xFC,  // 3-6: INFORMATION -4 (two's complement)
            0x0A, 0x00, 0x00, 0x00, 0x00,
            0x24, 0x00, 0x00,
            0x00, 0x00, 0x00,
        ]
        #expect(sense.encoded(as: .fixed) == expected)
    }

    @Test("UNIT ATTENTION with the queue overflow bit")
    func unitAttentionOverflow() {
        let sense = Sense(.unitAttention, .powerOnResetOrBusDeviceResetOccurred, keySpecific: .unitAttentionOverflow(true))
        let expected: [UInt8] = [
            0x70, 0x00, 0x06,        // key 6h UNIT ATTENTION
            0x00, 0x00, 0x00, 0x00, 0x0A, 0x00, 0x00, 0x00, 0x00,
            0x29, 0x00, 0x00,        // 29h/00h
            0x81,                    // 15: SKSV 1, OVERFLOW 1 (bit 0)
            0x00, 0x00,              // 16-17: reserved
        ]
        #expect(sense.encoded(as: .fixed) == expected)
    }

    @Test("raw sense-key specific bytes are written verbatim under SKSV")
    func rawKeySpecific() {
        let sense = Sense(.dataProtect, .writeProtected, keySpecific: .raw(0x7F, 0xAB, 0xCD))
        let bytes = sense.encoded(as: .fixed)
        #expect(bytes[2] == 0x07)
        #expect(Array(bytes[15...17]) == [0xFF, 0xAB, 0xCD])  // SKSV | 7Fh, ABh, CDh
    }
}
