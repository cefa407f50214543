import Sense

// VPD page header (SPC-5 VPD page format)
//
// | 0 | PERIPHERAL QUALIFIER (7–5) | PERIPHERAL DEVICE TYPE (4–0) |
// | 1 | PAGE CODE |
// | 2–3 | PAGE LENGTH (n − 3) |
// | 4–n | page parameters |

extension SPC {
    /// The page codes the core builds itself.
    public static let coreVPDPageCodes: [UInt8] = [0x00, 0x80, 0x83]

    /// A whole VPD page (header included), or nil when the device does not support `code`: 00h, 80h and
    /// 83h from the identity, any other from the device's `vpdPage(_:)` if it lists the code.
    public static func vpdPage<D: SPCDevice>(_ code: UInt8, of d: D) -> [UInt8]? {
        let pdt = d.unit.identity.peripheralType & 0x1F
        switch code {
        case 0x00: return supportedVPDPages(d)
        case 0x80: return wrapVPD(pdt, 0x80, unitSerialNumber(d.unit.identity.serial))
        case 0x83: return wrapVPD(pdt, 0x83, deviceIdentificationDescriptors(d.unit.identity))
        default:
            guard d.deviceVPDPageCodes.contains(code) else { return nil }
            return d.vpdPage(code)
        }
    }

    /// Supported VPD Pages (SPC-5 Supported VPD Pages VPD page): every page code, ascending, without duplicates.
    static func supportedVPDPages<D: SPCDevice>(_ d: D) -> [UInt8] {
        let codes = Set(coreVPDPageCodes + d.deviceVPDPageCodes).sorted()
        return wrapVPD(d.unit.identity.peripheralType & 0x1F, 0x00, codes)
    }

    /// The 4-byte header plus `body` (the page length is capped at what the 16-bit field can say).
    public static func wrapVPD(_ pdt: UInt8, _ code: UInt8, _ body: [UInt8]) -> [UInt8] {
        let body = body.prefix(0xFFFF)
        var page: [UInt8] = [pdt & 0x1F, code]
        page.reserveCapacity(4 + body.count)
        page.appendBigEndian(UInt16(body.count))
        page.append(contentsOf: body)
        return page
    }

    // Unit Serial Number (SPC-5 Unit Serial Number VPD page): | 4–n | PRODUCT SERIAL NUMBER (ASCII) |
    //
    // tcmu-runner and LIO append a NUL and count it in the page length; ASCII data may hold only 20h–7Eh
    // (SPC-5 ASCII data field requirements), so this page ends with the serial's last character. An unknown serial reads as
    // spaces, as the standard asks.
    static func unitSerialNumber(_ serial: String) -> [UInt8] {
        var b: [UInt8] = []
        let text = serial.isEmpty ? "        " : serial
        b.appendASCIIField(text, width: min(text.utf8.count, 0xFF))
        return b
    }
}
