import Foundation
import Sense

/// What the ring does with a command after the dispatcher ran it (set by a fault rule, or by a zoned disk
/// holding a write that lies ahead of its zone's write pointer after a restart).
public enum CompletionDeferral: Sendable, Hashable {
    /// Complete the result this many milliseconds from now, without holding up other commands.
    case delay(milliseconds: UInt32)
    /// Do not complete: hold the command until a TMR releases it (`release`) or rule `rule` is cleared,
    /// when it is run again.
    case hold(rule: Int, release: HangRelease)
    /// Do not complete yet: a write that lies ahead of its zone's write pointer in the window after a
    /// restart (`ZoneWritePointers.holdAhead`). The ring holds it (as `hold`) and runs it again once the
    /// pointer has reached `lba` (`EmulatedDevice.mayRunHeldWrite`), from the thread whose write moved
    /// the pointer; at `deadline` (the window's end) it runs again and gets the pointer's own answer
    /// (UNALIGNED WRITE COMMAND when still ahead); an ABORT TASK naming it or a reset ends it TASK ABORTED.
    /// (`ContinuousInstant`, not `ContinuousClock.Instant`: a command must keep a fixed layout.)
    case awaitWritePointer(lba: UInt64, blocks: UInt64, deadline: ContinuousInstant)
}

extension FaultInjector {
    /// Carries out a fired rule's action.
    func apply(
        _ action: FaultAction, rule id: Int, information: UInt64?, extent: CommandExtent, _ command: inout SCSICommand,
        _ execute: (inout SCSICommand) -> CommandResult
    ) -> CommandResult {
        switch action {
        case let .sense(key, code):
            if key == .mediumError, extent.isRead, let information {
                return mediumError(at: information, key: key, code: code, extent: extent, &command, execute)
            }
            return .checkCondition(Sense(key, code, information: information))
        case let .recovered(code):
            let r = execute(&command)
            guard r.status == .good else { return r }
            return .checkCondition(Sense(.recoveredError, code, information: information), dataInLength: r.dataInLength)
        case let .status(status):
            return CommandResult(status: status)
        case let .delay(ms):
            command.deferral = .delay(milliseconds: ms)
            return execute(&command)
        case let .hang(release):
            command.deferral = .hold(rule: id, release: release)
            return CommandResult(status: .taskAborted)
        case let .short(bytes):
            var r = execute(&command)
            if r.status == .good { r.dataInLength = min(r.dataInLength, Int(bytes)) }
            return r
        case let .unitAttention(code):
            return .checkCondition(Sense(.unitAttention, code))
        case .badBlocks:
            return execute(&command)  // never installed as a rule
        }
    }

    /// A read failing at `lba`: the blocks before it are transferred (SBC-4 §4.15: INFORMATION is the
    /// first LBA in error; the kernel's sd counts the bytes before it as done).
    func mediumError(
        at lba: UInt64, key: SenseKey = .mediumError, code: AdditionalSenseCode = .unrecoveredReadError,
        extent: CommandExtent, _ command: inout SCSICommand, _ execute: (inout SCSICommand) -> CommandResult
    ) -> CommandResult {
        var good = 0
        if extent.isRead, let lbas = extent.lbas, lba > lbas.lowerBound {
            let r = execute(&command)
            if r.status == .good {
                let perBlock = command.dataIn.count / max(1, lbas.count)
                good = min(r.dataInLength, Int(lba - lbas.lowerBound) * perBlock)
            }
        }
        return .checkCondition(Sense(key, code, information: lba), dataInLength: good)
    }

    func describe(_ cdb: CDB, _ extent: CommandExtent) -> String {
        var s = "cmd 0x" + hex(UInt64(cdb.opcode), width: 2)
        if let lbas = extent.lbas { s += " lba \(lbas.lowerBound)+\(lbas.count)" }
        return s
    }

    func outcome(_ r: CommandResult, _ command: SCSICommand) -> String {
        switch command.deferral {
        case .delay(let ms)?: return "\(r.status) after \(ms) ms"
        case .hold?: return "held (no response)"
        case .awaitWritePointer?: return "held until the write pointer reaches it"
        case nil: break
        }
        var s = "\(r.status)"
        if let sense = r.sense { s += " \(sense)" }
        if r.dataInLength > 0 || command.dataIn.count > 0 { s += " data-in \(r.dataInLength)" }
        return s
    }
}

extension FaultInjector {
    /// Applies a config string's `emud_badblocks=PATH` and `emud_faults=PATH` before the first command,
    /// so a device starts already broken. The error names the file and the line at fault.
    public func configure(from config: HandlerConfigString) throws(FaultRuleError) {
        if let path = config.badBlocksFile { try useSidecar(path) }
        guard let path = config.faultsFile else { return }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw FaultRuleError(token: path, reason: "cannot read the fault rules file")
        }
        do throws(FaultRuleError) {
            try load(rulesText: String(decoding: data, as: UTF8.self))
        } catch {
            throw FaultRuleError(token: error.token, reason: "\(path) \(error.reason)")
        }
    }
}
