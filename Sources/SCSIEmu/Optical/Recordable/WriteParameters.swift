/// The Write Parameters mode page 05h (MMC-6 §7.5.4), 52 bytes; MODE SELECT may change the fields burners
/// set, and CLOSE SESSION reads MULTI-SESSION.
///
///     0  PS (7) | PAGE CODE 05h      1 PAGE LENGTH 32h
///     2  BUFE (6) | LS_V (5) | TEST WRITE (4) | WRITE TYPE (3-0): 0 packet/incremental, 1 TAO, 2 SAO, 3 raw
///     3  MULTI-SESSION (7-6) | FP (5) | COPY (4) | TRACK MODE (3-0)
///     4  DATA BLOCK TYPE (3-0): 8 mode 1      5 LINK SIZE      7 INITIATOR APPLICATION CODE (5-0)
///     8  SESSION FORMAT    10-13 PACKET SIZE    14-15 AUDIO PAUSE LENGTH (150)
///     16-31 MEDIA CATALOG NUMBER    32-47 ISRC    48-51 SUBHEADER
///
/// Defaults as a drive after power-on: TAO, track mode 4 (data), data block type 8, no next session.
extension ModePage {
    public static let mmcWriteParameters: ModePage = {
        var d = [UInt8](repeating: 0, count: 52)
        d[0] = 0x05
        d[1] = 0x32
        d[2] = 0x01
        d[3] = 0x04
        d[4] = 0x08
        d[15] = 150
        var c = [UInt8](repeating: 0xFF, count: 52)
        c[0] = 0
        c[1] = 0
        c[2] = 0x7F
        c[4] = 0x0F
        c[6] = 0
        c[7] = 0x3F
        c[9] = 0
        return ModePage(code: 0x05, defaults: d, changeable: c)
    }()
}

/// The values of page 05h the drive records (MMC-6 §7.5.4.2, tables 650-653), checked by MODE SELECT
/// (SPC-5 §6.12: a value outside the supported range is INVALID FIELD IN PARAMETER LIST, pointing at the
/// field's most significant bit; nothing changes):
///
/// | field (byte, bits) | accepted | refused |
/// |---|---|---|
/// | WRITE TYPE (2, 3-0) | 0 packet/incremental, 1 TAO, 2 SAO | 3 raw (features 002Dh/002Eh report no RAW, RW RAW: the drive records no raw sectors), 4 layer jump (no dual-layer media), 5-Fh reserved |
/// | MULTI-SESSION (3, 7-6) | 00b, 01b, 11b | 10b reserved |
/// | TRACK MODE (3, 3-0) | packet/TAO: a data track's CONTROL (bit 2 set) with block type 8; TAO: an audio CONTROL (bit 2 clear) with block type 0; SAO: any (the cue sheet's CTL governs) | packet/TAO: an audio CONTROL with a data block type; TAO: a data CONTROL with block type 0 |
/// | DATA BLOCK TYPE (4, 3-0) | packet/TAO: 8 (mode 1, 2048 bytes); TAO: 0 (CD-DA, 2352 bytes: an audio track); SAO: 0, 8-13 (not used: the cue sheet's data forms govern) | packet: 0; packet/TAO: 1-3 raw, 9-13 mode 2 (not recorded); any: 1-3 (raw with P-Q or P-W sub-channel: the cue sheet's sub-channel forms are not offered, so wodim must not list SAO/R16, SAO/R96P, SAO/R96R), 4-7, 14, 15 (reserved, vendor specific) |
/// | SESSION FORMAT (8) | 00h CD-DA/CD-ROM, 10h CD-I, 20h CD-ROM XA | other values (reserved) |
///
/// libburn learns the write modes a drive offers by MODE SELECT of each write type with each data block
/// type (its answer GOOD or not), and cdrecord sets the page before each burn, so what is accepted here is
/// what the burners will use.
enum WriteParametersCheck {
    static let modeOne: UInt8 = 8
    /// Raw 2352-byte CD-DA sectors (table 653).
    static let cdDA: UInt8 = 0

    /// The field holding an unsupported value, as (byte, most significant bit) within the page.
    static func unsupportedField(_ page: [UInt8]) -> (byte: Int, bit: UInt8)? {
        guard page.count > 8 else { return nil }
        let writeType = page[2] & 0x0F
        let multiSession = page[3] >> 6
        let trackMode = page[3] & 0x0F
        let blockType = page[4] & 0x0F
        guard writeType <= WriteType.sessionAtOnce else { return (2, 3) }
        guard multiSession != 0b10 else { return (3, 7) }
        guard blockType == 0 || (8...13).contains(blockType) else { return (4, 3) }
        if writeType == WriteType.trackAtOnce, blockType == cdDA {
            guard trackMode & 0x04 == 0 else { return (3, 3) }
        } else if writeType != WriteType.sessionAtOnce {
            guard blockType == modeOne else { return (4, 3) }
            guard trackMode & 0x04 != 0 else { return (3, 3) }
        }
        guard [0x00, 0x10, 0x20].contains(page[8]) else { return (8, 7) }
        return nil
    }
}

extension OpticalDevice {
    /// MODE SELECT's check of page 05h (`WriteParametersCheck`); other pages take any changeable value.
    public func unsupportedModePageField(_ page: [UInt8], code: UInt8, subpage: UInt8) -> (byte: Int, bit: UInt8)? {
        code == 0x05 && subpage == 0 ? WriteParametersCheck.unsupportedField(page) : nil
    }

    /// The current Write Parameters page's fields.
    var writeParameters: (writeType: UInt8, multiSession: UInt8, testWrite: Bool, blockType: UInt8) {
        unit.withState { u in
            guard let page = u.modePages.first(where: { $0.code == 0x05 && $0.subpage == 0 })?.current,
                page.count > 4
            else { return (1, 0, false, WriteParametersCheck.modeOne) }
            return (page[2] & 0x0F, page[3] >> 6, page[2] & 0x10 != 0, page[4] & 0x0F)
        }
    }
}
