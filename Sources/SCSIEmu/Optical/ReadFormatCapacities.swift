/// READ FORMAT CAPACITIES (23h) (MMC-6 §6.24).
///
/// CDB:  | 23h | rsvd ×6 | ALLOC LEN (2) @7 | CONTROL |
///
/// Response: capacity list header  0-2 rsvd | 3 CAPACITY LIST LENGTH (8 × descriptors)
///   current/maximum capacity descriptor: 0-3 NUMBER OF BLOCKS | 4 DESCRIPTOR TYPE (1-0): 01b unformatted,
///       10b formatted, 11b no medium (maximum capacity) | 5-7 BLOCK LENGTH
///   formattable capacity descriptors: 0-3 NUMBER OF BLOCKS | 4 FORMAT TYPE (7-2) | 5-7 TYPE DEPENDENT PARAMETER
public enum ReadFormatCapacities {
    /// The capacity reported with no medium: a 4.7 GB single-layer DVD (2 295 104 blocks).
    public static let maximumBlocks: UInt32 = 2_295_104

    /// `medium` nil: no medium present. A DVD-RAM lists format type 00h (full format) with its capacity and
    /// TYPE DEPENDENT PARAMETER 000800h (dvd+rw-mediainfo prints it as "00h(800)"), write-protected or not:
    /// the list describes the medium, and both udev cdrom_id and dvd+rw-mediainfo reject a DVD-RAM
    /// capacity list shorter than 16 bytes.
    public static func response(medium: GetConfiguration.MediumState?) -> [UInt8] {
        guard let medium else {
            return [0, 0, 0, 8] + be32(maximumBlocks) + [0x03] + be24(2048)
        }
        var descriptors = be32(medium.blockCount) + [0x02] + be24(2048)
        if medium.profile.isRewritable {
            descriptors += be32(medium.blockCount) + [0x00 << 2] + be24(2048)
        }
        return [0, 0, 0, UInt8(descriptors.count)] + descriptors
    }
}
