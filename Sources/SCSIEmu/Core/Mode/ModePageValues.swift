import Sense

/// The mode page values MODE SELECT changed on a logical unit (the current values that differ from the
/// defaults), as a few lines of text, so that they outlive a daemon restart.
///
/// A restart of emud is no power cycle for the initiator: LIO's LUN and sd live on, and sd still believes
/// what it last selected (e.g. `cache_type` "write through": Caching page WCE 0, so the kernel sends no
/// FUA and no SYNCHRONIZE CACHE). A restarted emud that came back with the default WCE 1 would treat the
/// following writes as volatile, and the next SIGKILL would lose acknowledged writes (vm/README.md,
/// session 8). The daemon keeps these values per device (`DeviceLifecycle.stateDirectory`) and restores
/// them when it serves an existing device again.
///
/// Text form, one page per line: `CC SS HH HH …` — page code, subpage, then the page as MODE SENSE
/// returns it (`ModePage.current`: its 2- or 4-byte header first), all two-digit hex.
public struct ModePageValues: Sendable, Hashable {
    public struct Page: Sendable, Hashable {
        public let code: UInt8
        public let subpage: UInt8
        /// The page, header included (`ModePage.current`).
        public let parameters: [UInt8]
        /// `08h` (page_0 format) or `0Ah/01h` (a subpage), as the log names it.
        public var name: String {
            subpage == 0 ? "\(ModePageValues.hex(code).uppercased())h" : "\(ModePageValues.hex(code).uppercased())h/\(ModePageValues.hex(subpage).uppercased())h"
        }
    }

    public private(set) var pages: [Page]

    /// At most this many pages and bytes per page are read back (a page_0 page is at most 257 bytes with
    /// its header; more than that is not a file this type wrote).
    public static let maximumPages = 64
    public static let maximumParameters = 1024

    /// The pages whose current values differ from their defaults.
    public init(changedIn modePages: [ModePage]) {
        pages = modePages.filter { $0.current != $0.defaults }
            .map { Page(code: $0.code, subpage: $0.subpage, parameters: $0.current) }
    }

    public var isEmpty: Bool { pages.isEmpty }

    public var text: String {
        pages.map { p in ([p.code, p.subpage] + p.parameters).map(Self.hex).joined(separator: " ") + "\n" }.joined()
    }

    /// Parses `text`; a line that is not two-digit hex fields, or more pages or bytes than the bounds, is an
    /// error naming the line.
    public init(parsing text: String) throws(ModePageValuesError) {
        var pages: [Page] = []
        for (n, line) in text.split(separator: "\n", omittingEmptySubsequences: true).enumerated() {
            let fields = line.split(separator: " ")
            guard pages.count < Self.maximumPages else { throw ModePageValuesError(line: n + 1, reason: "more than \(Self.maximumPages) pages") }
            guard fields.count >= 3, fields.count - 2 <= Self.maximumParameters else {
                throw ModePageValuesError(line: n + 1, reason: "expected a page code, a subpage and 1 to \(Self.maximumParameters) bytes")
            }
            var bytes: [UInt8] = []
            for f in fields {
                guard f.count == 2, let b = UInt8(f, radix: 16) else { throw ModePageValuesError(line: n + 1, reason: "'\(f)' is not a hex byte") }
                bytes.append(b)
            }
            pages.append(Page(code: bytes[0], subpage: bytes[1], parameters: Array(bytes[2...])))
        }
        self.pages = pages
    }

    static func hex(_ b: UInt8) -> String { b < 0x10 ? "0" + String(b, radix: 16) : String(b, radix: 16) }
}

/// A mode page values text that cannot be read (`ModePageValues(parsing:)`).
public struct ModePageValuesError: Error, Sendable, Hashable, CustomStringConvertible {
    public let line: Int
    public let reason: String
    public var description: String { "line \(line): \(reason)" }
}

extension SPC {
    /// Sets the current values of `d`'s mode pages from `values` as MODE SELECT would (only the changeable
    /// bits; a value the device does not support is skipped), then applies them (WCE, D_SENSE). Returns
    /// what could not be restored: pages the device lacks or whose length differs, unsupported values.
    @discardableResult
    public static func restoreModePages<D: SPCDevice>(_ d: D, _ values: ModePageValues) -> [String] {
        var pages = d.unit.withState { $0.modePages }
        var skipped: [String] = []
        for v in values.pages {
            let name = "page \(v.name)"
            guard let i = pages.firstIndex(where: { $0.code == v.code && $0.subpage == v.subpage }) else {
                skipped.append("\(name): not a page of this device")
                continue
            }
            guard pages[i].current.count == v.parameters.count else {
                skipped.append("\(name): \(v.parameters.count) bytes, the device's page has \(pages[i].current.count)")
                continue
            }
            var updated = pages[i].current
            for k in updated.indices {
                updated[k] = updated[k] & ~pages[i].changeable[k] | v.parameters[k] & pages[i].changeable[k]
            }
            if d.unsupportedModePageField(updated, code: v.code, subpage: v.subpage) != nil {
                skipped.append("\(name): a value this device does not support")
                continue
            }
            pages[i].current = updated
        }
        commitModePages(d, pages)
        return skipped
    }
}
