import SCSIEmu
import Synchronization
import SystemCalls

/// How the ring thread's attempt to run a command asynchronously ended.
enum AsyncDispatch {
    /// Submitted to the store: it completes from the store's callback.
    case submitted
    /// Answered at once (a check failed, or nothing to do): write this completion now.
    case completed(RingCompletion)
    /// Given back untouched: run it on an I/O worker.
    case declined
}

extension RingServiceLoop {
    /// Whether the ring thread dispatches this command itself, to complete it from the store's callback
    /// (`CommandCompletionSink`): the device's store submits, the row can, and no fault rule is armed
    /// (a rule's delay or hold is applied on the synchronous path).
    @inline(__always) func dispatchesAsynchronously(_ route: CommandRoute) -> Bool {
        asyncStore && route.completesAsynchronously && device.faults?.isArmed != true
    }

    /// Runs `command` on the ring thread with a completion sink. The handler checks it and submits its
    /// store requests without waiting; the store's callback completes it out of order (`complete(_:)`).
    func dispatchAsynchronously(_ command: inout RingCommand, route: CommandRoute) -> AsyncDispatch {
        let dataBefore = observer == nil ? [] : command.scsi.data.bytes()
        let pending = command
        inFlight.add(1, ordering: .relaxed)
        let sink = CommandCompletionSink { [self] result in
            var pending = pending
            let c = completion(of: &pending, result: result, dataBefore: dataBefore)
            _ = ring.complete(c, slot: pending.slot)
            if ring.publish() { doorbell.notifyKernel() }
            inFlight.subtract(1, ordering: .releasing)
        }
        command.scsi.completionSink = sink
        let result = device.execute(&command.scsi, route: route)
        command.scsi.completionSink = nil
        switch sink.disposition {
        case .submitted:
            return .submitted
        case .declined:
            inFlight.subtract(1, ordering: .relaxed)
            return .declined
        case .running:
            inFlight.subtract(1, ordering: .relaxed)
            return .completed(completion(of: &command, result: result, dataBefore: dataBefore))
        }
    }

    /// Waits until every submitted command has completed (`stop`; the store's own timeout bounds it).
    func settleInFlight() {
        while inFlight.load(ordering: .acquiring) > 0 { Syscalls.sleep(milliseconds: 2) }
    }
}
