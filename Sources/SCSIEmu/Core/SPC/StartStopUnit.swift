import Sense

// START STOP UNIT, disk form (SBC-4 START STOP UNIT command)
//
// | 0 | OPERATION CODE (1Bh) |
// | 1 | reserved (7–1) | IMMED (0) |
// | 2 | reserved |
// | 3 | reserved (7–4) | POWER CONDITION MODIFIER (3–0) |
// | 4 | POWER CONDITION (7–4) | reserved (3) | NO_FLUSH (2) | LOEJ (1) | START (0) |
// | 5 | CONTROL |

extension SPC {
    /// START = 1 makes a stopped unit ready; START = 0 flushes the write cache (unless NO_FLUSH) and stops
    /// it, after which media commands answer NOT READY 04/02 until the next START. IMMED only changes
    /// when status is returned, and the work here is immediate either way. LOEJ is accepted and ignored: a
    /// disk's medium is not removable. POWER CONDITION is outside the usage mask (only 0h, START_VALID).
    public static func startStopUnit<D: SPCDevice>(
        _ d: D, _ cmd: inout SCSICommand, flush: (@Sendable (D) throws(Sense) -> Void)?
    ) throws(Sense) -> CommandOutcome {
        let start = cmd.cdb.bit(4, 0)
        let noFlush = cmd.cdb.bit(4, 2)
        if start {
            if d.unit.condition == .stopped { d.unit.setCondition(.ready) }
        } else {
            if !noFlush, let flush { try flush(d) }
            d.unit.setCondition(.stopped)
        }
        return .good
    }
}
