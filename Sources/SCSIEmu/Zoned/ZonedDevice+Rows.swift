import Sense

// The zoned device's own rows (its table is `SPC.rows` plus these). READ(6)/WRITE(6) are not offered:
// ZBC-2 §4.5 leaves them out of host-managed devices, and Linux forces the 16-byte forms anyway.
//
// READ/WRITE(10): | 0 op | 1 RDPROTECT/WRPROTECT (7–5) DPO (4) FUA (3) | 2–5 LBA | 6 GROUP | 7–8 LENGTH | 9 CONTROL |
// READ/WRITE(12): | 0 op | 1 flags | 2–5 LBA | 6–9 LENGTH | 10 GROUP | 11 CONTROL |
// READ/WRITE(16): | 0 op | 1 flags | 2–9 LBA | 10–13 LENGTH | 14 GROUP | 15 CONTROL |
// Only DPO and FUA are accepted in byte 1 (no protection information).

extension ZonedDevice {
    static let zonedRows: [CommandSpec<ZonedDevice>] = [
        io(0x28, "READ(10)", [0x28, 0x18, 0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0xFF, 0xFF, 0x00], .fromDevice, read),
        io(0xA8, "READ(12)", [0xA8, 0x18, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x00], .fromDevice, read),
        io(0x88, "READ(16)", [0x88, 0x18] + .init(repeating: 0xFF, count: 12) + [0x00, 0x00], .fromDevice, read),
        io(0x2A, "WRITE(10)", [0x2A, 0x18, 0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0xFF, 0xFF, 0x00], .toDevice, write),
        io(0xAA, "WRITE(12)", [0xAA, 0x18, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x00], .toDevice, write),
        io(0x8A, "WRITE(16)", [0x8A, 0x18] + .init(repeating: 0xFF, count: 12) + [0x00, 0x00], .toDevice, write),
        // SYNCHRONIZE CACHE(10) (SBC-4 §5.28): | 1 IMMED (1) | 2–5 LBA | 6 GROUP | 7–8 NUMBER OF BLOCKS |
        io(0x35, "SYNCHRONIZE CACHE(10)", [0x35, 0x02, 0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0xFF, 0xFF, 0x00], .none, synchronizeCache),
        // SYNCHRONIZE CACHE(16) (SBC-4 §5.29): | 1 IMMED (1) | 2–9 LBA | 10–13 NUMBER OF BLOCKS | 14 GROUP |
        io(0x91, "SYNCHRONIZE CACHE(16)", [0x91, 0x02] + .init(repeating: 0xFF, count: 12) + [0x00, 0x00], .none, synchronizeCache),
        // READ CAPACITY(10) (SBC-4 §5.20): LBA and PMI are obsolete.
        CommandSpec(0x25, "READ CAPACITY(10)", usage: [0x25, 0, 0, 0, 0, 0, 0, 0, 0, 0], direction: .fromDevice,
                    states: .readyOnly) { d, c throws(Sense) in d.readCapacity10(&c) },
        // READ CAPACITY(16) (SBC-4 §5.21): SERVICE ACTION IN(16) 9Eh/10h, | 10–13 ALLOCATION LENGTH |
        CommandSpec(0x9E, serviceAction: 0x10, "READ CAPACITY(16)",
                    usage: [0x9E, 0x10, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x00],
                    direction: .fromDevice, states: .readyOnly) { d, c throws(Sense) in d.readCapacity16(&c) },
        CommandSpec(0x95, serviceAction: 0x00, "REPORT ZONES", usage: ReportZones.usage, direction: .fromDevice,
                    states: .readyOnly) { d, c throws(Sense) in
            let bytes = try d.store.withLock { s throws(Sense) in try ReportZones.response(c.cdb, s.machine) }
            return c.respond(bytes, allocationLength: Int(c.cdb.u32(10)))
        },
    ] + ZoneOutAction.allCases.map { action in
        CommandSpec(0x94, serviceAction: UInt16(action.rawValue), action.name, usage: action.usage, direction: .none,
                    states: .readyOnly, flags: .storageIO) { d, c throws(Sense) in
            try d.store.withLock { s throws(Sense) in try s.zoneOut(action, c.cdb) }
            return .good
        }
    } + [
        // FORMAT UNIT (SBC-4 §5.4) without parameter data (FMTDATA 0): | 1 FMTPINFO LONGLIST FMTDATA CMPLIST DLF |
        CommandSpec(0x04, "FORMAT UNIT", usage: [0x04, 0x00, 0x00, 0x00, 0x00, 0x00], direction: .none,
                    states: .notDuringFormat, flags: .storageIO, timeouts: .long) { d, c throws(Sense) in
            try d.store.withLock { s throws(Sense) in try s.eraseAll() }
            return .good
        },
    ] + [0x02, 0x03].map { sa in
        // SANITIZE (SBC-4 §5.30) BLOCK ERASE (02h) / CRYPTOGRAPHIC ERASE (03h):
        // | 1 IMMED (7) | reserved | AUSE (5) | SERVICE ACTION (4–0) | 7–8 PARAMETER LIST LENGTH (0) |
        // Both reset every zone and its data: what conformance harnesses use between tests.
        CommandSpec(0x48, serviceAction: UInt16(sa), sa == 2 ? "SANITIZE BLOCK ERASE" : "SANITIZE CRYPTOGRAPHIC ERASE",
                    usage: [0x48, 0xA0 | UInt8(sa), 0, 0, 0, 0, 0, 0x00, 0x00, 0x00], direction: .none,
                    states: .notDuringFormat, flags: .storageIO, timeouts: .long) { d, c throws(Sense) in
            try d.store.withLock { s throws(Sense) in try s.eraseAll() }
            return .good
        }
    }

