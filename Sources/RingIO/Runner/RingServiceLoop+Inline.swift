import SCSIEmu

// Cached reads on the ring thread: with other commands in flight a storage command goes to an I/O
// worker, a hand-off and a wake-up that cost more than the read when the page cache holds its data
// (under QEMU TCG every context switch and futex hand-off is dear). A row that `triesWithoutBlocking`
// (READ over a file) is first run here with `SCSICommand.blocking = .mustNotBlock`: the store reads
// without waiting (preadv2 RWF_NOWAIT) and the command completes at once, or its handler declines
// (`wouldBlock`: not all of it cached, an exclusive command holds the device) before it changed
// anything and the command goes to a worker as before, where it runs afresh. A miss costs one
// non-blocking system call; commands the ring thread runs anyway (a lone one, no workers) never try.

/// How the ring thread's try of a command without blocking ended.
enum InlineAttempt {
    /// It ran: this completion (nil: a fault rule delayed or held it, `deferring` has it).
    case ran(RingCompletion?)
    /// It would have waited: run it on an I/O worker.
    case declined
}

extension RingServiceLoop {
    /// Whether the ring thread tries this command without blocking before it queues it: the device's store
    /// can, the row can, and no fault rule is armed (its delays and holds belong to the workers' path).
    @inline(__always) func triesInline(_ route: CommandRoute) -> Bool {
        inlineReads && route.triesWithoutBlocking && device.faults?.isArmed != true
    }

    /// Runs `command` on the ring thread if it needs no waiting (`RingServiceLoop+Inline`).
    func executeWithoutBlocking(_ command: inout RingCommand, route: CommandRoute) -> InlineAttempt {
        let dataBefore = observer == nil ? [] : command.scsi.data.bytes()
        command.scsi.blocking = .mustNotBlock
        let result = device.execute(&command.scsi, route: route)
        defer { command.scsi.blocking = .mayBlock }
        guard command.scsi.blocking != .wouldBlock else {
            command.scsi.deferral = nil  // a rule armed since `triesInline` fires again on the worker
            return .declined
        }
        return .ran(finish(&command, result: result, dataBefore: dataBefore))
    }

    /// Serves the batch's command `i` on the ring thread when it is cached, else queues it on `storage`.
    func serveOrQueue(_ b: inout RingBatch, _ i: Int, onto storage: inout [RingCommand]) {
        if let route = b.commands[i].route, triesInline(route),
            case let .ran(completion) = executeWithoutBlocking(&b.commands[i], route: route)
        {
            if let completion { b.completions.append((completion, b.commands[i].slot)) }
            return
        }
        storage.append(b.commands[i])
    }
}
