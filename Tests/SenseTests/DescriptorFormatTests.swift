import Sense
import Testing

// Expected bytes are written out from SPC-5 §4.4.2 (descriptor format header) and its descriptor tables:
// information 00h (§4.4.2.2), command-specific 01h (§4.4.2.3), sense-key specific 02h (§4.4.2.4),
// stream commands 04h (§4.4.2.6), block commands 05h (§4.4.2.7).

@Suite("Descriptor format sense (72h/73h)")
struct DescriptorFormatTests {
    @Test("header only: 8 bytes, ADDITIONAL SENSE LENGTH 0")
    func headerOnly() {
        let sense = Sense(.unitAttention, .powerOnResetOrBusDeviceResetOccurred)
        let expected: [UInt8] = [
            0x72,              // 0: RESPONSE CODE 72h (current)
            0x06,              // 1: SENSE KEY 6h UNIT ATTENTION
            0x29, 0x00,        // 2-3: ASC/ASCQ 29h/00h
            0x00, 0x00, 0x00,  // 4-6: SDAT_OVFL 0, reserved
            0x00,              // 7: ADDITIONAL SENSE LENGTH 0 (no descriptors)
        ]
        #expect(sense.encoded(as: .descriptor) == expected)
    }

    @Test("ILLEGAL REQUEST with a sense-key specific descriptor (field pointer, C/D, BPV)")
    func fieldPointer() {
        let sense = Sense(.illegalRequest, .invalidFieldInCDB, keySpecific: .fieldPointer(inCDB: true, byte: 2, bit: 7))
        let expected: [UInt8] = [
            0x72, 0x05, 0x24, 0x00,  // 0-3: current, ILLEGAL REQUEST, 24h/00h
            0x00, 0x00, 0x00,        // 4-6
            0x08,                    // 7: ADDITIONAL SENSE LENGTH 8
            0x02,                    // 8: DESCRIPTOR TYPE 02h sense-key specific
            0x06,                    // 9: ADDITIONAL LENGTH 6
            0x00, 0x00,              // 10-11: reserved
            0xCF,                    // 12: SKSV 1, C/D 1, BPV 1, BIT POINTER 7
            0x00, 0x02,              // 13-14: FIELD POINTER 2
            0x00,                    // 15: reserved
        ]
        #expect(sense.encoded(as: .descriptor) == expected)
    }

    @Test("64-bit INFORMATION in the information descriptor, plus a retry count")
    func wideInformation() {
        let sense = Sense(
            .mediumError, .unrecoveredReadError, information: 0x0000_0001_2345_6789,
            keySpecific: .actualRetryCount(0x0102))
        let expected: [UInt8] = [
            0x72, 0x03, 0x11, 0x00,  // 0-3: current, MEDIUM ERROR, 11h/00h
            0x00, 0x00, 0x00,
            0x14,                    // 7: ADDITIONAL SENSE LENGTH 20 (12 + 8)
            0x00,                    // 8: DESCRIPTOR TYPE 00h information
            0x0A,                    // 9: ADDITIONAL LENGTH 0Ah
            0x80,                    // 10: VALID 1
            0x00,                    // 11: reserved
            0x00, 0x00, 0x00, 0x01, 0x23, 0x45, 0x67, 0x89,  // 12-19: INFORMATION
            0x02, 0x06, 0x00, 0x00,  // 20-23: sense-key specific descriptor header
            0x80, 0x01, 0x02,        // 24-26: SKSV, ACTUAL RETRY COUNT 0102h
            0x00,                    // 27: reserved
        ]
        #expect(sense.encoded(as: .descriptor) == expected)
    }

    @Test("small INFORMATION fills the upper four bytes with zero")
    func smallInformation() {
        let bytes = Sense(.illegalRequest, .logicalBlockAddressOutOfRange, information: 0x10).encoded(as: .descriptor)
        let expected: [UInt8] = [
            0x72, 0x05, 0x21, 0x00, 0x00, 0x00, 0x00,
            0x0C,                    // 7: ADDITIONAL SENSE LENGTH 12
            0x00, 0x0A, 0x80, 0x00,  // information descriptor, VALID
            0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10,  // INFORMATION 10h
        ]
        #expect(bytes == expected)
    }

