/// The crash-safe, versioned record of a recordable disc's layout, kept beside its image in
/// `<image>.disc` (issue 17). Two slots of `slotBytes` each, written alternately, like the zoned store's
/// superblocks: a commit writes the slot not last committed, so a torn write (kill -9, power loss) leaves
/// the older slot whole, and opening takes the valid slot with the higher generation.
///
/// Slot layout (big-endian):
///
///     0-7   MAGIC "EMUDDISC"        8-9  VERSION (1)        10-11 PAYLOAD LENGTH
///     12-19 GENERATION              20-23 CRC-32 of bytes 0-19 and the payload
///     24-   payload:
///           0-1 PROFILE   2-5 CAPACITY (blocks)   6-7 CLOSED SESSIONS   8 FINALIZED (0) FORMATTED (1)
///           9-10 TRACK COUNT, then 17 bytes a track:
///           0-1 NUMBER  2-3 SESSION  4-7 START  8-11 SIZE (FFFFFFFFh: open)  12-15 RECORDED
///           16 CLOSED (0) RESERVED (1) FROM CUE SHEET (2: a session at once was being written) AUDIO (3)
///
///           then, on a CD, the codes and pre-gaps (CD extension):
///           0-12 CATALOG NUMBER (13 ASCII digits; zeros: none), then 16 bytes a track:
///           0-3 PRE-GAP (blocks of index 0 before START)   4-15 ISRC (12 ASCII characters; zeros: none)
///
/// Bits 2 and 3 of a track's flags and the CD extension were added after version 1 was first written; an
/// older reader ignores them (it sees the cue sheet's tracks as fixed-size tracks, an audio track as a data
/// track whose 2048-byte blocks hold nothing; it reads no further than the tracks), so the version stays 1.
///
/// Order of durability: the image's data is written before the record that covers it, and a commit that
/// must be durable flushes the image first, then the record. A kill -9 loses nothing written to the page
/// cache; after a power loss the record may lag the data (an interrupted burn: the track's recorded length
/// is the last committed one, the disc appendable with an incomplete track, as a real drive leaves it).
public enum DiscRecord {
    public static let magic: [UInt8] = Array("EMUDDISC".utf8)
    public static let version: UInt16 = 1
    public static let slotBytes = 16384
    static let headerBytes = 24
    static let trackBytes = 17
    /// The tracks a slot holds (MMC allows 99 on CD; DVD and BD drives far fewer are ever written).
    public static let maxTracks = (slotBytes - headerBytes - 11) / trackBytes

    /// The payload of `layout`.
    public static func payload(_ l: DiscLayout) -> [UInt8] {
        var p = be16(l.profile.number) + be32(l.capacity) + be16(UInt16(clamping: l.closedSessions))
        p.append((l.finalized ? 0x01 : 0) | (l.formatted ? 0x02 : 0))
        p += be16(UInt16(clamping: l.tracks.count))
        for t in l.tracks.prefix(maxTracks) {
            p += be16(UInt16(clamping: t.number)) + be16(UInt16(clamping: t.session)) + be32(t.start)
            p += be32(t.size ?? 0xFFFF_FFFF) + be32(t.recorded)
            p.append((t.closed ? 0x01 : 0) | (t.reserved ? 0x02 : 0) | (t.fromCueSheet ? 0x04 : 0) | (t.audio ? 0x08 : 0))
        }
        guard l.profile.isCD, l.tracks.count <= maxCDTracks else { return p }
        p += ascii(l.catalog, count: 13)
        for t in l.tracks { p += be32(t.pregap) + ascii(t.isrc, count: 12) }
        return p
    }

    /// The tracks a CD record holds with its extension.
    static let maxCDTracks = (slotBytes - headerBytes - 11 - 13) / (trackBytes + 16)

    static func ascii(_ text: String?, count: Int) -> [UInt8] {
        let bytes = Array((text ?? "").utf8.prefix(count))
        return bytes + [UInt8](repeating: 0, count: count - bytes.count)
    }

