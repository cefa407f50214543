import Sense

// Device Identification VPD page 83h (SPC-5 Device Identification VPD page): a list of designation descriptors.
//
// Designation descriptor (SPC-5 designation descriptor format)
// | 0 | PROTOCOL IDENTIFIER (7–4) | CODE SET (3–0): 1 binary, 2 ASCII |
// | 1 | PIV (7) | reserved (6) | ASSOCIATION (5–4): 00b logical unit | DESIGNATOR TYPE (3–0) |
// | 2 | reserved |
// | 3 | DESIGNATOR LENGTH (n − 3) |
// | 4–n | DESIGNATOR |
//
// The three designators tcmu-runner reports for a logical unit, in its order:
//   1. T10 vendor ID based (type 1, ASCII): T10 VENDOR IDENTIFICATION (8) + the unit serial;
//   2. NAA IEEE Registered Extended (type 3, binary, 16 bytes): NAA 6, LIO's OUI, serial-derived id;
//   3. vendor specific (type 0, ASCII): the handler's config string (omitted when empty).
// tcmu-runner counts a trailing NUL in the two ASCII designators; ASCII data excludes NUL (SPC-5 ASCII data field requirements),
// so these end at the last character.

extension SPC {
    /// The IEEE company identifier LIO puts in its NAA designators (OUI 00-14-05).
    public static let lioCompanyID: UInt32 = 0x001405

    /// The designation descriptors of VPD page 83h for `identity` (the page body, header excluded).
    public static func deviceIdentificationDescriptors(_ identity: DeviceIdentity) -> [UInt8] {
        var b: [UInt8] = []
        // 1. T10 vendor ID based designator.
        var t10: [UInt8] = []
        t10.appendASCIIField(identity.vendor, width: 8)
        t10.appendASCIIField(identity.serial, width: min(identity.serial.utf8.count, 0xFF - 8))
        appendDesignator(&b, codeSet: 2, type: 1, t10)
        // 2. NAA IEEE Registered Extended designator.
        appendDesignator(&b, codeSet: 1, type: 3, naaRegisteredExtended(serial: identity.serial))
        // 3. Vendor specific designator: the config string.
        if !identity.configString.isEmpty {
            var config: [UInt8] = []
            config.appendASCIIField(identity.configString, width: min(identity.configString.utf8.count, 0xFF))
            appendDesignator(&b, codeSet: 2, type: 0, config)
        }
        return b
    }

    /// Appends one designation descriptor associated with the logical unit (PIV 0, protocol 0).
    static func appendDesignator(_ b: inout [UInt8], codeSet: UInt8, type: UInt8, _ designator: [UInt8]) {
        b.append(codeSet & 0x0F)
        b.append(type & 0x0F)
        b.append(0)
        b.append(UInt8(designator.count))
        b.append(contentsOf: designator)
    }

    // NAA IEEE Registered Extended designator (SPC-5 NAA designator formats), 16 bytes
    //
    // | 0 | NAA (7–4) = 6h | IEEE COMPANY_ID bits 23–20 (3–0) |
    // | 1–2 | IEEE COMPANY_ID bits 19–4 |
    // | 3 | IEEE COMPANY_ID bits 3–0 (7–4) | VENDOR SPECIFIC IDENTIFIER bits 35–32 (3–0) |
    // | 4–7 | VENDOR SPECIFIC IDENTIFIER bits 31–0 |
    // | 8–15 | VENDOR SPECIFIC IDENTIFIER EXTENSION |

    /// The NAA 6 designator LIO derives from a unit serial (Linux target_core_spc.c,
    /// `spc_gen_naa_6h_vendor_specific`): company ID 001405h, then the serial's hexadecimal digits in
    /// order, one nibble each, from the low nibble of byte 3 through byte 15 (25 digits at most); any
    /// character that is not a hex digit is skipped, and missing digits are zero.
    public static func naaRegisteredExtended(serial: String, companyID: UInt32 = lioCompanyID) -> [UInt8] {
        var b = [UInt8](repeating: 0, count: 16)
        b[0] = 0x60 | UInt8((companyID >> 20) & 0x0F)
        b[1] = UInt8((companyID >> 12) & 0xFF)
        b[2] = UInt8((companyID >> 4) & 0xFF)
        b[3] = UInt8(companyID & 0x0F) << 4
        var nibble = 7  // index of the next nibble: byte 3's low nibble
        for c in serial.utf8 where nibble < 32 {
            guard let v = hexValue(c) else { continue }
            if nibble % 2 == 0 { b[nibble / 2] |= v << 4 } else { b[nibble / 2] |= v }
            nibble += 1
        }
        return b
    }

    static func hexValue(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): c - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
