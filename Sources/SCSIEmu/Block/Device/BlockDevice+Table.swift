import Sense

// The disk's opcode table: the shared SPC rows plus the SBC-4 rows below. Usage masks are CDB USAGE DATA
// (SPC-5 §6.35.3): protection fields (RDPROTECT, WRPROTECT, VRPROTECT, FMTPINFO), ANCHOR, obsolete and
// reserved bits are 0, so setting them is INVALID FIELD IN CDB; the CONTROL byte is 00h. Every row that
// touches the store is flagged `.storageIO` (the ring may run it on an I/O worker thread).

extension BlockDevice {
    typealias Row = CommandSpec<BlockDevice>

    /// The table of a thin-provisioned disk (UNMAP and GET LBA STATUS included).
    static let thinTable = CommandTable<BlockDevice>(rows(thin: true))
    /// The table of a fully provisioned disk.
    static let fullTable = CommandTable<BlockDevice>(rows(thin: false))

    static func rows(thin: Bool) -> [Row] {
        let flush: @Sendable (BlockDevice) throws(Sense) -> Void = { d throws(Sense) in try d.engine.synchronize() }
        var rows = SPC.rows(for: BlockDevice.self, flush: flush) + sbcRows + writeSameRows(unmap: thin)
        if thin { rows += provisioningRows }
        return rows
    }

    /// DPO, FUA and RARC (READ) / DPO and FUA (WRITE) / DPO and BYTCHK (VERIFY, WRITE AND VERIFY); GROUP
    /// NUMBER 4–0.
    private static let readUsage = MediaUsage(byte1: 0x1C, group: 0x1F)
    private static let writeUsage = MediaUsage(byte1: 0x18, group: 0x1F)
    private static let verifyUsage = MediaUsage(byte1: 0x16, group: 0x1F)

    private static let sbcRows: [Row] =
        [6, 10, 12, 16].flatMap { n in [Row.read(n, readUsage), Row.write(n, writeUsage)] }
        + [10, 12, 16].map { n in Row.writeAndVerify(n, verifyUsage) } + [10, 12, 16].map { n in Row.verify(n, verifyUsage) }
        + [10, 16].map { n in Row.synchronizeCache(n, group: 0x1F) } + [10, 16].map { n in Row.preFetch(n) }
        + [
        .storage(0x89, "COMPARE AND WRITE", usage: [0x89, 0x18] + ff(8) + [0x00, 0x00, 0x00, 0xFF, 0x1F, 0x00], .toDevice,
                 async: true) { d, c throws(Sense) in try d.compareAndWrite(&c) },
        .storage(0x8B, "ORWRITE(16)", usage: [0x8B, 0x18] + ff(12) + [0x1F, 0x00], .toDevice) {
            d, c throws(Sense) in try d.orWrite(&c)
        },
        .readCapacity10(usage: [0x25, 0x00, 0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x00, 0x01, 0x00]),
        .readCapacity16(usage: [0x9E, 0x10] + ff(12) + [0x01, 0x00]),
        .storage(0x83, serviceAction: 0x00, "EXTENDED COPY(LID1)", usage: [0x83, 0x00] + zero(8) + ff(4) + [0x00, 0x00],
                 .toDevice, timeouts: .long) { d, c throws(Sense) in try d.extendedCopy(&c) },
        Row(0x84, serviceAction: 0x00, "RECEIVE COPY RESULTS(COPY STATUS)",
            usage: [0x84, 0x00, 0xFF] + zero(7) + ff(4) + [0x00, 0x00],
            direction: .fromDevice, states: .notDuringFormat) { d, c throws(Sense) in try d.receiveCopyStatus(&c) },
        Row(0x84, serviceAction: 0x03, "RECEIVE COPY RESULTS(OPERATING PARAMETERS)",
            usage: [0x84, 0x03, 0xFF] + zero(7) + ff(4) + [0x00, 0x00],
            direction: .fromDevice, states: .notDuringFormat) { d, c throws(Sense) in try d.receiveCopyOperatingParameters(&c) },
        Row(0x84, serviceAction: 0x04, "RECEIVE COPY RESULTS(FAILED SEGMENT DETAILS)",
            usage: [0x84, 0x04, 0xFF] + zero(7) + ff(4) + [0x00, 0x00],
            direction: .fromDevice, states: .notDuringFormat) { d, c throws(Sense) in try d.receiveCopyFailureDetails(&c) },
        .storage(0x04, "FORMAT UNIT", usage: [0x04, 0x3F, 0x00, 0x00, 0x00, 0x00], .toDevice, timeouts: .long) {
            d, c throws(Sense) in try d.formatUnit(&c)
        },
        Row(0x37, "READ DEFECT DATA(10)", usage: [0x37, 0x00, 0x1F, 0x00, 0x00, 0x00, 0x00, 0xFF, 0xFF, 0x00],
            direction: .fromDevice, states: .readyOnly) { d, c throws(Sense) in try d.readDefectData10(&c) },
        Row(0xB7, "READ DEFECT DATA(12)", usage: [0xB7, 0x1F] + ff(8) + [0x00, 0x00],
            direction: .fromDevice, states: .readyOnly) { d, c throws(Sense) in try d.readDefectData12(&c) },
    ]

    /// WRITE SAME(10/16): the UNMAP bit is in the usage data only on a thin unit (LBPWS, LBPWS10); a fully
    /// provisioned unit refuses it with INVALID FIELD IN CDB, as libiscsi's WriteSame*UnmapVPD expects.
    private static func writeSameRows(unmap: Bool) -> [Row] {
        let u: UInt8 = unmap ? 0x08 : 0x00
        return [
            .storage(0x41, "WRITE SAME(10)", usage: [0x41, u, 0xFF, 0xFF, 0xFF, 0xFF, 0x1F, 0xFF, 0xFF, 0x00], .maybeToDevice,
                     async: true) { d, c throws(Sense) in try d.writeSame(&c) },
            .storage(0x93, "WRITE SAME(16)", usage: [0x93, u | 0x01] + ff(12) + [0x1F, 0x00], .maybeToDevice, async: true) {
                d, c throws(Sense) in try d.writeSame(&c)
            },
        ]
    }

    private static let provisioningRows: [Row] = [
        .storage(0x42, "UNMAP", usage: [0x42, 0x00, 0x00, 0x00, 0x00, 0x00, 0x1F, 0xFF, 0xFF, 0x00], .toDevice, async: true) {
            d, c throws(Sense) in try d.unmap(&c)
        },
        .storage(0x9E, serviceAction: 0x12, "GET LBA STATUS", usage: [0x9E, 0x12] + ff(12) + [0x00, 0x00], .fromDevice) {
            d, c throws(Sense) in try d.getLBAStatus(&c)
        },
    ]

    private static func ff(_ n: Int) -> [UInt8] { [UInt8](repeating: 0xFF, count: n) }
    private static func zero(_ n: Int) -> [UInt8] { [UInt8](repeating: 0, count: n) }
}
