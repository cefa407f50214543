/// One mode page with the four value sets MODE SENSE can report (SPC-5 §7.5; PC field, table 169).
///
/// Every array is the whole page as it goes on the wire: byte 0 = PS | SPF | PAGE CODE, then the page
/// length (1 byte for a page_0 page, 2 bytes for a sub_page page), then the parameters.
public struct ModePage: Sendable, Hashable {
    public let code: UInt8
    /// 0 for a page_0 format page.
    public let subpage: UInt8
    public var current: [UInt8]
    /// 1 bits mark what MODE SELECT may change.
    public let changeable: [UInt8]
    public let defaults: [UInt8]
    /// Saved values; nil when the page is not saveable (PS = 0, SAVING PARAMETERS NOT SUPPORTED).
    public var saved: [UInt8]?

    public init(code: UInt8, subpage: UInt8 = 0, defaults: [UInt8], changeable: [UInt8], saved: [UInt8]? = nil) {
        precondition(defaults.count == changeable.count, "mode page \(code): mask length")
        self.code = code
        self.subpage = subpage
        self.current = defaults
        self.changeable = changeable
        self.defaults = defaults
        self.saved = saved
    }
}
