import Sense
import Testing
import TestSupport

@Suite("Sense decoder")
struct SenseDecoderTests {
    // MARK: - Hand-written sense from the T10 tables

    @Test("fixed: key, ASC/ASCQ, VALID INFORMATION, CSI, field pointer")
    func decodeFixed() throws {
        let bytes: [UInt8] = [
            0xF0, 0x00, 0x05,        // VALID, 70h, ILLEGAL REQUEST
            0x00, 0x00, 0x01, 0x00,  // INFORMATION 100h
            0x0A,
            0x00, 0x00, 0x00, 0x2A,  // CSI 2Ah
            0x24, 0x00, 0x00,
            0xCB, 0x00, 0x09,        // SKSV, C/D, BPV, bit 3; byte 9
        ]
        let sense = try Sense(decoding: bytes)
        #expect(sense == Sense(
            .illegalRequest, .invalidFieldInCDB, information: 0x100, commandSpecific: 0x2A,
            keySpecific: .fieldPointer(inCDB: true, byte: 9, bit: 3)))
    }

    @Test("fixed: VALID 0 hides INFORMATION, SKSV 0 hides the key-specific bytes")
    func fixedValidBits() throws {
        let bytes: [UInt8] = [
            0x70, 0x00, 0x03, 0x11, 0x22, 0x33, 0x44, 0x0A,
            0x00, 0x00, 0x00, 0x00, 0x11, 0x00, 0x00, 0x7F, 0xFF, 0xFF,
        ]
        #expect(try Sense(decoding: bytes) == Sense(.mediumError, .unrecoveredReadError))
    }

    @Test("fixed: ILI sign-extends a negative residue")
    func fixedNegativeResidue() throws {
        let bytes: [UInt8] = [
            0xF0, 0x00, 0x25, 0xFF, 0xFF, 0xFF, 0xFC, 0x0A,
            0x00, 0x00, 0x00, 0x00, 0x24, 0x00, 0x00, 0x00, 0x00, 0x00,
        ]
        let sense = try Sense(decoding: bytes)
        #expect(sense.incorrectLength)
        #expect(sense.information.map { Int64(bitPattern: $0) } == -4)
    }

    @Test("sense-key specific layout follows the sense key")
    func keySpecificByKey() throws {
        func decode(key: UInt8, _ b0: UInt8, _ b1: UInt8, _ b2: UInt8) throws -> SenseKeySpecific? {
            let bytes: [UInt8] = [0x70, 0, key, 0, 0, 0, 0, 0x0A, 0, 0, 0, 0, 0, 0, 0, b0, b1, b2]
            return try Sense(decoding: bytes).keySpecific
        }
        #expect(try decode(key: 0x5, 0xCD, 0x00, 0x01) == .fieldPointer(inCDB: true, byte: 1, bit: 5))
        #expect(try decode(key: 0x5, 0xC5, 0x00, 0x01) == .fieldPointer(inCDB: true, byte: 1, bit: nil))  // BPV 0
        #expect(try decode(key: 0x5, 0x80, 0x01, 0x00) == .fieldPointer(inCDB: false, byte: 256, bit: nil))
        #expect(try decode(key: 0x0, 0x80, 0x12, 0x34) == .progress(0x1234))
        #expect(try decode(key: 0x2, 0x80, 0xFF, 0xFF) == .progress(0xFFFF))
        #expect(try decode(key: 0x1, 0x80, 0x00, 0x05) == .actualRetryCount(5))
        #expect(try decode(key: 0x3, 0x80, 0x00, 0x06) == .actualRetryCount(6))
        #expect(try decode(key: 0x4, 0x80, 0x00, 0x07) == .actualRetryCount(7))
        #expect(try decode(key: 0xA, 0xAA, 0x00, 0x20) == .segmentPointer(inSegmentDescriptor: true, byte: 0x20, bit: 2))
        #expect(try decode(key: 0xA, 0x80, 0x00, 0x20) == .segmentPointer(inSegmentDescriptor: false, byte: 0x20, bit: nil))
        #expect(try decode(key: 0x6, 0x81, 0x00, 0x00) == .unitAttentionOverflow(true))
        #expect(try decode(key: 0x6, 0x80, 0x00, 0x00) == .unitAttentionOverflow(false))
        #expect(try decode(key: 0x7, 0x8F, 0x01, 0x02) == .raw(0x0F, 0x01, 0x02))
        #expect(try decode(key: 0xB, 0x00, 0x01, 0x02) == nil)
    }

    @Test("descriptor: skips unknown descriptors (FRU 03h, vendor 80h), first of a type wins")
    func descriptorSkipsUnknown() throws {
        let bytes: [UInt8] = [
            0x72, 0x04, 0x44, 0x00, 0x00, 0x00, 0x00,
            0x1C,                    // 7: 28 = 4 + 4 + 12 + 8
            0x03, 0x02, 0x00, 0x42,  // FRU descriptor (not modelled)
            0x80, 0x02, 0xAA, 0xBB,  // vendor-specific descriptor
            0x00, 0x0A, 0x80, 0x00, 0, 0, 0, 0, 0, 0, 0, 0x07,  // information 7
            0x00, 0x06, 0x80, 0x00, 0, 0, 0, 0,  // a second 00h (length 6): ignored
        ]
        #expect(try Sense(decoding: bytes) == Sense(.hardwareError, .internalTargetFailure, information: 7))
    }

    @Test("descriptor: information descriptor with VALID 0 gives no information")
    func descriptorInformationNotValid() throws {
        let bytes: [UInt8] = [
            0x72, 0x03, 0x11, 0x00, 0, 0, 0, 0x0C,
            0x00, 0x0A, 0x00, 0x00, 0, 0, 0, 0, 0, 0, 0, 0x09,
        ]
        #expect(try Sense(decoding: bytes).information == nil)
    }

    // MARK: - Errors

    @Test("every response code other than 70h-73h is refused with its value")
    func unknownResponseCodes() {
        for code in UInt8(0)...0xFF where !(0x70...0x73).contains(code & 0x7F) {
            let bytes: [UInt8] = [code, 0, 0x05, 0, 0, 0, 0, 0x0A, 0, 0, 0, 0, 0x24, 0, 0, 0, 0, 0]
            #expect(throws: SenseDecodingError.unknownResponseCode(code & 0x7F)) { try Sense(decoding: bytes) }
        }
        #expect(Sense.format(ofEncoded: [0x7F]) == nil)
        #expect(Sense.format(ofEncoded: [0xF1]) == .fixed)
        #expect(Sense.format(ofEncoded: [0x73]) == .descriptor)
    }

    @Test("empty input and a cut-off key are .truncated at the first missing byte")
    func truncatedErrors() {
        #expect(throws: SenseDecodingError.truncated(at: 0)) { try Sense(decoding: [UInt8]()) }
        #expect(throws: SenseDecodingError.truncated(at: 2)) { try Sense(decoding: [0x70, 0x00]) }
        #expect(throws: SenseDecodingError.truncated(at: 1)) { try Sense(decoding: [0x72]) }
        let error = SenseDecodingError.truncated(at: 2)
        #expect(error.code == .truncated)
        #expect(error.description == "sense data truncated at byte 2")
    }

    @Test("a known descriptor too short for its fields is .malformedDescriptor at its offset")
    func malformedDescriptor() {
        let shortInformation: [UInt8] = [0x72, 0x05, 0x24, 0x00, 0, 0, 0, 0x04, 0x00, 0x02, 0x80, 0x00]
        #expect(throws: SenseDecodingError.malformedDescriptor(type: 0x00, at: 8)) {
            try Sense(decoding: shortInformation)
        }
        let shortKeySpecific: [UInt8] = [
            0x72, 0x05, 0x24, 0x00, 0, 0, 0, 0x08,
            0x03, 0x02, 0x00, 0x00,  // FRU, fine
            0x02, 0x02, 0x00, 0x00,  // sense-key specific with ADDITIONAL LENGTH 2 at offset 12
        ]
        #expect(throws: SenseDecodingError.malformedDescriptor(type: 0x02, at: 12)) {
            try Sense(decoding: shortKeySpecific)
        }
    }

    // MARK: - Truncated but valid sense

    @Test("8-byte descriptor header and short fixed sense decode what is there")
    func truncatedButValid() throws {
        #expect(try Sense(decoding: [0x72, 0x05, 0x24, 0x00, 0, 0, 0, 0x08]) == Sense(.illegalRequest, .invalidFieldInCDB))
        // Fixed sense cut after the INFORMATION field: key and information, no ASC yet.
        #expect(try Sense(decoding: [0xF0, 0x00, 0x03, 0x00, 0x00, 0x00, 0x05]) ==
            Sense(.mediumError, .noAdditionalSenseInformation, information: 5))
        // ADDITIONAL SENSE LENGTH 6 ends the data after ASC/ASCQ although the buffer holds 18 bytes.
        let short: [UInt8] = [0x70, 0, 0x05, 0, 0, 0, 0, 0x06, 0, 0, 0, 0, 0x24, 0x00, 0, 0xCF, 0x00, 0x02]
        #expect(try Sense(decoding: short) == Sense(.illegalRequest, .invalidFieldInCDB))
    }

    @Test("every prefix of every encoding decodes or throws .truncated, never traps")
    func everyPrefix() throws {
        var rng = SplitMix64(seed: 0x5E45E)
        for _ in 0..<200 {
            let sense = SenseSamples.random(using: &rng)
            for format in [SenseFormat.fixed, .descriptor] {
                let bytes = sense.encoded(as: format)
                for length in 0...bytes.count {
                    do throws(SenseDecodingError) {
                        let decoded = try Sense(decoding: bytes.prefix(length))
                        #expect(decoded.key == sense.key)
                        #expect(decoded.deferred == sense.deferred)
                        if length == bytes.count, format == .descriptor { #expect(decoded == sense) }
                    } catch {
                        #expect(error.code == .truncated)
                        #expect(error.offset == length)
                    }
                }
            }
        }
    }

    @Test("random garbage never traps the decoder")
    func garbage() {
        var rng = SplitMix64(seed: 0xBADC0DE)
        for _ in 0..<2000 {
            let length = Int.random(in: 0...64, using: &rng)
            var bytes = (0..<length).map { _ in UInt8.random(in: 0...0xFF, using: &rng) }
            if !bytes.isEmpty, Bool.random(using: &rng) { bytes[0] = 0x70 + UInt8.random(in: 0...3, using: &rng) }
            if bytes.count > 7, Bool.random(using: &rng) { bytes[7] = UInt8(bytes.count - 8) }
            _ = try? Sense(decoding: bytes)
        }
    }

    // MARK: - Round trips

    @Test("descriptor format round-trips every field exactly (seeded random)")
    func descriptorRoundTrip() throws {
        var rng = SplitMix64(seed: 72)
        for _ in 0..<3000 {
            let sense = SenseSamples.random(using: &rng)
            let bytes = sense.encoded(as: .descriptor)
            #expect(bytes.count <= Sense.maximumEncodedLength)
            #expect(try Sense(decoding: bytes) == sense, "\(Sense.hexDump(bytes))")
        }
    }

    @Test("fixed format round-trips every value it can represent (seeded random)")
    func fixedRoundTrip() throws {
        var rng = SplitMix64(seed: 70)
        for _ in 0..<3000 {
            let sense = SenseSamples.random(using: &rng, fixedRepresentable: true)
            let bytes = sense.encoded(as: .fixed)
            #expect(bytes.count == 18)
            #expect(try Sense(decoding: bytes) == sense, "\(Sense.hexDump(bytes))")
        }
    }

    @Test("fixed format drops what it cannot carry")
    func fixedLimits() throws {
        let wide = Sense(.illegalRequest, .logicalBlockAddressOutOfRange, information: 1 << 40, commandSpecific: 1 << 33)
        let decoded = try Sense(decoding: wide.encoded(as: .fixed))
        #expect(decoded.information == nil)
        #expect(decoded.commandSpecific == 0xFFFF_FFFF)
        #expect(try Sense(decoding: wide.encoded(as: .descriptor)) == wide)
        // ILI with a residue that does not fit an Int32 cannot be VALID.
        let hugeResidue = Sense(.illegalRequest, .invalidFieldInCDB, information: 0x8000_0000, incorrectLength: true)
        #expect(try Sense(decoding: hugeResidue.encoded(as: .fixed)).information == nil)
    }
}
