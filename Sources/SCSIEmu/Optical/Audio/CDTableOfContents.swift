import Sense

/// READ TOC/PMA/ATIP (43h, MMC-6 §6.26) for a CUE/BIN disc: one session, its tracks audio or data.
/// The CDB and the legacy format bits are `ReadTOC`'s.
///
/// Format 0 (formatted TOC, §6.26.3.2): 0-1 DATA LENGTH | 2 FIRST TRACK | 3 LAST TRACK | per track from the
///     CDB's TRACK NUMBER on, then the lead-out (AAh): 0 rsvd | 1 ADR (7-4) = 1, CONTROL (3-0): 0h audio,
///     4h data, + FLAGS | 2 TRACK NUMBER | 3 rsvd | 4-7 START (LBA, or 00h M S F with MSF = 1)
/// Format 1 (session information, §6.26.3.3): header with first/last complete session 1, then the first
///     track of the last session (track 1) as in format 0.
/// Format 2 (full TOC, §6.26.3.4): 0-1 DATA LENGTH | 2-3 first/last session | 11-byte descriptors:
///     0 SESSION | 1 ADR/CONTROL | 2 TNO 0 | 3 POINT | 4-6 MIN SEC FRAME 0 | 7 ZERO | 8-10 PMIN PSEC PFRAME,
///     in binary: A0h (PMIN first track, PSEC disc type 00h CD-DA/CD-ROM or 20h CD-ROM XA), A1h (PMIN last
///     track), A2h (lead-out start), then one per track (its start). ADR/CONTROL of A0h is the first track's,
///     of A1h and A2h the last track's (Red Book: the lead-in Q of each point).
public enum CDTableOfContents {
    static func invalidField(byte: UInt16, bit: UInt8) -> Sense {
        Sense(.illegalRequest, .invalidFieldInCDB, keySpecific: .fieldPointer(inCDB: true, byte: byte, bit: bit))
    }

    /// The response for `format` (0, 1 or 2).
    /// - Throws: INVALID FIELD IN CDB for another format (no PMA, ATIP or CD-TEXT on a pressed disc), a
    ///   track number past the last track (other than AAh), or a session other than 0/1.
    public static func response(format: UInt8, msf: Bool, trackOrSession: UInt8, layout: CDLayout) throws(Sense) -> [UInt8] {
        let first = layout.tracks[0]
        let last = layout.tracks[layout.tracks.count - 1]
        switch format {
        case 0:
            guard trackOrSession <= last.number || trackOrSession == ReadTOC.leadOutTrack else {
                throw invalidField(byte: 6, bit: 7)
            }
            var body: [UInt8] = []
            for t in layout.tracks where t.number >= trackOrSession {
                body += [0, t.adrControl, t.number, 0] + ReadTOC.address(t.start, msf: msf)
            }
            body += [0, last.adrControl, ReadTOC.leadOutTrack, 0] + ReadTOC.address(layout.leadOut, msf: msf)
            return be16(UInt16(2 + body.count)) + [first.number, last.number] + body
        case 1:
            return be16(10) + [1, 1] + [0, first.adrControl, first.number, 0] + ReadTOC.address(first.start, msf: msf)
        case 2:
            guard trackOrSession <= 1 else { throw invalidField(byte: 6, bit: 7) }
            let leadOut = MSF(lba: layout.leadOut)
            var body: [UInt8] = []
            body += [1, first.adrControl, 0, 0xA0, 0, 0, 0, 0, first.number, layout.isXA ? 0x20 : 0x00, 0]
            body += [1, last.adrControl, 0, 0xA1, 0, 0, 0, 0, last.number, 0, 0]
            body += [1, last.adrControl, 0, 0xA2, 0, 0, 0, 0, leadOut.minute, leadOut.second, leadOut.frame]
            for t in layout.tracks {
                let start = MSF(lba: t.start)
                body += [1, t.adrControl, 0, t.number, 0, 0, 0, 0, start.minute, start.second, start.frame]
            }
            return be16(UInt16(2 + body.count)) + [1, 1] + body
        default:
            throw invalidField(byte: 2, bit: 3)
        }
    }
}
