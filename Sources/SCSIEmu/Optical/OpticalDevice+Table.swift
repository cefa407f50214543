import Sense

/// The optical drive's opcode table: the MMC rows below plus the shared SPC rows. The usage column is
/// the CDB USAGE DATA (SPC-5 §6.35.3); any other bit set is INVALID FIELD IN CDB. Media commands run only
/// `.readyOnly`, so an empty drive answers NOT READY 3A/01 (tray closed) or 3A/02 (tray open), and a
/// formatting one NOT READY 04/04 with progress, before any handler runs.
extension OpticalDevice {
    /// START STOP UNIT and PREVENT ALLOW MEDIUM REMOVAL are the drive's own rows (LoEj moves the tray;
    /// PREVENT really locks it), so the SPC part is `commonRows`.
    static let table = CommandTable<OpticalDevice>(mmcRows + SPC.commonRows(for: OpticalDevice.self))

    typealias Row = CommandSpec<OpticalDevice>

    /// WRITE(10)/(12): the SBC rows' fields, run by `writeData` (a CD session at once writes from LBA −150).
    static func writeRow(_ opcode: UInt8, _ name: String, _ usage: [UInt8]) -> Row {
        Row(opcode, name, usage: usage, direction: .toDevice, states: .readyOnly, flags: .storageIO, timeouts: .io) {
            d, c throws(Sense) in try d.writeData(&c)
        }
    }