    /// A code field: nil when all zeros.
    static func text(_ b: [UInt8], _ o: Int, count: Int) -> String? {
        let field = b[o..<o + count]
        return field.allSatisfy { $0 == 0 } ? nil : String(decoding: field.prefix { $0 != 0 }, as: UTF8.self)
    }

    /// A whole slot for `layout` at `generation`.
    public static func slot(_ layout: DiscLayout, generation: UInt64) -> [UInt8] {
        let body = payload(layout)
        var head = magic + be16(version) + be16(UInt16(body.count))
        for shift in stride(from: 56, through: 0, by: -8) { head.append(UInt8(truncatingIfNeeded: generation >> UInt64(shift))) }
        let crc = ZonedMetadata.crc32((head + body)[...])
        var bytes = head + be32(crc) + body
        bytes += [UInt8](repeating: 0, count: slotBytes - bytes.count)
        return bytes
    }

    /// Decodes a slot: nil when its magic, version, length, CRC or content is not a valid record.
    public static func decode(_ s: [UInt8]) -> (layout: DiscLayout, generation: UInt64)? {
        guard s.count >= headerBytes, Array(s[0..<8]) == magic, u16(s, 8) == version else { return nil }
        let length = Int(u16(s, 10))
        guard length >= 11, headerBytes + length <= s.count else { return nil }
        let body = Array(s[headerBytes..<headerBytes + length])
        guard ZonedMetadata.crc32((Array(s[0..<20]) + body)[...]) == u32(s, 20) else { return nil }
        let generation = s[12..<20].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        guard let profile = MediumProfile(rawValue: u16(body, 0)), profile.isRecordable else { return nil }
        var l = DiscLayout(blank: profile, capacity: u32(body, 2))
        l.closedSessions = Int(u16(body, 6))
        l.finalized = body[8] & 0x01 != 0
        l.formatted = body[8] & 0x02 != 0
        let count = Int(u16(body, 9))
        guard 11 + count * trackBytes <= body.count else { return nil }
        l.tracks = (0..<count).map { i in
            let o = 11 + i * trackBytes
            let size = u32(body, o + 8)
            return DiscLayout.Track(
                number: Int(u16(body, o)), session: Int(u16(body, o + 2)), start: u32(body, o + 4),
                size: size == 0xFFFF_FFFF ? nil : size, recorded: u32(body, o + 12),
                closed: body[o + 16] & 0x01 != 0, reserved: body[o + 16] & 0x02 != 0,
                fromCueSheet: body[o + 16] & 0x04 != 0, audio: body[o + 16] & 0x08 != 0)
        }
        let cd = 11 + count * trackBytes
        if profile.isCD, cd + 13 + count * 16 <= body.count {
            l.catalog = text(body, cd, count: 13)
            for i in 0..<count {
                let o = cd + 13 + i * 16
                l.tracks[i].pregap = u32(body, o)
                l.tracks[i].isrc = text(body, o + 4, count: 12)
            }
        }
        return (l, generation)
    }

    private static func u16(_ b: [UInt8], _ o: Int) -> UInt16 { UInt16(b[o]) << 8 | UInt16(b[o + 1]) }
    private static func u32(_ b: [UInt8], _ o: Int) -> UInt32 {
        UInt32(b[o]) << 24 | UInt32(b[o + 1]) << 16 | UInt32(b[o + 2]) << 8 | UInt32(b[o + 3])
    }

    /// The sidecar path of an image.
    public static func path(forImage image: String) -> String { image + ".disc" }

    /// Reads both slots of `store`: the newest valid one, or nil when neither is valid (no record yet).
    public static func load(_ store: any BackingStore) -> (layout: DiscLayout, generation: UInt64, slot: Int)? {
        var best: (layout: DiscLayout, generation: UInt64, slot: Int)?
        for slot in 0..<2 {
            guard let bytes = try? store.readBytes(count: slotBytes, at: UInt64(slot * slotBytes)),
                let r = decode(bytes)
            else { continue }
            if best == nil || r.generation > best!.generation { best = (r.layout, r.generation, slot) }
        }
        return best
    }
}
