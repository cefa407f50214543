import SCSIEmu
import Sense

/// Makes sure, before a completion is written, that every byte the kernel will copy back to the
/// initiator was produced by the device or zeroed: without it the initiator receives whatever an earlier
/// command (possibly another initiator's) left in those data-area blocks.
///
/// What target_core_user.c `tcmu_handle_completion` copies back (the rule this mirrors):
///
/// | completion | copied to the initiator |
/// |---|---|
/// | one-way Data-In, READ_LEN flag, read_len ≠ 0 | read_len bytes (also with CHECK CONDITION) |
/// | one-way Data-In, read_len 0 or no READ_LEN flag, CHECK CONDITION | nothing (sense only) |
/// | one-way Data-In, read_len 0 or no READ_LEN flag, any other status | the whole buffer |
/// | one-way Data-Out (DMA_TO_DEVICE) | nothing, whatever READ_LEN says |
/// | bidirectional, not CHECK CONDITION | the whole bidi Data-In buffer (READ_LEN is ignored) |
///
/// The ring entry does not say whether a one-way buffer is Data-In or Data-Out (LIO takes the direction
/// from the fabric: an initiator may hand TEST UNIT READY or a WRITE a Data-In buffer), so a one-way
/// buffer is treated as Data-In whatever the command's table row says. What that costs is set by the
/// READ_LEN rule: a read_len of 0 counts as "not reported", so a command that produced nothing cannot
/// say so, and without more the kernel copies the whole buffer — after a WRITE, the whole Data-Out if the
/// buffer was in fact Data-In. Rather than zero it all (a `memset` of 1 MiB after every 1 MiB WRITE),
/// the completion reports one byte, and that byte is zeroed: the kernel copies that one zero byte of a
/// Data-In buffer (and reports the rest as residual) and nothing of a Data-Out buffer, whose READ_LEN it
/// ignores. Without the READ_LEN capability the unfilled part is zeroed in full.
enum StaleDataGuard {
    /// Zeroes what the kernel would copy back of `command`'s Data-In side that the device did not fill.
    /// - Parameters:
    ///   - produced: the Data-In bytes the device wrote.
    ///   - readLength: the kernel honours READ_LEN (mailbox capability).
    /// - Returns: the READ_LEN to report in the completion (`produced`, or 1 for a one-way buffer of
    ///   which nothing was produced, when the kernel honours READ_LEN).
    @inline(__always)
    static func scrub(_ command: SCSICommand, produced: Int, status: SCSIStatus, readLength: Bool) -> Int {
        // The buffer the kernel copies back, whatever the row let the handler see (`dataIn` is empty on
        // a row without Data-In, but the kernel copies a one-way buffer back all the same).
        let bidirectional = command.bidiIn.count > 0
        let buffer = bidirectional ? command.bidiIn : command.data
        guard buffer.count > produced else { return produced }
        if status == .checkCondition { return produced }  // sense, and only the produced bytes with READ_LEN
        if readLength, !bidirectional {
            if produced > 0 { return produced }  // only the produced bytes go back
            buffer.zero(0..<1)
            return 1
        }
        buffer.zero(produced..<buffer.count)
        return produced
    }
}
