/// MECHANISM STATUS (BDh): the 8-byte header of a drive that is not a changer (MMC-6 §6.11).
///
/// CDB:  | BDh | rsvd ×7 | ALLOC LEN (2) @8 | rsvd | CONTROL |
///
/// Response:
///     0  FAULT (7) | CHANGER STATE (6-5) 00b ready | CURRENT SLOT (4-0)
///     1  MECHANISM STATE (7-5) 000b idle | DOOR OPEN (4) | CURRENT SLOT MSBs (2-0)
///     2-4 CURRENT LBA (obsolete, 0)   5 NUMBER OF SLOTS AVAILABLE (0)   6-7 LENGTH OF SLOT TABLES (0)
public enum MechanismStatus {
    public static func response(trayOpen: Bool) -> [UInt8] {
        [0x00, trayOpen ? 0x10 : 0x00, 0, 0, 0, 0, 0, 0]
    }
}
