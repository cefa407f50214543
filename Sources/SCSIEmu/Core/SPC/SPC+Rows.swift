import Sense

// The table rows of the shared commands, one builder per command. A device kind's table is its own rows
// plus these: `CommandTable(SPC.rows(for: Self.self) + myRows)`. Kinds whose START STOP UNIT or PREVENT
// ALLOW MEDIUM REMOVAL differ from a disk's (MMC: LoEj ejects) use `SPC.commonRows(for:)` and add their own.
//
// Usage masks are the CDB USAGE DATA of SPC-5 §6.35.3: reserved and obsolete bits are 0, the CONTROL byte
// is 00h (NACA and LINK not supported).

extension SPC {
    /// The rows every kind shares whatever its medium: INQUIRY, TEST UNIT READY, REQUEST SENSE, MODE SENSE
    /// and MODE SELECT (6 and 10), REPORT SUPPORTED OPERATION CODES.
    public static func commonRows<D: SPCDevice>(for _: D.Type) -> [CommandSpec<D>] {
        [
            .testUnitReady(), .requestSense(), .inquiry(),
            .modeSelect6(), .modeSense6(), .modeSelect10(), .modeSense10(),
            .reportSupportedOperationCodes(),
        ]
    }

    /// `commonRows` plus the disk forms of START STOP UNIT and PREVENT ALLOW MEDIUM REMOVAL.
    public static func rows<D: SPCDevice>(
        for type: D.Type, flush: (@Sendable (D) throws(Sense) -> Void)? = nil
    ) -> [CommandSpec<D>] {
        commonRows(for: type) + [.startStopUnit(flush: flush), .preventAllowMediumRemoval()]
    }
}

extension CommandSpec where Device: SPCDevice {
    /// TEST UNIT READY (SPC-5 TEST UNIT READY command): GOOD when ready; any other condition answers its NOT READY sense
    /// through the `states` column.
    public static func testUnitReady() -> Self {
        Self(0x00, "TEST UNIT READY", usage: [0x00, 0x00, 0x00, 0x00, 0x00, 0x00],
             direction: .none, states: .readyOnly) { d, c throws(Sense) in try SPC.testUnitReady(d, &c) }
    }

    /// REQUEST SENSE (SPC-5 §6.39): byte 1 DESC, byte 4 ALLOCATION LENGTH.
    public static func requestSense() -> Self {
        Self(0x03, "REQUEST SENSE", usage: [0x03, 0x01, 0x00, 0x00, 0xFF, 0x00],
             direction: .fromDevice, states: .any, flags: .ignoresUnitAttention) { d, c throws(Sense) in
            try SPC.requestSense(d, &c)
        }
    }

    /// INQUIRY (SPC-5 §6.7): byte 1 EVPD (CMDDT obsolete), byte 2 PAGE CODE, bytes 3–4 ALLOCATION LENGTH.
    public static func inquiry() -> Self {
        Self(0x12, "INQUIRY", usage: [0x12, 0x01, 0xFF, 0xFF, 0xFF, 0x00],
             direction: .fromDevice, states: .any, flags: .ignoresUnitAttention) { d, c throws(Sense) in
            try SPC.inquiry(d, &c)
        }
    }

    /// MODE SELECT(6): byte 1 PF, RTD, SP; byte 4 PARAMETER LIST LENGTH.
    public static func modeSelect6() -> Self {
        Self(0x15, "MODE SELECT(6)", usage: [0x15, 0x13, 0x00, 0x00, 0xFF, 0x00],
             direction: .toDevice, states: .notDuringFormat) { d, c throws(Sense) in
            try SPC.modeSelect6(d, &c)
        }
    }

    /// MODE SENSE(6): byte 1 DBD, byte 2 PC and PAGE CODE, byte 3 SUBPAGE CODE, byte 4 ALLOCATION LENGTH.
    public static func modeSense6() -> Self {
        Self(0x1A, "MODE SENSE(6)", usage: [0x1A, 0x08, 0xFF, 0xFF, 0xFF, 0x00],
             direction: .fromDevice, states: .notDuringFormat) { d, c throws(Sense) in
            try SPC.modeSense6(d, &c)
        }
    }

    /// MODE SELECT(10): byte 1 PF, RTD, SP; bytes 7–8 PARAMETER LIST LENGTH.
    public static func modeSelect10() -> Self {
        Self(0x55, "MODE SELECT(10)", usage: [0x55, 0x13, 0, 0, 0, 0, 0, 0xFF, 0xFF, 0x00],
             direction: .toDevice, states: .notDuringFormat) { d, c throws(Sense) in
            try SPC.modeSelect10(d, &c)
        }
    }

    /// MODE SENSE(10): byte 1 LLBAA and DBD, byte 2 PC and PAGE CODE, byte 3 SUBPAGE CODE, bytes 7–8
    /// ALLOCATION LENGTH.
    public static func modeSense10() -> Self {
        Self(0x5A, "MODE SENSE(10)", usage: [0x5A, 0x18, 0xFF, 0xFF, 0, 0, 0, 0xFF, 0xFF, 0x00],
             direction: .fromDevice, states: .notDuringFormat) { d, c throws(Sense) in
            try SPC.modeSense10(d, &c)
        }
    }

    /// REPORT SUPPORTED OPERATION CODES (MAINTENANCE IN A3h/0Ch, SPC-5 §6.35): byte 2 RCTD and
    /// REPORTING OPTIONS, byte 3 REQUESTED OPERATION CODE, bytes 4–5 REQUESTED SERVICE ACTION, bytes 6–9
    /// ALLOCATION LENGTH.
    public static func reportSupportedOperationCodes() -> Self {
        Self(0xA3, serviceAction: 0x0C, "REPORT SUPPORTED OPERATION CODES",
             usage: [0xA3, 0x0C, 0x87, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x00],
             direction: .fromDevice, states: .notDuringFormat) { d, c throws(Sense) in
            try SPC.reportSupportedOperationCodes(d, &c)
        }
    }

    /// START STOP UNIT for a disk (SBC-4): byte 1 IMMED, byte 4 NO_FLUSH, LOEJ, START. The POWER CONDITION
    /// and POWER CONDITION MODIFIER fields are not in the mask: power conditions are not implemented, so only
    /// 0h (START_VALID) is accepted and any other value is INVALID FIELD IN CDB at byte 4 (or 3).
    /// `flush` runs before the unit stops unless NO_FLUSH is set.
    public static func startStopUnit(flush: (@Sendable (Device) throws(Sense) -> Void)? = nil) -> Self {
        Self(0x1B, "START STOP UNIT", usage: [0x1B, 0x01, 0x00, 0x00, 0x07, 0x00],
             direction: .none, states: .notDuringFormat) { d, c throws(Sense) in
            try SPC.startStopUnit(d, &c, flush: flush)
        }
    }

    /// PREVENT ALLOW MEDIUM REMOVAL (SPC-5 §6.15): byte 4 PREVENT (bit 1 of the field is obsolete, so only
    /// 00b and 01b are accepted).
    public static func preventAllowMediumRemoval() -> Self {
        Self(0x1E, "PREVENT ALLOW MEDIUM REMOVAL", usage: [0x1E, 0x00, 0x00, 0x00, 0x01, 0x00],
             direction: .none, states: .notDuringFormat) { d, c throws(Sense) in
            try SPC.preventAllowMediumRemoval(d, &c)
        }
    }
}
