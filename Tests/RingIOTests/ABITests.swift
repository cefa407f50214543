import CTCMU
import RingIO
import Testing

/// Our ABI constants against the layout the C compiler gives the kernel's own <linux/target_core_user.h>.
@Suite struct ABITests {
    @Test func mailboxMatchesKernelHeader() {
        typealias F = TCMUABI.MailboxField
        #expect(ctcmu_mailbox_size() == F.size)
        let ours = [F.version, F.flags, F.commandRingOffset, F.commandRingSize, F.commandHead, F.commandTail]
        for (i, off) in ours.enumerated() { #expect(ctcmu_mailbox_offset(Int32(i)) == off, "field \(i)") }
        #expect(TCMUABI.mailboxVersion == UInt16(TCMU_MAILBOX_VERSION))
    }

    @Test func commandEntryMatchesKernelHeader() {
        typealias F = TCMUABI.EntryField
        #expect(ctcmu_entry_size() == F.size)
        let ours = [
            F.lengthAndOpcode, F.commandID, F.kernelFlags, F.userFlags, F.iovCount, F.iovBidiCount, F.iovDifCount,
            F.cdbOffset, F.iovecs, F.scsiStatus, F.readLength, F.senseBuffer,
        ]
        for (i, off) in ours.enumerated() { #expect(ctcmu_entry_offset(Int32(i)) == off, "field \(i)") }
        #expect(MemoryLayout<iovec>.size == F.iovecSize)
        #expect(TCMUABI.senseBufferSize == Int(TCMU_SENSE_BUFFERSIZE))
    }

    @Test func tmrEntryMatchesKernelHeader() {
        typealias F = TCMUABI.TMREntryField
        #expect(ctcmu_tmr_entry_size() == F.size)
        for (i, off) in [F.type, F.commandCount, F.commandIDs].enumerated() {
            #expect(ctcmu_tmr_entry_offset(Int32(i)) == off, "field \(i)")
        }
    }

    @Test func flagsOpcodesAndTypesMatchKernelHeader() {
        #expect(TCMUABI.Capabilities.outOfOrderCompletion.rawValue == UInt16(TCMU_MAILBOX_FLAG_CAP_OOOC))
        #expect(TCMUABI.Capabilities.readLength.rawValue == UInt16(TCMU_MAILBOX_FLAG_CAP_READ_LEN))
        #expect(TCMUABI.Capabilities.taskManagement.rawValue == UInt16(TCMU_MAILBOX_FLAG_CAP_TMR))
        #expect(TCMUABI.Capabilities.keepBuffer.rawValue == UInt16(TCMU_MAILBOX_FLAG_CAP_KEEP_BUF))
        #expect(TCMUABI.UserFlags.unknownOperation.rawValue == UInt8(TCMU_UFLAG_UNKNOWN_OP))
        #expect(TCMUABI.UserFlags.readLength.rawValue == UInt8(TCMU_UFLAG_READ_LEN))
        #expect(TCMUABI.UserFlags.keepBuffer.rawValue == UInt8(TCMU_UFLAG_KEEP_BUF))
        #expect(TCMUABI.Opcode.pad.rawValue == TCMU_OP_PAD.rawValue)
        #expect(TCMUABI.Opcode.command.rawValue == TCMU_OP_CMD.rawValue)
        #expect(TCMUABI.Opcode.taskManagement.rawValue == TCMU_OP_TMR.rawValue)
        #expect(TCMUABI.Opcode.mask == UInt32(TCMU_OP_MASK))
        #expect(TCMUABI.TMRType.abortTask.rawValue == UInt8(TCMU_TMR_ABORT_TASK))
        #expect(TCMUABI.TMRType.lunReset.rawValue == UInt8(TCMU_TMR_LUN_RESET))
        #expect(TCMUABI.TMRType.lunResetPersistentReservation.rawValue == UInt8(TCMU_TMR_LUN_RESET_PRO))
        #expect(TCMUABI.TMRType.targetColdReset.rawValue == UInt8(TCMU_TMR_TARGET_COLD_RESET))
    }

    @Test func entryLengthRule() {
        // max(48 + 16·iovs, 112) + round_up(cdb_len, 8)
        #expect(TCMUABI.commandEntryLength(iovecs: 0, cdbLength: 6) == 120)
        #expect(TCMUABI.commandEntryLength(iovecs: 4, cdbLength: 10) == 128)
        #expect(TCMUABI.commandEntryLength(iovecs: 5, cdbLength: 16) == 144)
        #expect(TCMUABI.taskManagementEntryLength(commands: 3) == 40)
    }
}
