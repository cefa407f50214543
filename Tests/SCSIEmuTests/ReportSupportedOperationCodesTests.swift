import SCSIEmu
import Sense
import Testing
import TestSupport

@Suite("REPORT SUPPORTED OPERATION CODES")
struct ReportSupportedOperationCodesTests {
    static func rsoc(_ options: UInt8, opcode: UInt8 = 0, sa: UInt16 = 0, allocation: UInt32 = 4096) -> [UInt8] {
        [0xA3, 0x0C, options, opcode, UInt8(sa >> 8), UInt8(sa & 0xFF),
         UInt8(allocation >> 24), UInt8(allocation >> 16 & 0xFF), UInt8(allocation >> 8 & 0xFF),
         UInt8(allocation & 0xFF), 0x00, 0x00]
    }

    /// All commands, no timeouts: 8-byte descriptors in table order (OPCODE, reserved, SERVICE ACTION,
    /// reserved, CTDP/SERVACTV, CDB LENGTH).
    @Test func allCommands() {
        let out = run(TestDisk(), Self.rsoc(0x00))
        let expected: [UInt8] =
            [0x00, 0x00, 0x00, 80]  // COMMAND DATA LENGTH: 10 × 8
            + [0x00, 0, 0x00, 0x00, 0, 0x00, 0x00, 6]  // TEST UNIT READY
            + [0x03, 0, 0x00, 0x00, 0, 0x00, 0x00, 6]  // REQUEST SENSE
            + [0x12, 0, 0x00, 0x00, 0, 0x00, 0x00, 6]  // INQUIRY
            + [0x15, 0, 0x00, 0x00, 0, 0x00, 0x00, 6]  // MODE SELECT(6)
            + [0x1A, 0, 0x00, 0x00, 0, 0x00, 0x00, 6]  // MODE SENSE(6)
            + [0x55, 0, 0x00, 0x00, 0, 0x00, 0x00, 10]  // MODE SELECT(10)
            + [0x5A, 0, 0x00, 0x00, 0, 0x00, 0x00, 10]  // MODE SENSE(10)
            + [0xA3, 0, 0x00, 0x0C, 0, 0x01, 0x00, 12]  // REPORT SUPPORTED OPERATION CODES, SERVACTV
            + [0x1B, 0, 0x00, 0x00, 0, 0x00, 0x00, 6]  // START STOP UNIT
            + [0x1E, 0, 0x00, 0x00, 0, 0x00, 0x00, 6]  // PREVENT ALLOW MEDIUM REMOVAL
        #expect(out.status == .good)
        #expect(out.data == expected)
    }

    /// RCTD: 20-byte descriptors with CTDP and a command timeouts descriptor (length 0Ah).
    @Test func allCommandsWithTimeouts() {
        let out = run(TestDisk(), Self.rsoc(0x80))
        #expect(out.data.count == 4 + 10 * 20)
        #expect(out.data.prefix(4) == [0x00, 0x00, 0x00, 200])
        let rsoc = Array(out.data[(4 + 7 * 20)..<(4 + 8 * 20)])
        #expect(rsoc == [0xA3, 0, 0x00, 0x0C, 0, 0x03, 0x00, 12,
                         0x00, 0x0A, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x05])
    }

    @Test func allCommandsTruncated() {
        let out = run(TestDisk(), Self.rsoc(0x00, allocation: 10))
        #expect(out.result.dataInLength == 10)
        #expect(out.data == [0x00, 0x00, 0x00, 80, 0x00, 0, 0x00, 0x00, 0, 0x00])
    }

    /// One command by opcode: SUPPORT 011b, CDB SIZE, CDB USAGE DATA.
    @Test func oneCommandByOpcode() {
        let out = run(TestDisk(), Self.rsoc(0x01, opcode: 0x12))
        #expect(out.data == [0x00, 0x03, 0x00, 0x06, 0x12, 0x01, 0xFF, 0xFF, 0xFF, 0x00])
        let timed = run(TestDisk(), Self.rsoc(0x81, opcode: 0x12))
        #expect(timed.data == [0x00, 0x83, 0x00, 0x06, 0x12, 0x01, 0xFF, 0xFF, 0xFF, 0x00,
                               0x00, 0x0A, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x05])
    }

    @Test func oneCommandOpcodeWithServiceActionsIsRejected() {
        #expect(run(TestDisk(), Self.rsoc(0x01, opcode: 0xA3)).sense == invalidCDB(2, 2))
    }

    @Test func oneCommandByServiceAction() {
        let out = run(TestDisk(), Self.rsoc(0x02, opcode: 0xA3, sa: 0x0C))
        #expect(out.data == [0x00, 0x03, 0x00, 0x0C, 0xA3, 0x0C, 0x87, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x00])
        // Unknown service action of a known opcode: not supported.
        #expect(run(TestDisk(), Self.rsoc(0x02, opcode: 0xA3, sa: 0x0D)).data == [0x00, 0x01, 0x00, 0x00])
    }

    @Test func serviceActionFormForOpcodeWithoutServiceActionsIsRejected() {
        #expect(run(TestDisk(), Self.rsoc(0x02, opcode: 0x12)).sense == invalidCDB(4, 7))
    }

    @Test func unsupportedOpcode() {
        #expect(run(TestDisk(), Self.rsoc(0x01, opcode: 0x28)).data == [0x00, 0x01, 0x00, 0x00])
        #expect(run(TestDisk(), Self.rsoc(0x02, opcode: 0x28, sa: 3)).data == [0x00, 0x01, 0x00, 0x00])
    }

    /// Option 3: the service action is used only for an opcode that has them.
    @Test func eitherForm() {
        #expect(run(TestDisk(), Self.rsoc(0x03, opcode: 0x12, sa: 5)).data.prefix(4) == [0x00, 0x03, 0x00, 0x06])
        #expect(run(TestDisk(), Self.rsoc(0x03, opcode: 0xA3, sa: 0x0C)).data.prefix(4) == [0x00, 0x03, 0x00, 0x0C])
        #expect(run(TestDisk(), Self.rsoc(0x03, opcode: 0xA3, sa: 0x01)).data == [0x00, 0x01, 0x00, 0x00])
    }

    @Test func reservedReportingOptionIsRejected() {
        #expect(run(TestDisk(), Self.rsoc(0x04)).sense == invalidCDB(2, 2))
        #expect(run(TestDisk(), Self.rsoc(0x07)).sense == invalidCDB(2, 2))
    }
}
