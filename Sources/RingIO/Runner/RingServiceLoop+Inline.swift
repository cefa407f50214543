import SCSIEmu

// Storage commands on the ring thread: with other commands in flight a storage command goes to an I/O
// worker, a hand-off and a wake-up that cost more than the command when the page cache serves it (under
// QEMU TCG every context switch and futex hand-off is dear). Two kinds are run here instead, with
// `SCSICommand.blocking = .mustNotBlock`:
// - a READ over a file (`triesWithoutBlocking`): the store reads without waiting (preadv2 RWF_NOWAIT)
//   and the command completes at once, or its handler declines (`wouldBlock`: not all of it cached, an
//   exclusive command holds the device) before it changed anything and the command goes to a worker,
//   where it runs afresh. A miss costs one non-blocking system call.
// - a WRITE over a file (`writesToCache`) that need not be durable, while the loop's `InlineWriteGate`
//   is open: the write goes into the page cache (Linux 6.1 has no non-blocking buffered write:
//   RWF_NOWAIT is EOPNOTSUPP), timed; one that took longer than the bound and slept (throttled, or
//   reading a partial page first) closes the gate, and the loop's writes go to the workers for a pause.
// Commands the ring thread runs anyway (a lone one, no workers) never try. Neither is tried while a
// fault rule is armed: its delays and holds belong to the workers' path.

/// How the ring thread's try of a command without blocking ended.
enum InlineAttempt {
    /// It ran: this completion (nil: a fault rule delayed or held it, `deferring` has it).
    case ran(RingCompletion?)
    /// It would have waited: run it on an I/O worker.
    case declined
}

extension RingServiceLoop {
    /// Runs `command` on the ring thread if it needs no waiting (`RingServiceLoop+Inline`).
    func executeWithoutBlocking(_ command: inout RingCommand, route: CommandRoute) -> InlineAttempt {
        let dataBefore = observer == nil ? [] : command.scsi.data.bytes()
        command.scsi.blocking = .mustNotBlock
        let result = device.execute(&command.scsi, route: route)
        defer { command.scsi.blocking = .mayBlock }
        guard command.scsi.blocking != .wouldBlock else {
            command.scsi.deferral = nil  // a rule armed since the try began fires again on the worker
            return .declined
        }
        return .ran(finish(&command, result: result, dataBefore: dataBefore))
    }

    /// Serves the batch's command `i` on the ring thread when it is a cached read, or a write `writeGate`
    /// admits; else queues it on `storage`.
    func serveOrQueue(_ b: inout RingBatch, _ i: Int, writeGate: InlineWriteGate?, onto storage: inout [RingCommand]) {
        if let route = b.commands[i].route, route.triesWithoutBlocking, device.faults?.isArmed != true {
            let attempt: InlineAttempt
            if !route.writesToCache {
                attempt = inlineReads ? executeWithoutBlocking(&b.commands[i], route: route) : .declined
            } else if let writeGate, let start = writeGate.admit(bytes: b.commands[i].scsi.data.count) {
                attempt = executeWithoutBlocking(&b.commands[i], route: route)
                if let waited = writeGate.finished(startedAt: start) {
                    logger.info(
                        "a write waited \(waited / 1000) µs on the ring thread: writes go to the workers for \(writeGate.currentPause)")
                }
            } else {
                attempt = .declined
            }
            if case let .ran(completion) = attempt {
                if let completion { b.completions.append((completion, b.commands[i].slot)) }
                return
            }
        }
        storage.append(b.commands[i])
    }
}