    static let mmcRows: [Row] = [
        Row(0x04, "FORMAT UNIT", usage: [0x04, 0x1F, 0, 0, 0, 0], direction: .toDevice, states: .readyOnly,
            flags: .storageIO, timeouts: .long) { d, c throws(Sense) in try d.formatUnit(&c) },
        Row(0x1B, "START STOP UNIT", usage: [0x1B, 0x01, 0, 0x0F, 0xF3, 0], direction: .none,
            states: .notDuringFormat) { d, c throws(Sense) in try d.startStopUnit(&c) },
        Row(0x1E, "PREVENT ALLOW MEDIUM REMOVAL", usage: [0x1E, 0, 0, 0, 0x03, 0], direction: .none,
            states: .any) { d, c throws(Sense) in try d.preventAllowMediumRemoval(&c) },
        Row(0x23, "READ FORMAT CAPACITIES", usage: [0x23, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF, 0],
            direction: .fromDevice, states: .notDuringFormat) { d, c throws(Sense) in try d.readFormatCapacities(&c) },
        Row(0x25, "READ CAPACITY", usage: [0x25, 0, 0, 0, 0, 0, 0, 0, 0, 0], direction: .fromDevice,
            states: .readyOnly) { d, c throws(Sense) in try d.readRecordedCapacity(&c) },
        .read(10, MediaUsage(byte1: 0x1C, group: 0)),
        writeRow(0x2A, "WRITE(10)", MediaUsage(byte1: 0x18, group: 0).cdb(0x2A, length: 10)),
        .writeAndVerify(10, MediaUsage(byte1: 0x12, group: 0)),
        .verify(10, MediaUsage(byte1: 0x12, group: 0)),
        .synchronizeCache(10, group: 0),
        Row(0x42, "READ SUB-CHANNEL", usage: [0x42, 0x02, 0x40, 0xFF, 0, 0, 0xFF, 0xFF, 0xFF, 0],
            direction: .fromDevice, states: .readyOnly) { d, c throws(Sense) in try d.readSubChannel(&c) },
        Row(0x43, "READ TOC/PMA/ATIP", usage: [0x43, 0x02, 0x0F, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xC0],
            direction: .fromDevice, states: .readyOnly) { d, c throws(Sense) in try d.readTOC(&c) },
        Row(0x46, "GET CONFIGURATION", usage: [0x46, 0x03, 0xFF, 0xFF, 0, 0, 0, 0xFF, 0xFF, 0],
            direction: .fromDevice, states: .any) { d, c throws(Sense) in try d.getConfiguration(&c) },
        Row(0x4A, "GET EVENT STATUS NOTIFICATION", usage: [0x4A, 0x01, 0, 0, 0xFF, 0, 0, 0xFF, 0xFF, 0],
            direction: .fromDevice, states: .any) { d, c throws(Sense) in try d.getEventStatusNotification(&c) },
        Row(0x51, "READ DISC INFORMATION", usage: [0x51, 0x07, 0, 0, 0, 0, 0, 0xFF, 0xFF, 0],
            direction: .fromDevice, states: .readyOnly) { d, c throws(Sense) in try d.readDiscInformation(&c) },
        Row(0x52, "READ TRACK INFORMATION", usage: [0x52, 0x03, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0xFF, 0xFF, 0],
            direction: .fromDevice, states: .readyOnly) { d, c throws(Sense) in try d.readTrackInformation(&c) },
        Row(0x53, "RESERVE TRACK", usage: [0x53, 0x01, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0], direction: .none,
            states: .readyOnly) { d, c throws(Sense) in try d.reserveTrack(&c) },
        Row(0x54, "SEND OPC INFORMATION", usage: [0x54, 0x01, 0x03, 0, 0, 0, 0, 0xFF, 0xFF, 0], direction: .toDevice,
            states: .readyOnly) { d, c throws(Sense) in try d.sendOPCInformation(&c) },
        Row(0x5B, "CLOSE TRACK/SESSION", usage: [0x5B, 0x01, 0x07, 0, 0xFF, 0xFF, 0, 0, 0, 0], direction: .none,
            states: .readyOnly, timeouts: .long) { d, c throws(Sense) in try d.closeTrackSession(&c) },
        Row(0x5D, "SEND CUE SHEET", usage: [0x5D, 0, 0, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0], direction: .toDevice,
            states: .readyOnly) { d, c throws(Sense) in try d.sendCueSheet(&c) },
        Row(0xA1, "BLANK", usage: [0xA1, 0x17, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 0, 0, 0], direction: .none,
            states: .readyOnly, timeouts: .long) { d, c throws(Sense) in try d.blank(&c) },
        .read(12, MediaUsage(byte1: 0x1C, group: 0x80)),
        writeRow(0xAA, "WRITE(12)", MediaUsage(byte1: 0x18, group: 0x80).cdb(0xAA, length: 12)),
        Row(0xAC, "GET PERFORMANCE", usage: [0xAC, 0x1F, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0xFF, 0xFF, 0xFF, 0],
            direction: .fromDevice, states: .readyOnly) { d, c throws(Sense) in try d.getPerformance(&c) },
        Row(0xAD, "READ DISC STRUCTURE", usage: [0xAD, 0x0F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xC0, 0],
            direction: .fromDevice, states: .notDuringFormat) { d, c throws(Sense) in try d.readDVDStructure(&c) },
        Row(0xB6, "SET STREAMING", usage: [0xB6, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0], direction: .toDevice,
            states: .readyOnly) { d, c throws(Sense) in try d.setStreaming(&c) },
        Row(0xB9, "READ CD MSF", usage: [0xB9, 0x1E, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFE, 0x07, 0],
            direction: .fromDevice, states: .readyOnly, flags: .storageIO, timeouts: .io) { d, c throws(Sense) in
            try d.readCDMSF(&c)
        },
        Row(0xBB, "SET CD SPEED", usage: [0xBB, 0x03, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 0, 0, 0], direction: .none,
            states: .notDuringFormat) { d, c throws(Sense) in try d.setCDSpeed(&c) },
        Row(0xBD, "MECHANISM STATUS", usage: [0xBD, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF, 0, 0], direction: .fromDevice,
            states: .any) { d, c throws(Sense) in try d.mechanismStatus(&c) },
        Row(0xBE, "READ CD", usage: [0xBE, 0x1E, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFE, 0x07, 0],
            direction: .fromDevice, states: .readyOnly, flags: .storageIO, timeouts: .io) { d, c throws(Sense) in
            try d.readCD(&c)
        },
    ]
}
