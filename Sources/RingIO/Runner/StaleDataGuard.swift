import SCSIEmu
import Sense

/// Zeroes, before a completion is written, every byte the kernel will copy back to the initiator that
/// the device did not produce: without it the initiator receives whatever an earlier command (possibly
/// another initiator's) left in those data-area blocks.
///
/// What target_core_user.c `tcmu_handle_completion` copies back (the rule this mirrors):
///
/// | completion | copied to the initiator |
/// |---|---|
/// | one-way Data-In, READ_LEN flag, read_len ≠ 0 | read_len bytes (also with CHECK CONDITION) |
/// | CHECK CONDITION otherwise | nothing (sense only) |
/// | any other status, one-way Data-In | the whole buffer |
/// | any other status, bidirectional | the whole bidi Data-In buffer (READ_LEN is ignored) |
///
/// The ring entry does not say whether a one-way buffer is Data-In or Data-Out (LIO takes the direction
/// from the fabric: an initiator may hand TEST UNIT READY or a WRITE a Data-In buffer), so a one-way
/// buffer is treated as Data-In whatever the command's table row says. The cost falls only where the
/// kernel would copy unfilled bytes: a READ that filled its buffer and a TEST UNIT READY without one
/// zero nothing.
enum StaleDataGuard {
    /// Zeroes the unfilled part of `command`'s Data-In side that the kernel will copy back.
    /// - Parameters:
    ///   - produced: the Data-In bytes the device wrote (the READ_LEN the completion reports).
    ///   - readLength: the kernel honours READ_LEN (mailbox capability).
    @inline(__always)
    static func scrub(_ command: SCSICommand, produced: Int, status: SCSIStatus, readLength: Bool) {
        // The buffer the kernel copies back, whatever the row let the handler see (`dataIn` is empty on
        // a row without Data-In, but the kernel copies a one-way buffer back all the same).
        let bidirectional = command.bidiIn.count > 0
        let buffer = bidirectional ? command.bidiIn : command.data
        guard buffer.count > produced else { return }
        if readLength, !bidirectional, produced > 0 { return }  // only the produced bytes go back
        if status == .checkCondition { return }  // sense only, no data
        buffer.zero(produced..<buffer.count)
    }
}
