import Sense

// MODE SENSE(6) (SPC-5 MODE SENSE(6) command)
// | 0 | OPERATION CODE (1Ah) |
// | 1 | reserved (7–4) | DBD (3) | reserved (2–0) |
// | 2 | PC (7–6) | PAGE CODE (5–0) |
// | 3 | SUBPAGE CODE |
// | 4 | ALLOCATION LENGTH |
// | 5 | CONTROL |
//
// MODE SENSE(10)
// | 0 | OPERATION CODE (5Ah) |
// | 1 | reserved (7–5) | LLBAA (4) | DBD (3) | reserved (2–0) |
// | 2 | PC (7–6) | PAGE CODE (5–0) |
// | 3 | SUBPAGE CODE |
// | 4–6 | reserved |
// | 7–8 | ALLOCATION LENGTH |
// | 9 | CONTROL |
//
// Mode parameter header(6):  | 0 | MODE DATA LENGTH | 1 | MEDIUM TYPE | 2 | DEVICE-SPECIFIC PARAMETER |
//                            | 3 | BLOCK DESCRIPTOR LENGTH |
// Mode parameter header(10): | 0–1 | MODE DATA LENGTH | 2 | MEDIUM TYPE | 3 | DEVICE-SPECIFIC PARAMETER |
//                            | 4 | reserved (7–1) | LONGLBA (0) | 5 | reserved | 6–7 | BLOCK DESCRIPTOR LENGTH |
// Short LBA block descriptor (8):  | 0–3 | NUMBER OF LOGICAL BLOCKS | 4 | reserved | 5–7 | LOGICAL BLOCK LENGTH |
// Long LBA block descriptor (16):  | 0–7 | NUMBER OF LOGICAL BLOCKS | 8–11 | reserved | 12–15 | LOGICAL BLOCK LENGTH |
// (SPC-5 mode parameter header and block descriptor formats; SBC-4 direct-access block descriptors.)

extension SPC {
    /// The PC field of MODE SENSE (SPC-5 table "Page control (PC) field").
    public enum ModePageControl: UInt8, Sendable {
        case current = 0, changeable = 1, defaults = 2, saved = 3
    }

    public static func modeSense6<D: SPCDevice>(_ d: D, _ cmd: inout SCSICommand) throws(Sense) -> CommandOutcome {
        let data = try modeSenseData(d, cdb: cmd.cdb, tenByte: false)
        return cmd.respond(data, allocationLength: Int(cmd.cdb[4]))
    }

    public static func modeSense10<D: SPCDevice>(_ d: D, _ cmd: inout SCSICommand) throws(Sense) -> CommandOutcome {
        let data = try modeSenseData(d, cdb: cmd.cdb, tenByte: true)
        return cmd.respond(data, allocationLength: Int(cmd.cdb.u16(7)))
    }

    /// The whole MODE SENSE parameter data (before allocation-length truncation).
    ///
    /// PAGE CODE 3Fh returns every page (SUBPAGE 00h: page_0 pages only; FFh: subpages too; any other
    /// subpage is INVALID FIELD IN CDB at byte 3), in ascending page code order with page 00h last; a
    /// page code with SUBPAGE FFh returns that page and all its subpages. An unsupported page is INVALID
    /// FIELD IN CDB at byte 2 (bit 5, the PAGE CODE field), an unsupported subpage at byte 3. PC 11b
    /// (saved values) when none of the selected pages is saveable is SAVING PARAMETERS NOT SUPPORTED.
    ///
    /// The MODE DATA LENGTH of MODE SENSE(6) is one byte, so at most 256 bytes of mode data exist in that
    /// form (SPC-5 mode parameter header(6)): pages that would not fit whole are left out, and the length describes exactly
    /// what is returned (MODE SENSE(10) has room for every page).
    public static func modeSenseData<D: SPCDevice>(_ d: D, cdb: CDB, tenByte: Bool) throws(Sense) -> [UInt8] {
        let dbd = cdb.bit(1, 3)
        let llbaa = tenByte && cdb.bit(1, 4)
        let control = ModePageControl(rawValue: cdb[2] >> 6) ?? .current
        let pages = try selectModePages(d.unit.withState { $0.modePages }, code: cdb[2] & 0x3F, subpage: cdb[3])
        if control == .saved, !pages.contains(where: \.isSaveable) {
            throw Sense(.illegalRequest, .savingParametersNotSupported)
        }

        var out: [UInt8] = tenByte ? [0, 0, 0, 0, 0, 0, 0, 0] : [0, 0, 0, 0]
        out[tenByte ? 2 : 1] = d.modeMediumType
        out[tenByte ? 3 : 2] = d.modeDeviceSpecificParameter
        if !dbd, let bd = d.modeBlockDescriptor {
            if llbaa {
                out[4] = 0x01  // LONGLBA
                out.appendBigEndian(bd.numberOfBlocks)
                out.appendBigEndian(UInt32(0))
                out.appendBigEndian(bd.blockLength)
                out.setBigEndian(UInt16(16), at: 6)
            } else {
                out.appendBigEndian(UInt32(clamping: bd.numberOfBlocks))
                out.append(0)
                out.appendBigEndian(bd.blockLength, width: 3)
                if tenByte { out.setBigEndian(UInt16(8), at: 6) } else { out[3] = 8 }
            }
        }
        let limit = tenByte ? 0xFFFF + 2 : 0xFF + 1
        for page in pages {
            let bytes = modePageValues(page, control)
            guard out.count + bytes.count <= limit else { break }
            out.append(contentsOf: bytes)
        }
        if tenByte { out.setBigEndian(UInt16(out.count - 2), at: 0) } else { out[0] = UInt8(out.count - 1) }
        return out
    }

    /// The pages a PAGE CODE / SUBPAGE CODE pair selects, in the order MODE SENSE returns them.
    static func selectModePages(_ all: [ModePage], code: UInt8, subpage: UInt8) throws(Sense) -> [ModePage] {
        let ordered = all.sorted { a, b in
            let ka = a.code == 0 ? 0x40 : Int(a.code), kb = b.code == 0 ? 0x40 : Int(b.code)
            return ka != kb ? ka < kb : a.subpage < b.subpage
        }
        if code == 0x3F {
            switch subpage {
            case 0x00: return ordered.filter { $0.subpage == 0 }
            case 0xFF: return ordered
            default: throw invalidFieldInCDB(byte: 3)
            }
        }
        let same = ordered.filter { $0.code == code }
        guard !same.isEmpty else { throw invalidFieldInCDB(byte: 2, bit: 5) }
        if subpage == 0xFF { return same }
        let one = same.filter { $0.subpage == subpage }
        guard !one.isEmpty else { throw invalidFieldInCDB(byte: 3) }
        return one
    }

    /// One page's bytes for a PC value: the value set, with the header (PS, SPF, codes, length) of the
    /// page. Saved values of a page that is not saveable are its defaults.
    static func modePageValues(_ page: ModePage, _ control: ModePageControl) -> [UInt8] {
        var bytes: [UInt8]
        switch control {
        case .current: bytes = page.current
        case .changeable: bytes = page.changeable
        case .defaults: bytes = page.defaults
        case .saved: bytes = page.saved ?? page.defaults
        }
        for i in 0..<min(page.headerLength, bytes.count) { bytes[i] = page.defaults[i] }
        return page.withPS(bytes)
    }
}