    static func io(
        _ op: UInt8, _ name: String, _ usage: [UInt8], _ direction: DataDirection,
        _ handler: @escaping @Sendable (ZonedDevice, inout SCSICommand) throws(Sense) -> CommandOutcome
    ) -> CommandSpec<ZonedDevice> {
        CommandSpec(op, name, usage: usage, direction: direction, states: .readyOnly, flags: .storageIO,
                    timeouts: .io, handler: handler)
    }

    /// LBA OUT OF RANGE (21h/00h) unless `lba + blocks` stays within the capacity.
    func checkRange(_ lba: UInt64, _ blocks: UInt64) throws(Sense) {
        let (end, overflow) = lba.addingReportingOverflow(blocks)
        guard !overflow, end <= geometry.layout.capacity, lba < geometry.layout.capacity || blocks == 0 else {
            throw Sense(.illegalRequest, .logicalBlockAddressOutOfRange)
        }
    }

    /// The TRANSFER LENGTH field's byte, for a field pointer.
    static func lengthFieldByte(_ cdb: CDB) -> UInt16 { cdb.count == 10 ? 7 : cdb.count == 12 ? 6 : 10 }

    static let read: @Sendable (ZonedDevice, inout SCSICommand) throws(Sense) -> CommandOutcome = { d, c throws(Sense) in
        let (lba, n) = c.cdb.lbaAndLength
        let blocks = UInt64(n)
        try d.checkRange(lba, blocks)
        guard blocks > 0 else { return .good }
        let bytes = Int(blocks * d.blockSize)
        guard c.dataIn.count >= bytes else {
            throw Sense(.illegalRequest, .invalidFieldInCDB, keySpecific: .fieldPointer(inCDB: true, byte: lengthFieldByte(c.cdb), bit: 7))
        }
        let unwritten = try d.store.withLock { s throws(Sense) in try s.prepareRead(lba: lba, blocks: blocks) }
        try ZonedStore.read(
            lba: lba, blocks: blocks, into: c.dataIn, unwritten: unwritten, medium: d.medium,
            dataOffset: d.dataOffset, blockSize: d.blockSize)
        return .good(dataInLength: bytes)
    }

    static let write: @Sendable (ZonedDevice, inout SCSICommand) throws(Sense) -> CommandOutcome = { d, c throws(Sense) in
        let (lba, n) = c.cdb.lbaAndLength
        let blocks = UInt64(n)
        try d.checkRange(lba, blocks)
        guard blocks > 0 else { return .good }
        guard c.dataOut.count >= Int(blocks * d.blockSize) else {
            throw Sense(.illegalRequest, .invalidFieldInCDB, keySpecific: .fieldPointer(inCDB: true, byte: lengthFieldByte(c.cdb), bit: 7))
        }
        let fua = c.cdb.bit(1, 3) || !d.writeCacheEnabled.load(ordering: .relaxed)
        let data = c.dataOut
        try d.store.withLock { s throws(Sense) in try s.write(lba: lba, blocks: blocks, from: data, fua: fua) }
        return .good
    }

    /// SYNCHRONIZE CACHE (10/16): the range is checked, then everything is committed (IMMED or not: the
    /// commit is the work, and it is short).
    static let synchronizeCache: @Sendable (ZonedDevice, inout SCSICommand) throws(Sense) -> CommandOutcome = { d, c throws(Sense) in
        let (lba, n) = c.cdb.count == 10 ? (UInt64(c.cdb.u32(2)), UInt64(c.cdb.u16(7))) : (c.cdb.u64(2), UInt64(c.cdb.u32(10)))
        try d.checkRange(lba, n)
        try d.synchronize()
        return .good
    }

    // READ CAPACITY(10) data: | 0–3 RETURNED LOGICAL BLOCK ADDRESS (FFFFFFFFh when larger) | 4–7 BLOCK LENGTH |
    func readCapacity10(_ c: inout SCSICommand) -> CommandOutcome {
        var b: [UInt8] = []
        b.appendBigEndian(UInt32(clamping: geometry.layout.capacity - 1))
        b.appendBigEndian(geometry.logicalBlockSize)
        return c.respond(b, allocationLength: 8)
    }

    // READ CAPACITY(16) data (SBC-4 table 72, ZBC-2 §6.2):
    // | 0–7 RETURNED LBA | 8–11 BLOCK LENGTH | 12 reserved (7–6) RC BASIS (5–4) P_TYPE (3–1) PROT_EN (0) |
    // | 13 P_I_EXPONENT (7–4) LOGICAL BLOCKS PER PHYSICAL BLOCK EXPONENT (3–0) |
    // | 14–15 LBPME (15) LBPRZ (14) LOWEST ALIGNED LBA | 16–31 reserved |
    /// RC BASIS 01b: the returned LBA is the last LBA of the whole logical unit.
    func readCapacity16(_ c: inout SCSICommand) -> CommandOutcome {
        var b: [UInt8] = []
        b.appendBigEndian(geometry.layout.capacity - 1)
        b.appendBigEndian(geometry.logicalBlockSize)
        b.append(0x10)
        b.append(contentsOf: [UInt8](repeating: 0, count: 19))
        return c.respond(b, allocationLength: Int(c.cdb.u32(10)))
    }
}
