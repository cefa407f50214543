import Sense

// The zoned device's own rows (its table is `SPC.rows` plus these). READ(6)/WRITE(6) are not offered:
// ZBC-2 §4.5 leaves them out of host-managed devices, and Linux forces the 16-byte forms anyway. The
// media rows are the shared ones (`SBC+Rows.swift`, layouts there) with DPO and FUA only in byte 1.

extension ZonedDevice {
    /// DPO and FUA only (no RARC, no GROUP NUMBER).
    static let usage = MediaUsage(byte1: 0x18, group: 0x00)

    static let zonedRows: [CommandSpec<ZonedDevice>] =
        [10, 12, 16].map { n in .read(n, usage) } + [10, 12, 16].map { n in .write(n, usage) } + [
        .synchronizeCache(10, group: 0),
        .synchronizeCache(16, group: 0),
        // READ CAPACITY(10) (SBC-4 §5.20): LBA and PMI are obsolete.
        .readCapacity10(usage: [0x25, 0, 0, 0, 0, 0, 0, 0, 0, 0]),
        // READ CAPACITY(16) (SBC-4 §5.21, ZBC-2 §6.2): | 10–13 ALLOCATION LENGTH |; RC BASIS 01b: the
        // returned LBA is the last LBA of the whole logical unit.
        .readCapacity16(usage: [0x9E, 0x10, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x00], rcBasis: 1),
        CommandSpec(0x95, serviceAction: 0x00, "REPORT ZONES", usage: ReportZones.usage, direction: .fromDevice,
                    states: .readyOnly) { d, c throws(Sense) in
            let bytes = try d.zones.store.withLock { s throws(Sense) in try ReportZones.response(c.cdb, s.machine) }
            return c.respond(bytes, allocationLength: Int(c.cdb.u32(10)))
        },
    ] + ZoneOutAction.allCases.map { action in
        CommandSpec.storage(0x94, serviceAction: UInt16(action.rawValue), action.name, usage: action.usage, .none,
                            timeouts: .quick) { d, c throws(Sense) in
            try d.zones.store.withLock { s throws(Sense) in try s.zoneOut(action, c.cdb) }
            return .good
        }
    } + [
        // FORMAT UNIT (SBC-4 §5.4) without parameter data (FMTDATA 0): | 1 FMTPINFO LONGLIST FMTDATA CMPLIST DLF |
        CommandSpec.storage(0x04, "FORMAT UNIT", usage: [0x04, 0x00, 0x00, 0x00, 0x00, 0x00], .none, states: .notDuringFormat,
                 timeouts: .long, eraseAll),
        // SANITIZE (SBC-4 §5.30) BLOCK ERASE (02h) / CRYPTOGRAPHIC ERASE (03h):
        // | 1 IMMED (7) | reserved | AUSE (5) | SERVICE ACTION (4–0) | 7–8 PARAMETER LIST LENGTH (0) |
        // Both reset every zone and its data: what conformance harnesses use between tests.
        .storage(0x48, serviceAction: 0x02, "SANITIZE BLOCK ERASE", usage: [0x48, 0xA2, 0, 0, 0, 0, 0, 0x00, 0x00, 0x00],
                 .none, states: .notDuringFormat, timeouts: .long, eraseAll),
        .storage(0x48, serviceAction: 0x03, "SANITIZE CRYPTOGRAPHIC ERASE", usage: [0x48, 0xA3, 0, 0, 0, 0, 0, 0x00, 0x00, 0x00],
                 .none, states: .notDuringFormat, timeouts: .long, eraseAll),
    ]

    /// FORMAT UNIT and SANITIZE: every zone and its data reset, committed before GOOD.
    static let eraseAll: CommandSpec<ZonedDevice>.Handler = { d, _ throws(Sense) in
        try d.zones.store.withLock { s throws(Sense) in try s.eraseAll() }
        return .good
    }
}
