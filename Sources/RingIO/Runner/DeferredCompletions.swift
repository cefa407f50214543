import Dispatch
import Logging
import SCSIEmu
import Sense
import Synchronization
import SystemCalls

/// How many writes, and how many bytes of Data-Out, a device's reorder buffer holds at once (writes
/// waiting for their zone's write pointer after a restart). A waiting write keeps its ring slot and its
/// data-area blocks; past the bound the kernel could no longer queue the writes the waiting ones wait
/// for, so a write that does not fit is answered TASK SET FULL (sd retries it later and lowers the
/// device's queue depth) and the log says so.
public struct HeldWriteBound: Sendable, Hashable {
    public var writes: Int
    public var bytes: Int

    public init(writes: Int, bytes: Int) {
        self.writes = writes
        self.bytes = bytes
    }

    /// 256 writes, and half the ring's data area: the writes the held ones wait for always find room.
    public static func `default`(for ring: MappedRing) -> HeldWriteBound {
        HeldWriteBound(writes: 256, bytes: max(0, ring.dataAreaSize / 2))
    }
}

/// Commands the runner does not complete yet (`CompletionDeferral`): delayed ones, whose completion a
/// timer writes later; held ones (no response), which wait for a TMR or for their fault rule to be
/// cleared; and writes a zoned disk holds until their zone's write pointer reaches them (the reorder
/// buffer after a restart: `waitingWrites`). Other commands and other devices run on meanwhile: the
/// kernel completes out of order.
final class DeferredCompletions: Sendable {
    struct Held: Sendable {
        let command: RingCommand
        let reason: Reason

        enum Reason: Sendable {
            /// A fault rule's `hang`.
            case fault(rule: Int, release: HangRelease)
            /// A write ahead of its zone's write pointer (`CompletionDeferral.awaitWritePointer`); `bytes`
            /// of Data-Out stay pinned in the ring's data area while it waits.
            case writePointer(lba: UInt64, blocks: UInt64, deadline: ContinuousClock.Instant, bytes: Int)
        }

        /// ABORT TASK naming it ends it (every reason but `hang abort-fails`).
        var abortable: Bool {
            if case .fault(_, let release) = reason { return release == .onAbort }
            return true
        }

        /// The LBA a waiting write starts at (others: 0), to run released writes in LBA order.
        var lba: UInt64 {
            if case .writePointer(let lba, _, _, _) = reason { return lba }
            return 0
        }

        var describe: String {
            switch reason {
            case .fault(let rule, _): "held by fault \(rule)"
            case let .writePointer(lba, blocks, _, _): "(write lba 0x\(String(lba, radix: 16)) +\(blocks)) waiting for its zone's write pointer"
            }
        }
    }

    let faults: FaultInjector?
    let waitBound: HeldWriteBound
    private struct State {
        var held: [UInt16: Held] = [:]
        var waitingWrites = 0
        var waitingBytes = 0
    }
    /// Taken by the ring thread (TMRs, cleared rules) and by I/O workers (a rule holds their command).
    private let state = PthreadMutex(State())
    private let heldCount = Atomic<Int>(0)
    private let waitingCount = Atomic<Int>(0)
    /// Delayed completions whose timer has not fired yet (`stop` waits for them: the ring stays mapped).
    let pendingDelays = Atomic<Int>(0)

    init(device: any EmulatedDevice, waitBound: HeldWriteBound) {
        faults = device.faults
        self.waitBound = waitBound
    }

    var hasHeld: Bool { heldCount.load(ordering: .relaxed) > 0 }
    /// Whether any write waits for a write pointer (checked after every command batch).
    var hasWaitingWrites: Bool { waitingCount.load(ordering: .acquiring) > 0 }

