/// The TCMU shared-memory ABI, version 2, as `<linux/target_core_user.h>` lays it out
/// (checked against the header itself by `Tests/RingIOTests/ABITests.swift`).
///
/// All offsets are bytes; `cdb_off` and `iov_base` in entries are offsets from the start of the map.
public enum TCMUABI {
    /// `TCMU_MAILBOX_VERSION`: the only version we speak.
    public static let mailboxVersion: UInt16 = 2
    /// `CMDR_OFF`: the command ring starts right after the 128-byte mailbox.
    public static let commandRingOffset = 128
    /// `TCMU_OP_ALIGN_SIZE`: entry lengths are multiples of 8.
    public static let entryAlignment = 8
    /// `TCMU_SENSE_BUFFERSIZE`.
    public static let senseBufferSize = 96

    // MARK: - struct tcmu_mailbox (128 B; cmd_tail aligned to 64)
    //
    //  0          2        4           8            12          16 … 63   64          68 … 127
    //  | version  | flags  | cmdr_off  | cmdr_size  | cmd_head  | (pad)   | cmd_tail  | (pad)   |
    //    u16        u16      u32         u32          u32 kernel            u32 user

    public enum MailboxField {
        public static let version = 0
        public static let flags = 2
        public static let commandRingOffset = 4
        public static let commandRingSize = 8
        public static let commandHead = 12
        public static let commandTail = 64
        public static let size = 128
    }

    // MARK: - struct tcmu_cmd_entry (112 B + iovecs + CDB)
    //
    //  0        4        6       7       8                          48
    //  | len_op | cmd_id | kflags| uflags| req / rsp union …          | iov[] (16 B each: base u64, len u64)
    //  req: iov_cnt u32 @8 · iov_bidi_cnt u32 @12 · iov_dif_cnt u32 @16 · hole @20 · cdb_off u64 @24 ·
    //       pad @32, @40 · iov[] @48
    //  rsp: scsi_status u8 @8 · pad @9..11 · read_len u32 @12 · sense_buffer[96] @16
    //  len_op: bits 2..0 opcode, the rest the entry length (a multiple of 8).

    public enum EntryField {
        public static let lengthAndOpcode = 0
        public static let commandID = 4
        public static let kernelFlags = 6
        public static let userFlags = 7
        public static let iovCount = 8
        public static let iovBidiCount = 12
        public static let iovDifCount = 16
        public static let cdbOffset = 24
        public static let iovecs = 48
        public static let iovecSize = 16
        public static let scsiStatus = 8
        public static let readLength = 12
        public static let senseBuffer = 16
        /// `sizeof(struct tcmu_cmd_entry)`: the smallest CMD entry (room for the response).
        public static let size = 112
        /// The entry header (`struct tcmu_cmd_entry_hdr`).
        public static let headerSize = 8
    }

    // MARK: - struct tcmu_tmr_entry (32 B + cmd_ids, rounded to 8)
    //
    //  0 hdr (8) | 8 tmr_type u8 | 9 pad | 12 cmd_cnt u32 | 16 pad u64 | 24 pad u64 | 32 cmd_ids[] u16

    public enum TMREntryField {
        public static let type = 8
        public static let commandCount = 12
        public static let commandIDs = 32
        /// `sizeof(struct tcmu_tmr_entry)` without the id list.
        public static let size = 32
    }

    /// `TCMU_OP_*`: bits 2..0 of `len_op`.
    public enum Opcode: UInt32, Sendable {
        case pad = 0
        case command = 1
        case taskManagement = 2
        /// `TCMU_OP_MASK`.
        public static let mask: UInt32 = 7
    }

    /// `TCMU_MAILBOX_FLAG_CAP_*`: what the kernel supports (mailbox `flags`).
    public struct Capabilities: OptionSet, Sendable, Hashable {
        public let rawValue: UInt16
        public init(rawValue: UInt16) { self.rawValue = rawValue }
        /// Completions may be written out of order (into the slot at `cmd_tail`, with their own id).
        public static let outOfOrderCompletion = Capabilities(rawValue: 1 << 0)
        /// `read_len` is honoured for Data-In commands.
        public static let readLength = Capabilities(rawValue: 1 << 1)
        /// TMR entries are sent (if configfs `tmr_notification` is 1).
        public static let taskManagement = Capabilities(rawValue: 1 << 2)
        /// KEEP_BUF completions are supported.
        public static let keepBuffer = Capabilities(rawValue: 1 << 3)
    }

    /// `TCMU_UFLAG_*`: the entry header's `uflags`, set by userspace.
    public struct UserFlags: OptionSet, Sendable, Hashable {
        public let rawValue: UInt8
        public init(rawValue: UInt8) { self.rawValue = rawValue }
        /// The kernel completes the command with CHECK CONDITION and its own sense.
        public static let unknownOperation = UserFlags(rawValue: 0x1)
        /// `read_len` holds the Data-In bytes actually produced.
        public static let readLength = UserFlags(rawValue: 0x2)
        /// Free the slot but keep the data buffer until `action/free_kept_buf`.
        public static let keepBuffer = UserFlags(rawValue: 0x4)
    }

    /// `enum tcmu_tmr_type`.
    public enum TMRType: UInt8, Sendable, CaseIterable {
        case unknown = 0
        case abortTask = 1
        case abortTaskSet = 2
        case clearACA = 3
        case clearTaskSet = 4
        case lunReset = 5
        case targetWarmReset = 6
        case targetColdReset = 7
        case lunResetPersistentReservation = 128
    }

    // MARK: - Entry sizes (target_core_user.c: tcmu_cmd_get_base_cmd_size / tcmu_cmd_get_cmd_size)

    /// The length of a CMD entry with `iovecs` iovecs and a `cdbLength`-byte CDB:
    /// max(48 + 16·iovecs, 112) + round_up(cdbLength, 8).
    public static func commandEntryLength(iovecs: Int, cdbLength: Int) -> Int {
        baseCommandLength(iovecs: iovecs) + roundUp(cdbLength)
    }

    /// Where the CDB starts inside a CMD entry with `iovecs` iovecs: max(48 + 16·iovecs, 112).
    public static func baseCommandLength(iovecs: Int) -> Int {
        max(EntryField.iovecs + EntryField.iovecSize * iovecs, EntryField.size)
    }

    /// The length of a TMR entry listing `commands` ids: round_up(32 + 2·commands, 8).
    public static func taskManagementEntryLength(commands: Int) -> Int {
        roundUp(TMREntryField.size + 2 * commands)
    }

    /// `n` rounded up to the entry alignment (8).
    public static func roundUp(_ n: Int) -> Int { (n + entryAlignment - 1) & ~(entryAlignment - 1) }

    /// Packs an opcode and a length into `len_op`.
    public static func lengthAndOpcode(_ op: Opcode, length: Int) -> UInt32 {
        UInt32(truncatingIfNeeded: length) & ~Opcode.mask | op.rawValue
    }
}
