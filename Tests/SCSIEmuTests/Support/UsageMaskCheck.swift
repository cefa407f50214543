import SCSIEmu
import Sense
import Testing
import TestSupport

/// For every row of `table`, sets each CDB bit outside the row's usage data in turn (bytes 1 to the end,
/// the service action field excepted) and expects CHECK CONDITION, ILLEGAL REQUEST, INVALID FIELD IN CDB
/// with the field pointer at exactly that byte and bit (SPC-5 §4.4.2.4.2). Also checks that every usage
/// mask's CONTROL byte is 00h (NACA and LINK are not supported) and that byte 0 is the opcode.
///
/// Reusable for every device kind's table: pass a ready device with no pending unit attention.
func expectUsageMaskEnforced<D: SPCDevice>(
    table: CommandTable<D>, device: D, sourceLocation: SourceLocation = #_sourceLocation
) {
    while device.unit.takeUnitAttention() != nil {}
    var checked = 0
    for spec in table.specs {
        let length = spec.cdbLength
        #expect(spec.usage[0] == spec.opcode, "\(spec.name): usage byte 0", sourceLocation: sourceLocation)
        if spec.opcode != 0x7F {
            #expect(spec.usage[length - 1] == 0, "\(spec.name): CONTROL usage", sourceLocation: sourceLocation)
        } else {
            #expect(spec.usage[1] == 0, "\(spec.name): CONTROL usage", sourceLocation: sourceLocation)
        }
        var base = [UInt8](repeating: 0, count: length)
        base[0] = spec.opcode
        var exempt = [UInt8](repeating: 0, count: length)
        if let sa = spec.serviceAction {
            if spec.opcode == 0x7F {
                base[7] = UInt8(length - 8)
                base[8] = UInt8(sa >> 8)
                base[9] = UInt8(sa & 0xFF)
                exempt[7] = 0xFF
                exempt[8] = 0xFF
                exempt[9] = 0xFF
            } else {
                base[1] = UInt8(sa & 0x1F)
                exempt[1] = 0x1F
            }
        } else if spec.opcode == 0x7F {
            base[7] = UInt8(length - 8)
            exempt[7] = 0xFF
        }
        for byte in 1..<length {
            for bit in 0..<8 {
                let mask = UInt8(1) << bit
                guard spec.usage[byte] & mask == 0, exempt[byte] & mask == 0 else { continue }
                var cdb = base
                cdb[byte] |= mask
                let out = run(device, cdb, capacity: 512)
                #expect(out.status == .checkCondition, "\(spec.name) byte \(byte) bit \(bit)", sourceLocation: sourceLocation)
                #expect(
                    out.sense == invalidCDB(UInt16(byte), UInt8(bit)), "\(spec.name) byte \(byte) bit \(bit)",
                    sourceLocation: sourceLocation)
                checked += 1
            }
        }
    }
    #expect(checked > 0, sourceLocation: sourceLocation)
}
