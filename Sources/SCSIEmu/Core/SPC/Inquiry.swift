import Sense

// INQUIRY (SPC-5 §6.7.1)
//
// | 0 | OPERATION CODE (12h) |
// | 1 | reserved (7–2) | obsolete CMDDT (1) | EVPD (0) |
// | 2 | PAGE CODE |
// | 3–4 | ALLOCATION LENGTH |
// | 5 | CONTROL |

extension SPC {
    /// The length of the standard INQUIRY data this core returns (room for eight version descriptors).
    public static let standardInquiryLength = 96

    /// EVPD = 0: the standard data (PAGE CODE must be 0, else INVALID FIELD IN CDB at byte 2). EVPD = 1:
    /// the VPD page PAGE CODE names (`vpdPage(_:of:)`), or INVALID FIELD IN CDB at byte 2 when it is not
    /// supported. Truncated to the allocation length (0: GOOD, no data).
    public static func inquiry<D: SPCDevice>(_ d: D, _ cmd: inout SCSICommand) throws(Sense) -> CommandOutcome {
        let page = cmd.cdb[2]
        let allocation = Int(cmd.cdb.u16(3))
        if !cmd.cdb.bit(1, 0) {
            guard page == 0 else { throw invalidFieldInCDB(byte: 2) }
            return cmd.respond(standardInquiryData(d), allocationLength: allocation)
        }
        guard let data = vpdPage(page, of: d) else { throw invalidFieldInCDB(byte: 2) }
        return cmd.respond(data, allocationLength: allocation)
    }

    // Standard INQUIRY data (SPC-5 §6.7.2)
    //
    // | 0 | PERIPHERAL QUALIFIER (7–5) = 000b | PERIPHERAL DEVICE TYPE (4–0) |
    // | 1 | RMB (7) | LU_CONG (6) | reserved |
    // | 2 | VERSION (06h = SPC-4, 07h = SPC-5: see `versionField`) |
    // | 3 | obsolete (7–6) | NORMACA (5) | HISUP (4) | RESPONSE DATA FORMAT (3–0) = 2 |
    // | 4 | ADDITIONAL LENGTH (n − 4) |
    // | 5 | SCCS (7) | ACC (6) | TPGS (5–4) | 3PC (3) | reserved (2–1) | PROTECT (0) |
    // | 6 | obsolete (7) | ENCSERV (6) | VS (5) | MULTIP (4) | obsolete (3–0) |
    // | 7 | obsolete (7–6) | reserved (5–2) | CMDQUE (1) | VS (0) |
    // | 8–15 | T10 VENDOR IDENTIFICATION | 16–31 | PRODUCT IDENTIFICATION | 32–35 | PRODUCT REVISION LEVEL |
    // | 36–57 | vendor specific / reserved / obsolete (0) |
    // | 58–73 | VERSION DESCRIPTOR 1..8 (2 bytes each) |
    // | 74–95 | reserved |

    /// The 96-byte standard INQUIRY data of a device.
    public static func standardInquiryData<D: SPCDevice>(_ d: D) -> [UInt8] {
        let id = d.unit.identity
        var b: [UInt8] = []
        b.reserveCapacity(standardInquiryLength)
        b.append(id.peripheralType & 0x1F)
        b.append(id.removable ? 0x80 : 0x00)
        b.append(versionField(id.versionDescriptors))
        b.append(0x12)  // HISUP, RESPONSE DATA FORMAT 2
        b.append(UInt8(standardInquiryLength - 5))  // ADDITIONAL LENGTH
        b.append(d.supportsExtendedCopy ? 0x08 : 0x00)  // 3PC
        b.append(0x00)
        b.append(0x02)  // CMDQUE
        b.appendASCIIField(id.vendor, width: 8)
        b.appendASCIIField(id.product, width: 16)
        b.appendASCIIField(id.revision, width: 4)
        b.append(contentsOf: repeatElement(0, count: 58 - b.count))
        for v in id.versionDescriptors.prefix(8) { b.appendBigEndian(v) }
        b.append(contentsOf: repeatElement(0, count: standardInquiryLength - b.count))
        return b
    }

    /// VERSION: the SPC standard the device's version descriptors claim, so the two never disagree —
    /// 07h when they name SPC-5 (05C0h–05DFh) or no SPC at all, 06h when they name SPC-4 (0460h–047Fh).
    public static func versionField(_ descriptors: [UInt16]) -> UInt8 {
        if descriptors.contains(where: { (0x05C0...0x05DF).contains($0) }) { return 0x07 }
        if descriptors.contains(where: { (0x0460...0x047F).contains($0) }) { return 0x06 }
        return 0x07
    }
}
