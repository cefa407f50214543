import Dispatch
import Logging
import SCSIEmu
import Sense
import Synchronization
import SystemCalls

/// Commands a fault rule told the runner not to complete yet (`CompletionDeferral`): delayed ones, whose
/// completion a timer writes later, and held ones (no response), which wait for a TMR or for their rule
/// to be cleared. Other commands and other devices run on meanwhile: the kernel completes out of order.
final class DeferredCompletions: Sendable {
    struct Held: Sendable {
        let command: RingCommand
        let rule: Int
        let release: HangRelease
    }

    let faults: FaultInjector?
    /// Taken by the ring thread (TMRs, cleared rules) and by I/O workers (a rule holds their command).
    private let held = PthreadMutex<[UInt16: Held]>([:])
    private let heldCount = Atomic<Int>(0)
    /// Delayed completions whose timer has not fired yet (`stop` waits for them: the ring stays mapped).
    let pendingDelays = Atomic<Int>(0)

    init(device: any EmulatedDevice) {
        faults = device.faults
    }

    var hasHeld: Bool { heldCount.load(ordering: .relaxed) > 0 }

    func hold(_ h: Held) {
        held.withLock { m in
            m[h.command.id] = h
            heldCount.store(m.count, ordering: .relaxed)
        }
    }

    /// The held commands a TMR releases. A reset-class TMR clears the task set (SAM-5 §7.3 ABORT TASK
    /// SET, §7.5 CLEAR TASK SET, §7.7 LOGICAL UNIT RESET): every held command, named or not. The kernel leaves out a command TCMU's cmd_time_out already
    /// expired (an ignored abort waits for that timer), whose ring slot is still ours to complete.
    /// ABORT TASK releases the commands it names, unless their rule ignores aborts.
    func release(by type: TCMUABI.TMRType, ids: [UInt16]) -> [Held] {
        guard hasHeld else { return [] }
        let reset = type == .lunReset || type == .targetWarmReset || type == .targetColdReset
            || type == .lunResetPersistentReservation || type == .clearTaskSet || type == .abortTaskSet
        return take { h in reset || (ids.contains(h.command.id) && h.release == .onAbort) }
    }

    /// The held commands whose rule is no longer installed.
    func releaseCleared() -> [Held] {
        guard hasHeld, let faults else { return [] }
        return take { !faults.isInstalled($0.rule) }
    }

    /// Every held command (the runner stops).
    func releaseAll() -> [Held] { take { _ in true } }

    private func take(_ which: (Held) -> Bool) -> [Held] {
        held.withLock { m in
            let out = m.values.filter(which)
            for h in out { m[h.command.id] = nil }
            heldCount.store(m.count, ordering: .relaxed)
            return out
        }
    }
}

extension RingServiceLoop {
    /// Honours a fault rule's deferral of `completion`. Returns the completion to write now, or nil when
    /// it was delayed or held.
    func deferring(_ completion: RingCompletion, of command: RingCommand, _ deferral: CompletionDeferral?) -> RingCompletion? {
        switch deferral {
        case nil:
            return completion
        case let .delay(ms)?:
            guard ring.capabilities.contains(.outOfOrderCompletion) else {
                // In-order completion: the ring cannot complete around it, so the whole ring waits.
                Syscalls.sleep(milliseconds: Int(ms))
                return completion
            }
            deferred.pendingDelays.add(1, ordering: .relaxed)
            DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(Int(ms))) { [self] in
                ring.complete([(completion, command.slot)])
                if ring.publish() { doorbell.notifyKernel() }
                deferred.pendingDelays.subtract(1, ordering: .releasing)
            }
            return nil
        case let .hold(rule, release)?:
            logger.info("cmd \(command.id) held by fault \(rule): no response until \(release == .onAbort ? "an abort or reset" : "a LUN reset") or 'fault clear \(rule)'")
            deferred.hold(DeferredCompletions.Held(command: command, rule: rule, release: release))
            // An event loop sleeps without a timeout: it must look every 20 ms whether the rule was cleared.
            if case .loop(let loop, _)? = serving.withLock({ $0 }) { loop.noteHeld() }
            return nil
        }
    }

    /// Completions for held commands a TMR names (TASK ABORTED).
    func releaseHeld(by type: TCMUABI.TMRType, ids: [UInt16]) -> [(completion: RingCompletion, slot: UInt32)] {
        deferred.release(by: type, ids: ids).map { h in
            logger.info("cmd \(h.command.id) held by fault \(h.rule) released by TMR \(type): TASK ABORTED")
            return (aborted(h.command.scsi, id: h.command.id), h.command.slot)
        }
    }

    /// Runs again the held commands whose rule was cleared, and completes them.
    func releaseClearedHolds() {
        let released = deferred.releaseCleared()
        guard !released.isEmpty else { return }
        var completions: [(completion: RingCompletion, slot: UInt32)] = []
        for h in released {
            logger.info("cmd \(h.command.id) held by fault \(h.rule) released: the rule was cleared")
            var command = h.command
            if let c = execute(&command) { completions.append((c, command.slot)) }
        }
        ring.complete(completions)
    }

    /// Waits for delayed completions to be written; drops held ones (the kernel's ring reset or its
    /// cmd_time_out answers them).
    func settleDeferred() {
        while deferred.pendingDelays.load(ordering: .acquiring) > 0 { Syscalls.sleep(milliseconds: 5) }
        for h in deferred.releaseAll() { logger.warning("cmd \(h.command.id) still held by fault \(h.rule) at stop") }
    }
}
