/// A byte count as targetcli writes one: digits, then an optional binary unit `K`, `M`, `G` or `T`
/// (optionally followed by `B`/`iB`, any case): `1G` is 1073741824 bytes, `4096` is 4096 bytes.
struct SizeArgument: Sendable, Hashable {
    let bytes: UInt64

    init?(_ text: String) {
        let digits = text.prefix { $0.isASCII && $0.isNumber }
        guard !digits.isEmpty, let n = UInt64(digits) else { return nil }
        var unit = text.dropFirst(digits.count).uppercased()
        for suffix in ["IB", "B"] where unit.hasSuffix(suffix) && unit.count > suffix.count - 1 {
            unit.removeLast(suffix.count)
            break
        }
        let shift: UInt64
        switch unit {
        case "": shift = 0
        case "K": shift = 10
        case "M": shift = 20
        case "G": shift = 30
        case "T": shift = 40
        default: return nil
        }
        guard n <= UInt64.max >> shift else { return nil }
        bytes = n << shift
    }
}
