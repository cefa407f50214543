import Sense

// REPORT SUPPORTED OPERATION CODES (SPC-5 §6.35), MAINTENANCE IN A3h service action 0Ch
// | 0 | OPERATION CODE (A3h) |
// | 1 | reserved (7–5) | SERVICE ACTION (0Ch) |
// | 2 | RCTD (7) | reserved (6–3) | REPORTING OPTIONS (2–0) |
// | 3 | REQUESTED OPERATION CODE |
// | 4–5 | REQUESTED SERVICE ACTION |
// | 6–9 | ALLOCATION LENGTH |
// | 10 | reserved | 11 | CONTROL |
//
// All_commands parameter data (§6.35.2): | 0–3 | COMMAND DATA LENGTH (n − 3) | 4–n | command descriptors |
// Command descriptor (8 bytes, 20 with a timeouts descriptor):
// | 0 | OPERATION CODE | 1 | reserved | 2–3 | SERVICE ACTION | 4 | reserved |
// | 5 | reserved (7–2, incl. MLU/CDLP/RWCDLP = 0) | CTDP (1) | SERVACTV (0) |
// | 6–7 | CDB LENGTH | 8–19 | command timeouts descriptor (CTDP = 1) |
//
// One_command parameter data (§6.35.3):
// | 0 | reserved | 1 | CTDP (7) | reserved (6–3, incl. MLU/CDLP/RWCDLP = 0) | SUPPORT (2–0) |
// | 2–3 | CDB SIZE | 4–n | CDB USAGE DATA | then the command timeouts descriptor (CTDP = 1) |
//
// Command timeouts descriptor (§6.35.4):
// | 0–1 | DESCRIPTOR LENGTH (000Ah) | 2 | reserved | 3 | COMMAND SPECIFIC |
// | 4–7 | NOMINAL COMMAND PROCESSING TIMEOUT | 8–11 | RECOMMENDED COMMAND TIMEOUT |

extension SPC {
    /// SUPPORT values of the one_command parameter data.
    static let supportNotSupported: UInt8 = 0b001
    static let supportSupported: UInt8 = 0b011

    /// Reports the device's command table. REPORTING OPTIONS 000b: every row, in table order. 001b: the
    /// requested opcode (INVALID FIELD IN CDB at byte 2 bit 2 if it has service actions). 010b: the opcode
    /// and service action (INVALID FIELD IN CDB at byte 4 if the opcode has none). 011b: the opcode and,
    /// when it has service actions, the service action. Other options: INVALID FIELD IN CDB at byte 2
    /// bit 2. A command the table does not hold is SUPPORT 001b with no usage data.
    public static func reportSupportedOperationCodes<D: SPCDevice>(
        _ d: D, _ cmd: inout SCSICommand
    ) throws(Sense) -> CommandOutcome {
        let cdb = cmd.cdb
        let timeouts = cdb.bit(2, 7)
        let option = cdb[2] & 0x07
        let allocation = Int(cdb.u32(6))
        let table = d.commandTable
        switch option {
        case 0:
            return cmd.respond(allCommandsData(table, timeouts: timeouts), allocationLength: allocation)
        case 1, 2, 3:
            let opcode = cdb[3]
            let hasServiceActions = table.hasServiceActions(opcode)
            let spec: CommandSpec<D>?
            switch option {
            case 1:
                if hasServiceActions { throw invalidFieldInCDB(byte: 2, bit: 2) }
                spec = table.spec(opcode: opcode, serviceAction: nil)
            case 2:
                if !hasServiceActions, table.spec(opcode: opcode, serviceAction: nil) != nil {
                    throw invalidFieldInCDB(byte: 4)
                }
                spec = table.spec(opcode: opcode, serviceAction: cdb.u16(4))
            default:
                spec = table.spec(opcode: opcode, serviceAction: hasServiceActions ? cdb.u16(4) : nil)
            }
            return cmd.respond(oneCommandData(spec, timeouts: timeouts), allocationLength: allocation)
        default:
            throw invalidFieldInCDB(byte: 2, bit: 2)
        }
    }

    /// The all_commands parameter data for a table.
    public static func allCommandsData<D>(_ table: CommandTable<D>, timeouts: Bool) -> [UInt8] {
        let descriptorLength = timeouts ? 20 : 8
        var b: [UInt8] = []
        b.reserveCapacity(4 + table.specs.count * descriptorLength)
        b.appendBigEndian(UInt32(table.specs.count * descriptorLength))
        for spec in table.specs {
            b.append(spec.opcode)
            b.append(0)
            b.appendBigEndian(spec.serviceAction ?? 0)
            b.append(0)
            b.append((timeouts ? 0x02 : 0x00) | (spec.serviceAction != nil ? 0x01 : 0x00))
            b.appendBigEndian(UInt16(spec.cdbLength))
            if timeouts { appendTimeoutsDescriptor(&b, spec.timeouts) }
        }
        return b
    }

    /// The one_command parameter data for a row (nil: not supported).
    public static func oneCommandData<D>(_ spec: CommandSpec<D>?, timeouts: Bool) -> [UInt8] {
        guard let spec else { return [0, supportNotSupported, 0, 0] }
        var b: [UInt8] = [0, (timeouts ? 0x80 : 0x00) | supportSupported]
        b.appendBigEndian(UInt16(spec.cdbLength))
        b.append(contentsOf: spec.usage)
        if timeouts { appendTimeoutsDescriptor(&b, spec.timeouts) }
        return b
    }

    static func appendTimeoutsDescriptor(_ b: inout [UInt8], _ t: CommandTimeouts) {
        b.appendBigEndian(UInt16(0x0A))
        b.append(0)
        b.append(0)
        b.appendBigEndian(t.nominal)
        b.appendBigEndian(t.recommended)
    }
}
