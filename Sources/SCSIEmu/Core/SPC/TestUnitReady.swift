import Sense

// TEST UNIT READY (SPC-5 TEST UNIT READY command)
//
// | 0 | OPERATION CODE (00h) |
// | 1–4 | reserved |
// | 5 | CONTROL |

extension SPC {
    /// GOOD. The row runs only in `.ready`; in any other condition the dispatcher answers the condition's
    /// NOT READY sense (04/02 stopped, 04/04 formatting with progress, 3A/xx no medium…).
    public static func testUnitReady<D: SPCDevice>(_ d: D, _ cmd: inout SCSICommand) throws(Sense) -> CommandOutcome {
        .good
    }
}
