import Sense

// REQUEST SENSE (SPC-5 §6.39)
//
// | 0 | OPERATION CODE (03h) |
// | 1 | reserved (7–1) | DESC (0) |
// | 2–3 | reserved |
// | 4 | ALLOCATION LENGTH |
// | 5 | CONTROL |

extension SPC {
    /// Returns sense data as parameter data with GOOD status, in the format DESC asks for (0 fixed, 1
    /// descriptor; SPC-5 §6.39.1), whatever the Control page's D_SENSE says. What it reports, in order:
    /// a pending unit attention (which this clears), the unit's NOT READY condition (with the progress
    /// indication while formatting or sanitizing), else NO SENSE / NO ADDITIONAL SENSE INFORMATION.
    /// Truncated to the allocation length; the Data-In length is what was produced.
    public static func requestSense<D: SPCDevice>(_ d: D, _ cmd: inout SCSICommand) throws(Sense) -> CommandOutcome {
        let format: SenseFormat = cmd.cdb.bit(1, 0) ? .descriptor : .fixed
        let allocation = Int(cmd.cdb[4])
        let sense: Sense
        if let ua = d.unit.takeUnitAttention() {
            sense = ua
        } else {
            let condition = d.unit.condition
            sense = condition == .ready ? Sense(.noSense, .noAdditionalSenseInformation) : condition.notReadySense
        }
        return cmd.respond(sense.encoded(as: format), allocationLength: allocation)
    }
}
