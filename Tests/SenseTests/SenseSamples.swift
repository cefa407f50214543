import Sense
import TestSupport

/// Random `Sense` values for round trips: the sense-key specific kind always matches the key, since
/// the decoder picks the layout from the key (SPC-5 §4.4.2.4).
enum SenseSamples {
    static func random(using rng: inout SplitMix64, fixedRepresentable: Bool = false) -> Sense {
        let key = SenseKey(rawValue: UInt8.random(in: 0...0xF, using: &rng))
        let code = AdditionalSenseCode(
            asc: UInt8.random(in: 0...0xFF, using: &rng), ascq: UInt8.random(in: 0...0xFF, using: &rng))
        var sense = Sense(key, code)
        sense.deferred = Bool.random(using: &rng)
        sense.filemark = Int.random(in: 0..<4, using: &rng) == 0
        sense.endOfMedium = Int.random(in: 0..<4, using: &rng) == 0
        sense.incorrectLength = Int.random(in: 0..<4, using: &rng) == 0
        if Bool.random(using: &rng) {
            if !fixedRepresentable {
                sense.information = pickWide(using: &rng)
            } else if sense.incorrectLength {
                sense.information = UInt64(bitPattern: Int64(Int32.random(in: .min ... .max, using: &rng)))
            } else {
                sense.information = UInt64(UInt32.random(in: 0 ... .max, using: &rng))
            }
        }
        if Bool.random(using: &rng) {
            sense.commandSpecific = fixedRepresentable
                ? UInt64(UInt32.random(in: 1 ... .max, using: &rng)) : pickWide(using: &rng)
        }
        if Bool.random(using: &rng) { sense.keySpecific = keySpecific(for: key, using: &rng) }
        return sense
    }

    /// 0, a small value, a 32-bit value, or a full 64-bit one.
    private static func pickWide(using rng: inout SplitMix64) -> UInt64 {
        switch Int.random(in: 0..<4, using: &rng) {
        case 0: 0
        case 1: UInt64.random(in: 1...0xFF, using: &rng)
        case 2: UInt64(UInt32.random(in: 0 ... .max, using: &rng))
        default: rng.next()
        }
    }

    static func keySpecific(for key: SenseKey, using rng: inout SplitMix64) -> SenseKeySpecific {
        let value = UInt16.random(in: 0 ... .max, using: &rng)
        let bit: UInt8? = Bool.random(using: &rng) ? UInt8.random(in: 0...7, using: &rng) : nil
        switch key {
        case .illegalRequest: return .fieldPointer(inCDB: Bool.random(using: &rng), byte: value, bit: bit)
        case .noSense, .notReady: return .progress(value)
        case .recoveredError, .mediumError, .hardwareError: return .actualRetryCount(value)
        case .copyAborted: return .segmentPointer(inSegmentDescriptor: Bool.random(using: &rng), byte: value, bit: bit)
        case .unitAttention: return .unitAttentionOverflow(Bool.random(using: &rng))
        default:
            return .raw(
                UInt8.random(in: 0...0x7F, using: &rng), UInt8.random(in: 0...0xFF, using: &rng),
                UInt8.random(in: 0...0xFF, using: &rng))
        }
    }
}