    /// Holds a command; false (nothing held) when it is a waiting write that does not fit `waitBound`.
    @discardableResult
    func hold(_ h: Held) -> Bool {
        state.withLock { s in
            if case .writePointer(_, _, _, let bytes) = h.reason {
                guard s.waitingWrites < waitBound.writes, s.waitingBytes + bytes <= waitBound.bytes else { return false }
                s.waitingWrites += 1
                s.waitingBytes += bytes
            }
            s.held[h.command.id] = h
            publishCounts(s)
            return true
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
        return take { h in reset || (ids.contains(h.command.id) && h.abortable) }
    }

    /// The held commands whose rule is no longer installed.
    func releaseCleared() -> [Held] {
        guard hasHeld, let faults else { return [] }
        return take { h in
            if case .fault(let rule, _) = h.reason { return !faults.isInstalled(rule) }
            return false
        }
    }

    /// The waiting writes that may run now: the pointer reached them (`mayRun`), or the window closed.
    func releaseWaitingWrites(now: ContinuousClock.Instant, mayRun: (UInt64, UInt64) -> Bool) -> [Held] {
        guard hasWaitingWrites else { return [] }
        return take { h in
            guard case let .writePointer(lba, blocks, deadline, _) = h.reason else { return false }
            return now >= deadline || mayRun(lba, blocks)
        }
    }

    /// Every held command (the runner stops).
    func releaseAll() -> [Held] { take { _ in true } }

    private func take(_ which: (Held) -> Bool) -> [Held] {
        state.withLock { s in
            let out = s.held.values.filter(which)
            for h in out {
                s.held[h.command.id] = nil
                if case .writePointer(_, _, _, let bytes) = h.reason {
                    s.waitingWrites -= 1
                    s.waitingBytes -= bytes
                }
            }
            publishCounts(s)
            return out
        }
    }

    private func publishCounts(_ s: State) {
        heldCount.store(s.held.count, ordering: .relaxed)
        waitingCount.store(s.waitingWrites, ordering: .releasing)
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
            deferred.hold(DeferredCompletions.Held(command: command, reason: .fault(rule: rule, release: release)))
            watchHeld()
            return nil
        case let .awaitWritePointer(lba, blocks, deadline)?:
            let bytes = command.scsi.data.count
            let waiting = DeferredCompletions.Held(
                command: command,
                reason: .writePointer(lba: lba, blocks: blocks, deadline: deadline.instant, bytes: bytes))
            if deferred.hold(waiting) {
                watchHeld()
                return nil
            }
            logger.warning("cmd \(command.id) \(waiting.describe): TASK SET FULL, the reorder buffer is full (\(deferred.waitBound.writes) writes, \(deferred.waitBound.bytes) bytes)")
            return RingCompletion(id: command.id, status: .taskSetFull)
        }
    }

    /// An event loop sleeps without a timeout: once it holds a command it must look every 20 ms whether the
    /// rule was cleared or the waiting write's window closed.
    private func watchHeld() {
        if case .loop(let loop, _)? = serving.withLock({ $0 }) { loop.noteHeld() }
    }

    /// Runs the writes whose zone's write pointer has reached them (a write this thread ran may have
    /// moved it), and those whose window closed (they get the pointer's own answer), until none is left
    /// to run: a write run here moves the pointer for the next one. Returns their completions.
    func runWaitingWrites() -> [(completion: RingCompletion, slot: UInt32)] {
        var completions: [(completion: RingCompletion, slot: UInt32)] = []
        while true {
            let now = ContinuousClock.now
            let ready = deferred.releaseWaitingWrites(now: now) { lba, blocks in device.mayRunHeldWrite(lba: lba, blocks: blocks) }
            if ready.isEmpty { return completions }
            for h in ready.sorted(by: { $0.lba < $1.lba }) {
                var command = h.command
                guard let c = execute(&command) else { continue }  // held again (its zone changed)
                if case let .writePointer(_, _, deadline, _) = h.reason, now >= deadline {
                    logger.warning("cmd \(h.command.id) \(h.describe) until the window closed: \(c.status)\(c.status == .checkCondition ? " (\(sensePhrase(c)))" : "")")
                }
                completions.append((c, command.slot))
            }
        }
    }

    private func sensePhrase(_ c: RingCompletion) -> String {
        c.senseData.map { "\($0)" } ?? "sense"
    }

    /// Completions for held commands a TMR names (TASK ABORTED).
    func releaseHeld(by type: TCMUABI.TMRType, ids: [UInt16]) -> [(completion: RingCompletion, slot: UInt32)] {
        deferred.release(by: type, ids: ids).map { h in
            logger.info("cmd \(h.command.id) \(h.describe) released by TMR \(type): TASK ABORTED")
            return (aborted(h.command.scsi, id: h.command.id), h.command.slot)
        }
    }

    /// Runs again the held commands whose rule was cleared, and completes them.
    func releaseClearedHolds() {
        let released = deferred.releaseCleared()
        guard !released.isEmpty else { return }
        var completions: [(completion: RingCompletion, slot: UInt32)] = []
        for h in released {
            logger.info("cmd \(h.command.id) \(h.describe) released: the rule was cleared")
            var command = h.command
            if let c = execute(&command) { completions.append((c, command.slot)) }
        }
        ring.complete(completions)
    }

    /// Waits for delayed completions to be written; drops held ones, waiting writes too (the kernel's ring
    /// reset or its cmd_time_out answers them).
    func settleDeferred() {
        while deferred.pendingDelays.load(ordering: .acquiring) > 0 { Syscalls.sleep(milliseconds: 5) }
        for h in deferred.releaseAll() { logger.warning("cmd \(h.command.id) still \(h.describe) at stop") }
    }
}