    @Test("every descriptor, deferred 73h: 44 bytes, the documented maximum")
    func everything() {
        let sense = Sense(
            .copyAborted, .incorrectCopyTargetDeviceType,
            information: 0x0102_0304_0506_0708, commandSpecific: 0xA1A2_A3A4_A5A6_A7A8,
            keySpecific: .segmentPointer(inSegmentDescriptor: false, byte: 0x1234, bit: nil),
            deferred: true, filemark: true, endOfMedium: true, incorrectLength: true)
        let expected: [UInt8] = [
            0x73,                    // 0: RESPONSE CODE 73h (deferred)
            0x0A,                    // 1: SENSE KEY Ah COPY ABORTED
            0x0D, 0x03,              // 2-3: 0Dh/03h
            0x00, 0x00, 0x00,        // 4-6
            0x24,                    // 7: ADDITIONAL SENSE LENGTH 36 (12 + 12 + 8 + 4)
            0x00, 0x0A, 0x80, 0x00,  // 8-11: information descriptor, VALID 1
            0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08,  // 12-19: INFORMATION
            0x01, 0x0A, 0x00, 0x00,  // 20-23: command-specific information descriptor
            0xA1, 0xA2, 0xA3, 0xA4, 0xA5, 0xA6, 0xA7, 0xA8,  // 24-31: COMMAND-SPECIFIC INFORMATION
            0x02, 0x06, 0x00, 0x00,  // 32-35: sense-key specific descriptor
            0x80,                    // 36: SKSV 1, SD 0, BPV 0
            0x12, 0x34,              // 37-38: FIELD POINTER 1234h
            0x00,                    // 39: reserved
            0x04, 0x02, 0x00,        // 40-42: stream commands descriptor, ADDITIONAL LENGTH 2, reserved
            0xE0,                    // 43: FILEMARK 1, EOM 1, ILI 1
        ]
        #expect(sense.encoded(as: .descriptor) == expected)
        #expect(expected.count == Sense.maximumEncodedLength)
        #expect(Sense.maximumEncodedLength <= 96)  // TCMU_SENSE_BUFFERSIZE
    }

    @Test("ILI alone goes in the block commands descriptor (05h)")
    func incorrectLengthOnly() {
        let sense = Sense(.illegalRequest, .invalidFieldInCDB, information: 4, incorrectLength: true)
        let expected: [UInt8] = [
            0x72, 0x05, 0x24, 0x00, 0x00, 0x00, 0x00,
            0x10,                    // 7: ADDITIONAL SENSE LENGTH 16 (12 + 4)
            0x00, 0x0A, 0x80, 0x00,  // information descriptor
            0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x04,  // INFORMATION 4 (residue)
            0x05,                    // DESCRIPTOR TYPE 05h block commands
            0x02,                    // ADDITIONAL LENGTH 2
            0x00,                    // reserved
            0x20,                    // ILI 1 (bit 5)
        ]
        #expect(sense.encoded(as: .descriptor) == expected)
    }

    @Test("NOT READY progress indication and UNIT ATTENTION overflow descriptors")
    func progressAndOverflow() {
        let progress = Sense(.notReady, .logicalUnitNotReadySanitizeInProgress, keySpecific: .progress(0x4000))
        #expect(progress.encoded(as: .descriptor) == [
            0x72, 0x02, 0x04, 0x1B, 0x00, 0x00, 0x00, 0x08,  // NOT READY 04h/1Bh, length 8
            0x02, 0x06, 0x00, 0x00, 0x80, 0x40, 0x00, 0x00,  // SKSV, PROGRESS INDICATION 4000h (25 %)
        ])
        let overflow = Sense(.unitAttention, .modeParametersChanged, keySpecific: .unitAttentionOverflow(true))
        #expect(overflow.encoded(as: .descriptor) == [
            0x72, 0x06, 0x2A, 0x01, 0x00, 0x00, 0x00, 0x08,  // UNIT ATTENTION 2Ah/01h, length 8
            0x02, 0x06, 0x00, 0x00, 0x81, 0x00, 0x00, 0x00,  // SKSV, OVERFLOW 1
        ])
    }

    @Test("command-specific information without INFORMATION")
    func commandSpecificOnly() {
        let sense = Sense(.mediumError, .unrecoveredReadError, commandSpecific: 0xFFFF_FFFF_FFFF_FFFF)
        #expect(sense.encoded(as: .descriptor) == [
            0x72, 0x03, 0x11, 0x00, 0x00, 0x00, 0x00, 0x0C,  // length 12
            0x01, 0x0A, 0x00, 0x00,                          // command-specific descriptor
            0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,  // "not available" (SBC-4 REASSIGN BLOCKS)
        ])
    }
}
