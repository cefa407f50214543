import Sense

/// REPORT ZONES, ZBC IN (95h) service action 00h, ZBC-2 §5.3.
///
/// CDB:
///
/// | byte | 7 | 6 | 5 4 3 2 1 0 |
/// |---|---|---|---|
/// | 0 | OPERATION CODE (95h) |||
/// | 1 | reserved || SERVICE ACTION (00h) in bits 4–0 |
/// | 2–9 | ZONE START LBA (any LBA: reporting starts with the zone holding it) |||
/// | 10–13 | ALLOCATION LENGTH |||
/// | 14 | PARTIAL | reserved | REPORTING OPTIONS |
/// | 15 | CONTROL |||
///
/// Parameter data: a 64-byte header, then 64-byte zone descriptors.
///
/// | byte | header | zone descriptor |
/// |---|---|---|
/// | 0 | ZONE LIST LENGTH (4, bytes of descriptors) | ZONE TYPE (bits 3–0) |
/// | 1 | ″ | ZONE CONDITION (bits 7–4), NON_SEQ (bit 1), RESET (bit 0) |
/// | 4 | SAME (bits 3–0) | reserved |
/// | 8–15 | MAXIMUM LBA | ZONE LENGTH |
/// | 16–23 | reserved | ZONE START LBA |
/// | 24–31 | reserved | WRITE POINTER LBA |
/// | 32–63 | reserved | reserved |
///
/// ZONE LIST LENGTH counts every matching zone from the start zone to the end of the logical unit, or
/// with PARTIAL only the descriptors that fit in the allocation length. WRITE POINTER LBA is invalid for
/// NOT WRITE POINTER, READ ONLY and OFFLINE zones (all ones here) and the zone end for FULL zones.
public enum ReportZones {
    /// CDB USAGE DATA (SPC-5 §6.35.3): PARTIAL and REPORTING OPTIONS in byte 14; CONTROL 00h.
    public static let usage: [UInt8] = [0x95, 0x00, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xBF, 0x00]
    public static let headerLength = 64
    public static let descriptorLength = 64

    /// REPORTING OPTIONS (ZBC-2 table 33).
    public enum Option: UInt8, Sendable, Hashable, CaseIterable {
        case all = 0x00
        case empty = 0x01
        case implicitlyOpen = 0x02
        case explicitlyOpen = 0x03
        case closed = 0x04
        case full = 0x05
        case readOnly = 0x06
        case offline = 0x07
        /// Zone domains (ZBC-2 §4.6): no zone of ours is ever inactive.
        case inactive = 0x08
        case resetRecommended = 0x10
        case nonSequential = 0x11
        /// Gap zones (ZBC-2 §4.4.2.5): we have none.
        case gap = 0x3E
        case notWritePointer = 0x3F

        public func matches(_ z: Zone) -> Bool {
            switch self {
            case .all: true
            case .empty: z.condition == .empty
            case .implicitlyOpen: z.condition == .implicitlyOpen
            case .explicitlyOpen: z.condition == .explicitlyOpen
            case .closed: z.condition == .closed
            case .full: z.condition == .full
            case .readOnly: z.condition == .readOnly
            case .offline: z.condition == .offline
            case .inactive, .gap: false
            case .resetRecommended: z.resetRecommended
            case .nonSequential: z.nonSequential
            case .notWritePointer: z.condition == .notWritePointer
            }
        }
    }

