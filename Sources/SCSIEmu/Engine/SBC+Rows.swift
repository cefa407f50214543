import Sense

// The media rows every `SBCDevice` kind builds its table from, written once. A kind passes what its
// standard lets the initiator set (the usage bits of byte 1 and of the GROUP NUMBER byte); the rest of
// the row (direction, states, I/O worker, timeouts) and the handler are the same for every kind.
//
// READ/WRITE-style CDB USAGE DATA (SPC-5 §6.35.3), by CDB length:
//  6: | op | LBA 20–16 (1Fh) | LBA | LBA | TRANSFER LENGTH | CONTROL |
// 10: | op | byte1 | LBA ×4 | group | TRANSFER LENGTH ×2 | CONTROL |
// 12: | op | byte1 | LBA ×4 | TRANSFER LENGTH ×4 | group | CONTROL |
// 16: | op | byte1 | LBA ×8 | TRANSFER LENGTH ×4 | group | CONTROL |
// CONTROL is 00h everywhere (NACA and LINK not supported).

/// What a kind lets the initiator set in a media CDB: byte 1 (DPO, FUA, RARC, BYTCHK, IMMED…) and the
/// byte after the transfer length (GROUP NUMBER 1Fh on a disk; MMC-6 READ(12) has STREAMING 80h there).
public struct MediaUsage: Sendable, Hashable {
    public var byte1: UInt8
    public var group: UInt8
    public init(byte1: UInt8, group: UInt8) {
        self.byte1 = byte1
        self.group = group
    }

    func cdb(_ opcode: UInt8, length: Int) -> [UInt8] {
        let ff = { (n: Int) in [UInt8](repeating: 0xFF, count: n) }
        switch length {
        case 6: return [opcode, 0x1F, 0xFF, 0xFF, 0xFF, 0x00]
        case 10: return [opcode, byte1] + ff(4) + [group] + ff(2) + [0x00]
        case 12: return [opcode, byte1] + ff(8) + [group, 0x00]
        default: return [opcode, byte1] + ff(12) + [group, 0x00]
        }
    }
}

extension CommandSpec where Device: SBCDevice {
    /// A row whose handler runs on the engine the device hands out (NOT READY when it has none).
    /// `async`: the handler can complete from an asynchronous store's callback (`BlockEngine+Submit`);
    /// `cached`: it can be tried without blocking (`BlockEngine.readWithoutBlocking`; a Data-Out row's try
    /// is a write into the store's cache, `BlockEngine.writeIntoCache`).
    static func media(
        _ opcode: UInt8, _ name: String, usage: [UInt8], _ direction: DataDirection, storageIO: Bool = true,
        async: Bool = false, cached: Bool = false,
        _ handler: @escaping @Sendable (BlockEngine, inout SCSICommand) throws(Sense) -> CommandOutcome
    ) -> Self {
        mediaRow(opcode, name, usage: usage, direction, storageIO: storageIO, async: async, cached: cached) {
            d, c throws(Sense) in try handler(d.mediaEngine(), &c)
        }
    }

    /// `media` with a handler that takes the device and reaches the engine itself (READ(10)'s).
    private static func mediaRow(
        _ opcode: UInt8, _ name: String, usage: [UInt8], _ direction: DataDirection, storageIO: Bool = true,
        async: Bool = false, cached: Bool = false,
        _ handler: @escaping @Sendable (Device, inout SCSICommand) throws(Sense) -> CommandOutcome
    ) -> Self {
        var flags: CommandFlags = storageIO ? (async ? [.storageIO, .completesAsynchronously] : .storageIO) : []
        if cached { flags.insert(direction == .toDevice ? [.triesWithoutBlocking, .writesToCache] : .triesWithoutBlocking) }
        return Self(opcode, name, usage: usage, direction: direction, states: .readyOnly, flags: flags,
                    timeouts: storageIO ? .io : .quick, handler: handler)
    }

    private static func opcode(_ length: Int, _ six: UInt8, _ ten: UInt8, _ twelve: UInt8, _ sixteen: UInt8) -> UInt8 {
        switch length {
        case 6: six
        case 10: ten
        case 12: twelve
        default: sixteen
        }
    }

    /// READ(6/10/12/16) (SBC-4 §5.15–5.18, MMC-6 §6.17–6.18).
    public static func read(_ length: Int, _ u: MediaUsage) -> Self {
        switch length {
        case 6: read(CDB.Six.self, u)
        case 10: readTen(u)
        case 12: read(CDB.Twelve.self, u)
        default: read(CDB.Sixteen.self, u)
        }
    }

