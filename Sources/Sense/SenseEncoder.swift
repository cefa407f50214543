// Placeholder until the sense builder lands: the API every caller uses.
extension Sense {
    /// The sense data in `format`, at most 252 bytes (SPC-5 §4.4.2, §4.4.3).
    public func encoded(as format: SenseFormat) -> [UInt8] {
        var b = [UInt8](repeating: 0, count: 18)
        b[0] = deferred ? 0x71 : 0x70
        b[2] = key.rawValue
        b[7] = 10
        b[12] = code.asc
        b[13] = code.ascq
        return b
    }
}
