import Sense

/// READ SUB-CHANNEL (42h, MMC-6 §6.28) on a CUE/BIN disc.
///
/// CDB:  | 42h | MSF (1) | SUBQ (6) | SUB-CHANNEL PARAMETER LIST CODE | rsvd ×2 | TRACK NUMBER | ALLOC LEN (2) @7 | CONTROL |
///
/// Header: 0 rsvd | 1 AUDIO STATUS | 2-3 SUB-CHANNEL DATA LENGTH (bytes after the header; 0 when SUBQ = 0).
/// AUDIO STATUS is 00h, "not supported or not valid": this drive has no audio play (no feature 0103h).
/// 01h current position (12 bytes): 4 01h | 5 ADR/CONTROL | 6 TRACK | 7 INDEX | 8-11 ABSOLUTE ADDRESS |
///     12-15 TRACK RELATIVE ADDRESS (LBA, or 00h M S F with MSF = 1); the position of the last sector read.
/// 02h media catalogue number (20 bytes): 4 02h | 5-7 rsvd | 8 MCVAL (7) | 9-21 N1…N13 (ASCII) | 22 zero |
///     23 AFRAME (0)
/// 03h ISRC (20 bytes): 4 03h | 5 ADR/CONTROL | 6 TRACK NUMBER | 7 rsvd | 8 TCVAL (7) | 9-20 I1…I12 (ASCII) |
///     21 zero | 22 AFRAME (0) | 23 rsvd
public enum ReadSubChannel {
    public static let audioStatusNotSupported: UInt8 = 0x00

    /// The response for the CDB.
    /// - Throws: INVALID FIELD IN CDB for another parameter list code or, for ISRC, a track not on the disc.
    public static func response(cdb: CDB, layout: CDLayout, position: UInt32) throws(Sense) -> [UInt8] {
        let msf = cdb[1] & 0x02 != 0
        let code = cdb[3]
        guard (1...3).contains(code) else { throw CDTableOfContents.invalidField(byte: 3, bit: 7) }
        var data: [UInt8]
        switch code {
        case 1:
            let t = layout.track(at: position) ?? layout.tracks[layout.tracks.count - 1]
            let index = t.index(at: position)
            let relative: [UInt8] =
                msf
                ? MSF(frames: index == 0 ? t.start - position : position - t.start).addressField
                : be32(UInt32(bitPattern: Int32(Int64(position) - Int64(t.start))))
            data = [1, t.adrControl, t.number, index] + ReadTOC.address(position, msf: msf) + relative
        case 2:
            let mcn = layout.catalog.map { Array($0.utf8) }
            data = [2, 0, 0, 0, mcn == nil ? 0 : 0x80] + (mcn ?? [UInt8](repeating: 0, count: 13)) + [0, 0]
        default:
            guard let t = layout.tracks.first(where: { $0.number == cdb[6] }) else {
                throw CDTableOfContents.invalidField(byte: 6, bit: 7)
            }
            let isrc = t.isrc.map { Array($0.utf8) }
            data = [3, t.adrControl, t.number, 0, isrc == nil ? 0 : 0x80] + (isrc ?? [UInt8](repeating: 0, count: 12))
                + [0, 0, 0]
        }
        if cdb[2] & 0x40 == 0 { data = [] }
        return [0, audioStatusNotSupported] + be16(UInt16(data.count)) + data
    }
}