    /// The READ row of `layout`'s length: its usage data, and a handler specialised for its fields.
    private static func read<Layout: FixedCDBLayout>(_ layout: Layout.Type, _ u: MediaUsage) -> Self {
        let length = Layout.length, op = opcode(length, 0x08, 0x28, 0xA8, 0x88)
        return media(op, "READ(\(length))", usage: u.cdb(op, length: length), .fromDevice, async: true, cached: true) {
            e, c throws(Sense) in
            try e.read(&c, Layout.self)
        }
    }

    /// READ(10), the READ an initiator sends: its handler calls the engine itself. The other lengths' handlers
    /// (and so would this one) go through `media`'s wrapper, whose closures the compiler merges into one
    /// body reached through a forwarder per length: two call levels, not one, between the device and
    /// `BlockEngine.read`, each open across the `pread` (≈ 6 ns each: docs/performance.md, session 16, round 2).
    private static func readTen(_ u: MediaUsage) -> Self {
        mediaRow(0x28, "READ(10)", usage: u.cdb(0x28, length: 10), .fromDevice, async: true, cached: true) {
            d, c throws(Sense) in try d.mediaEngine().read(&c, CDB.Ten.self)
        }
    }

    /// WRITE(6/10/12/16) (SBC-4 §5.41–5.44, MMC-6 §6.45–6.46).
    public static func write(_ length: Int, _ u: MediaUsage) -> Self {
        let op = opcode(length, 0x0A, 0x2A, 0xAA, 0x8A)
        return media(op, "WRITE(\(length))", usage: u.cdb(op, length: length), .toDevice, async: true, cached: true) {
            e, c throws(Sense) in
            try e.write(&c)
        }
    }

    /// WRITE AND VERIFY(10/12/16) (SBC-4 §5.46–5.48, MMC-6 §6.47).
    public static func writeAndVerify(_ length: Int, _ u: MediaUsage) -> Self {
        let op = opcode(length, 0, 0x2E, 0xAE, 0x8E)
        return media(op, "WRITE AND VERIFY(\(length))", usage: u.cdb(op, length: length), .toDevice) {
            e, c throws(Sense) in try e.writeAndVerify(&c)
        }
    }

    /// VERIFY(10/12/16) (SBC-4 §5.35–5.37, MMC-6 §6.48): Data-Out only with BYTCHK ≠ 0.
    public static func verify(_ length: Int, _ u: MediaUsage) -> Self {
        let op = opcode(length, 0, 0x2F, 0xAF, 0x8F)
        return media(op, "VERIFY(\(length))", usage: u.cdb(op, length: length), .maybeToDevice) {
            e, c throws(Sense) in try e.verify(&c)
        }
    }

    /// SYNCHRONIZE CACHE(10/16) (SBC-4 §5.27–5.28, MMC-6 §6.38): byte 1 IMMED.
    public static func synchronizeCache(_ length: Int, group: UInt8) -> Self {
        let op: UInt8 = length == 10 ? 0x35 : 0x91
        let u = MediaUsage(byte1: 0x02, group: group)
        return media(op, "SYNCHRONIZE CACHE(\(length))", usage: u.cdb(op, length: length), .none, async: true) {
            e, c throws(Sense) in try e.synchronizeCache(&c)
        }
    }

    /// PRE-FETCH(10/16) (SBC-4 §5.12–5.13): byte 1 IMMED.
    public static func preFetch(_ length: Int) -> Self {
        let op: UInt8 = length == 10 ? 0x34 : 0x90
        let u = MediaUsage(byte1: 0x02, group: 0x1F)
        return media(op, "PRE-FETCH(\(length))", usage: u.cdb(op, length: length), .none) { e, c throws(Sense) in
            try e.preFetch(&c)
        }
    }

    /// READ CAPACITY(10) (SBC-4 §5.20, MMC-6 §6.23). `usage` says whether the obsolete LBA and PMI may be set.
    public static func readCapacity10(usage: [UInt8]) -> Self {
        media(0x25, "READ CAPACITY(10)", usage: usage, .fromDevice, storageIO: false) { e, c throws(Sense) in
            try e.readCapacity10(&c)
        }
    }

    /// READ CAPACITY(16) (SERVICE ACTION IN(16) 9Eh/10h, SBC-4 §5.21); RC BASIS `rcBasis`.
    public static func readCapacity16(usage: [UInt8], rcBasis: UInt8 = 0) -> Self {
        Self(0x9E, serviceAction: 0x10, "READ CAPACITY(16)", usage: usage, direction: .fromDevice, states: .readyOnly) {
            d, c throws(Sense) in try d.mediaEngine().readCapacity16(&c, rcBasis: rcBasis, thin: d.isThin)
        }
    }
}
