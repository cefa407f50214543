import Logging
import SCSIEmu
import Sense

extension RingServiceLoop {
    /// One pass over the ring: drain every entry up to `cmd_head`, apply TMRs, run or queue the commands,
    /// complete, publish `cmd_tail` and ring the doorbell once. Called by the ring thread; tests and the
    /// benchmark may call it directly instead of `start()`.
    /// - Returns: the number of entries read.
    @discardableResult
    public func serviceRing() -> Int {
        // The caller may have slept since its last pass (the ring thread waits for the doorbell).
        ownWriteGate?.forgetSleeps()
        return serviceRing(writeGate: ownWriteGate)
    }

    /// `serviceRing()` with the inline writes let through by `writeGate` (an event loop's, shared by its
    /// rings); nil: none.
    func serviceRing(writeGate: InlineWriteGate?) -> Int {
        let gate = inlineWrites == nil ? nil : writeGate
        let entries = batch.withLock { b in
            b.items.removeAll(keepingCapacity: true)
            b.commands.removeAll(keepingCapacity: true)
            let n = ring.drain(intoSink: &b)
            guard n > 0 else { return 0 }
            process(&b, writeGate: gate)
            return n
        }
        if deferred.hasHeld { releaseClearedHolds() }
        // Writes held for a write pointer: moved by this pass's commands, or their window closed.
        if deferred.hasWaitingWrites { ring.complete(runWaitingWrites()) }
        if let reason = ring.stoppedReason, !reportedStop.exchange(true, ordering: .relaxed) {
            logger.error("ring not served any further: \(reason)")
        }
        if ring.publish() { doorbell.notifyKernel() }
        return entries
    }

    /// Runs (or queues for the workers) the batch's commands and writes every completion of the pass
    /// under one lock.
    private func process(_ b: inout RingBatch, writeGate: InlineWriteGate?) {
        var aborted = Set<UInt16>()
        if b.items.contains(where: \.isTaskManagement) {
            for case let .taskManagement(type, ids) in b.items {
                logger.info("task management \(type) for commands \(ids)")
                aborted.formUnion(ids)
                b.completions += releaseHeld(by: type, ids: ids)
            }
            if let queue {
                for command in queue.remove(ids: aborted) { b.completions.append(abort(command)) }
            }
        }
        // Entries other than commands (rare) first; their order against the commands does not matter:
        // each completion goes to its own slot.
        for item in b.items {
            switch item {
            case let .malformed(id, slot, cdb, fault):
                logger.error("malformed ring entry, cmd \(id): \(fault)")
                let sense = Sense(.hardwareError, .internalTargetFailure)
                if let cdb, tracing {
                    logger.trace("\(RingTrace.line(id: id, cdb: cdb, result: .checkCondition(sense)))")
                }
                b.completions.append(
                    (RingCompletion(id: id, status: .checkCondition, sense: sense, senseFormat: device.senseFormat), slot))
            case let .rejected(id, fault):
                logger.error("malformed ring entry, cmd \(id) answered UNKNOWN_OP: \(fault)")
            case .taskManagement, .command:
                break
            }
        }
        // Commands run where they lie in the batch (`inout`): moving one out would copy it with `memcpy`.
        if let queue {
            runOrQueue(&b, aborted: aborted, queue: queue, writeGate: writeGate)
        } else {
            runInPlace(&b, aborted: aborted)
        }
        ring.complete(b.completions)
        b.completions.removeAll(keepingCapacity: true)
    }

    /// Without workers every command runs here, the device finding the row as it runs it. A loop of its
    /// own, small enough for `execute` to be inlined into it (`process` is too large for the inliner).
    private func runInPlace(_ b: inout RingBatch, aborted: Set<UInt16>) {
        for i in b.commands.indices {
            if !aborted.isEmpty, aborted.contains(b.commands[i].id) {
                b.completions.append(abort(b.commands[i]))
            } else if let c = execute(&b.commands[i]) {
                b.completions.append((c, b.commands[i].slot))
            }
        }
    }

    /// With workers: a batch's first storage command is only queued once a second one comes: alone, with
    /// nothing else of this device in flight (queue depth 1) and no other ring on this loop, it runs here,
    /// which spares a worker's wake-up and a hand-off per command; with others in flight (or other rings
    /// waiting on the loop) the workers run it, unless it is a read the page cache holds, served here
    /// without blocking, or a write into the page cache `writeGate` lets run here (`serveOrQueue`,
    /// RingServiceLoop+Inline).
    private func runOrQueue(_ b: inout RingBatch, aborted: Set<UInt16>, queue: WorkQueue, writeGate: InlineWriteGate?) {
        var storage: [RingCommand] = []
        var firstStorage: Int?
        var firstHandled = false
        for i in b.commands.indices {
            if !aborted.isEmpty, aborted.contains(b.commands[i].id) {
                b.completions.append(abort(b.commands[i]))
                continue
            }
            let route = route(&b.commands[i])
            if route.isStorageIO {
                if dispatchesAsynchronously(route) {
                    switch dispatchAsynchronously(&b.commands[i], route: route) {
                    case .submitted: continue
                    case let .completed(c):
                        b.completions.append((c, b.commands[i].slot))
                        continue
                    case .declined: break
                    }
                }
                b.commands[i].route = route
                guard let first = firstStorage else {
                    firstStorage = i
                    continue
                }
                if !firstHandled {
                    firstHandled = true
                    serveOrQueue(&b, first, writeGate: writeGate, onto: &storage)
                }
                serveOrQueue(&b, i, writeGate: writeGate, onto: &storage)
            } else if let c = execute(&b.commands[i], route: route) {
                b.completions.append((c, b.commands[i].slot))
            }
        }
        if let only = firstStorage, !firstHandled {
            if queue.isIdle, !sharesLoop.load(ordering: .relaxed) {
                if let c = execute(&b.commands[only]) { b.completions.append((c, b.commands[only].slot)) }
            } else {
                serveOrQueue(&b, only, writeGate: writeGate, onto: &storage)
            }
        }
        queue.push(storage)
    }

    /// The device's row for a command. `inout`, so the CDB is read where it lies: passing the CDB of an
    /// array element straight to the device copied it (an outlined copy and destroy per command).
    private func route(_ command: inout RingCommand) -> CommandRoute { device.route(command.scsi.cdb) }

    /// TASK ABORTED for a command that never ran; the kernel copies a Data-In buffer back whatever the
    /// status (only CHECK CONDITION is spared), so it is zeroed first.
    private func abort(_ command: RingCommand) -> (completion: RingCompletion, slot: UInt32) {
        logger.debug("cmd \(command.id) aborted before it ran")
        return (aborted(command.scsi, id: command.id), command.slot)
    }

    /// The TASK ABORTED completion of a command that did not run, its unfilled Data-In made safe.
    func aborted(_ command: SCSICommand, id: UInt16) -> RingCompletion {
        let readLength = StaleDataGuard.scrub(
            command, produced: 0, status: .taskAborted, readLength: ring.capabilities.contains(.readLength))
        return RingCompletion(id: id, status: .taskAborted, dataInLength: readLength)
    }
}
