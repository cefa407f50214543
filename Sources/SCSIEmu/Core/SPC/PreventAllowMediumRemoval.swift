import Sense

// PREVENT ALLOW MEDIUM REMOVAL (SPC-5 §6.15)
//
// | 0 | OPERATION CODE (1Eh) |
// | 1–3 | reserved |
// | 4 | reserved (7–2) | PREVENT (1–0): 00b allowed, 01b prevented, 1xb obsolete |
// | 5 | CONTROL |

extension SPC {
    /// Records the PREVENT state. A non-removable disk has nothing to lock, so it only remembers the value
    /// (the optical drive's own row makes it refuse an eject).
    public static func preventAllowMediumRemoval<D: SPCDevice>(
        _ d: D, _ cmd: inout SCSICommand
    ) throws(Sense) -> CommandOutcome {
        let prevent = cmd.cdb[4] & 0x03
        d.unit.withState { $0.preventRemoval = prevent }
        return .good
    }
}
