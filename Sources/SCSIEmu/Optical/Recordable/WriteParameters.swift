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

extension OpticalDevice {
    /// The current Write Parameters page's fields.
    var writeParameters: (writeType: UInt8, multiSession: UInt8) {
        unit.withState { u in
            guard let page = u.modePages.first(where: { $0.code == 0x05 && $0.subpage == 0 })?.current,
                page.count > 3
            else { return (1, 0) }
            return (page[2] & 0x0F, page[3] >> 6)
        }
    }
}
