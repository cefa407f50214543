/// READ FORMAT CAPACITIES (23h, MMC-6 §6.24) for a recordable disc. Layout: `ReadFormatCapacities`.
///
/// Current/maximum descriptor: DESCRIPTOR TYPE 10b (formatted) on a formatted DVD+RW/DVD-RW RO/BD-RE,
/// else 01b (unformatted or blank) with the blocks still free. Formattable descriptors: DVD+RW 26h, DVD-RW
/// 00h (full, the one growisofs requires on restricted overwrite), 10h and 15h (quick), BD-RE 00h and
/// 30h, a blank BD-R 00h and 32h (SRM with spare areas: growisofs formats a blank BD-R first), each with
/// the disc's capacity; other write-once media none.
public enum RecordableFormatCapacities {
    public static func response(_ l: DiscLayout) -> [UInt8] {
        let overwrite = l.profile.recording == .overwrite
        let free = l.openTrack.map { l.freeBlocks(of: $0) } ?? 0
        let formatted = overwrite && l.formatted
        var d = be32(overwrite ? l.capacity : free) + [formatted ? 0x02 : 0x01] + be24(2048)
        let types: [(UInt8, UInt32)] = switch l.profile {
        case .dvdPlusRW: [(0x26, 0)]
        case .dvdMinusRWOverwrite, .dvdMinusRWSequential: [(0x00, 16), (0x10, 16), (0x15, 16)]
        case .bdRE: [(0x00, 2048), (0x30, 2048)]
        case .bdR where l.status == .blank: [(0x00, 0), (0x32, 0)]
        default: []
        }
        for (type, parameter) in types { d += be32(l.capacity) + [type << 2] + be24(parameter) }
        return [0, 0, 0, UInt8(d.count)] + d
    }
}