    /// The parameter data for `cdb`, already cut to its allocation length.
    public static func response(_ cdb: CDB, _ machine: ZoneStateMachine) throws(Sense) -> [UInt8] {
        let layout = machine.layout
        let startLBA = cdb.u64(2)
        guard startLBA < layout.capacity else { throw Sense(.illegalRequest, .logicalBlockAddressOutOfRange) }
        guard let option = Option(rawValue: cdb[14] & 0x3F) else {
            throw Sense(.illegalRequest, .invalidFieldInCDB, keySpecific: .fieldPointer(inCDB: true, byte: 14, bit: 5))
        }
        let partial = cdb.bit(14, 7)
        let allocation = Int(cdb.u32(10))
        let fits = max(0, (allocation - headerLength) / descriptorLength)
        // Descriptors to encode: with PARTIAL only whole ones; without, the list is cut at the allocation
        // length like any parameter data, so a last descriptor may be cut short.
        let encode = partial ? fits : max(0, (allocation - headerLength + descriptorLength - 1) / descriptorLength)
        let first = layout.zoneIndex(of: startLBA)
        let zones = machine.zones

        // The zones of the list, as far as they are returned, and the list's length and SAME field.
        var returned: [Int] = []
        var listed = 0
        var same = Same()
        if option == .all {
            listed = partial ? min(fits, layout.zoneCount - first) : layout.zoneCount - first
            returned = Array(first..<(first + min(encode, listed)))
            same = Same(allZonesFrom: first, count: listed, machine.geometry)
        } else {
            returned.reserveCapacity(min(encode, 4096))
            for i in first..<layout.zoneCount where option.matches(zones[i]) {
                if returned.count < encode {
                    returned.append(i)
                } else if partial {
                    break
                }
                listed += 1
                same.add(type: zones[i].type, length: layout.length(of: i))
            }
        }

        var out: [UInt8] = []
        out.reserveCapacity(headerLength + returned.count * descriptorLength)
        out.appendBigEndian(UInt32(truncatingIfNeeded: listed * descriptorLength))
        out += [same.value, 0, 0, 0]
        out.appendBigEndian(layout.capacity - 1)
        out += [UInt8](repeating: 0, count: headerLength - 16)
        for i in returned { appendDescriptor(zone: zones[i], index: i, layout, to: &out) }
        return Array(out.prefix(allocation))
    }

    static func appendDescriptor(zone z: Zone, index i: Int, _ layout: ZoneLayout, to out: inout [UInt8]) {
        out += [z.type.rawValue, z.condition.rawValue << 4 | (z.nonSequential ? 0x02 : 0) | (z.resetRecommended ? 0x01 : 0)]
        out += [UInt8](repeating: 0, count: 6)
        out.appendBigEndian(layout.length(of: i))
        out.appendBigEndian(layout.start(of: i))
        let wp: UInt64 =
            switch z.condition {
            case .notWritePointer, .readOnly, .offline: .max
            case .full: layout.end(of: i)
            default: z.writePointer
            }
        out.appendBigEndian(wp)
        out += [UInt8](repeating: 0, count: descriptorLength - 32)
    }

    /// The SAME field (ZBC-2 table 35) over the zone descriptor list:
    /// 0h types and lengths may differ; 1h all equal to the first; 2h types equal, the last zone's length
    /// may differ; 3h lengths equal, types may differ.
    struct Same {
        var count = 0
        var firstType: ZoneType?
        var firstLength: UInt64 = 0
        var typesDiffer = false
        var lengthsDifferBeforeLast = false
        var lastLengthDiffers = false

        init() {}

        mutating func add(type: ZoneType, length: UInt64) {
            defer { count += 1 }
            guard let t = firstType else {
                firstType = type
                firstLength = length
                return
            }
            if t != type { typesDiffer = true }
            if lastLengthDiffers { lengthsDifferBeforeLast = true }
            lastLengthDiffers = length != firstLength
        }

        /// The SAME field of the unfiltered list from zone `first`: conventional zones come first, and
        /// only the last zone may be shorter.
        init(allZonesFrom first: Int, count: Int, _ g: ZonedGeometry) {
            self.init()
            guard count > 0 else { return }
            let last = first + count - 1
            self.count = count
            firstType = first < g.conventionalZones ? .conventional : g.sequentialType
            firstLength = g.layout.length(of: first)
            typesDiffer = first < g.conventionalZones && last >= g.conventionalZones
            lastLengthDiffers = count > 1 && g.layout.length(of: last) != firstLength
        }

        var value: UInt8 {
            guard count > 0 else { return 0 }
            if lengthsDifferBeforeLast { return 0 }
            switch (typesDiffer, lastLengthDiffers) {
            case (false, false): return 1
            case (false, true): return 2
            case (true, false): return 3
            case (true, true): return 0
            }
        }
    }
}
