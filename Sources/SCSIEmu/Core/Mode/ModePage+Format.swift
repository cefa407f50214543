import Sense

// Mode page formats (SPC-5 page_0 and sub_page formats)
//
// page_0 (SPF = 0):   | 0 | PS (7) | SPF (6) = 0 | PAGE CODE (5–0) | 1 | PAGE LENGTH (n − 1) | 2–n | parameters |
// sub_page (SPF = 1): | 0 | PS (7) | SPF (6) = 1 | PAGE CODE (5–0) | 1 | SUBPAGE CODE |
//                     | 2–3 | PAGE LENGTH (n − 3) | 4–n | parameters |
//
// `ModePage`'s arrays hold byte 0 with PS = 0; MODE SENSE sets PS when the page is saveable.

extension ModePage {
    /// A page with subpage code 0 uses the page_0 format, any other the sub_page format.
    public var isSubpageFormat: Bool { subpage != 0 }
    /// Bytes before the parameters: 2 (page_0) or 4 (sub_page).
    public var headerLength: Int { isSubpageFormat ? 4 : 2 }
    /// The whole page's length on the wire.
    public var length: Int { defaults.count }
    /// Whether MODE SELECT with SP = 1 can save it (PS = 1 in MODE SENSE).
    public var isSaveable: Bool { saved != nil }

    /// A page with the header built from `code`/`subpage` and the parameter bytes given (everything after
    /// the PAGE LENGTH field). `changeable` has the same length as `parameters`.
    public init(code: UInt8, subpage: UInt8 = 0, parameters: [UInt8], changeable: [UInt8], saveable: Bool = false) {
        precondition(parameters.count == changeable.count, "mode page \(code): mask length")
        let header: [UInt8]
        if subpage == 0 {
            header = [code & 0x3F, UInt8(parameters.count)]
        } else {
            header = [0x40 | code & 0x3F, subpage, UInt8(parameters.count >> 8), UInt8(parameters.count & 0xFF)]
        }
        self.init(
            code: code & 0x3F, subpage: subpage, defaults: header + parameters, changeable: header + changeable,
            saved: saveable ? header + parameters : nil)
    }

    /// Returns `bytes` (one of the value sets) with the PS bit set when the page is saveable.
    func withPS(_ bytes: [UInt8]) -> [UInt8] {
        var b = bytes
        if isSaveable, !b.isEmpty { b[0] |= 0x80 }
        return b
    }
}

extension ModePage {
    /// The sense format the Control mode page's current D_SENSE bit selects (fixed without the page).
    public static func senseFormat(in pages: [ModePage]) -> SenseFormat {
        guard let control = pages.first(where: { $0.code == 0x0A && $0.subpage == 0 }),
            control.current.count > 2
        else { return .fixed }
        return control.current[2] & 0x04 != 0 ? .descriptor : .fixed
    }

    /// Whether the Caching mode page's current WCE bit is set (false without the page).
    public static func writeCacheEnabled(in pages: [ModePage]) -> Bool {
        guard let caching = pages.first(where: { $0.code == 0x08 && $0.subpage == 0 }),
            caching.current.count > 2
        else { return false }
        return caching.current[2] & 0x04 != 0
    }
}
