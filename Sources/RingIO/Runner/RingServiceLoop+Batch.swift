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
        let entries = batch.withLock { b in
            b.items.removeAll(keepingCapacity: true)
            b.commands.removeAll(keepingCapacity: true)
            let n = ring.drain(intoSink: &b)
            guard n > 0 else { return 0 }
            process(&b)
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
    private func process(_ b: inout RingBatch) {
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
        // A batch's first storage command is only queued once a second one comes: alone, with nothing
        // else of this device in flight (queue depth 1) and no other ring on this loop, it runs here,
        // which spares a worker's wake-up and a hand-off per command; with others in flight (or other
        // rings waiting on the loop) the workers run it, unless it is a read the page cache holds,
        // served here without blocking (`serveOrQueue`, RingServiceLoop+Inline).
        var storage: [RingCommand] = []
        var firstStorage: Int?
        var firstHandled = false
        for i in b.commands.indices {
            if !aborted.isEmpty, aborted.contains(b.commands[i].id) {
                b.completions.append(abort(b.commands[i]))
                continue
            }
            guard queue != nil else {
                // No workers to hand storage commands to: the device finds the row as it runs the command.
                if let c = execute(&b.commands[i]) { b.completions.append((c, b.commands[i].slot)) }
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
                    serveOrQueue(&b, first, onto: &storage)
                }
                serveOrQueue(&b, i, onto: &storage)
            } else if let c = execute(&b.commands[i], route: route) {
                b.completions.append((c, b.commands[i].slot))
            }
        }
        if let only = firstStorage, !firstHandled, let queue {
            if queue.isIdle, !sharesLoop.load(ordering: .relaxed) {
                if let c = execute(&b.commands[only]) { b.completions.append((c, b.commands[only].slot)) }
            } else {
                serveOrQueue(&b, only, onto: &storage)
            }
        }
        ring.complete(b.completions)
        b.completions.removeAll(keepingCapacity: true)
        queue?.push(storage)
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

    /// Runs one command on the device (in place: the device sees `command.scsi`) and turns the result into
    /// a ring completion; nil when a fault rule delayed or held it (`deferring`).
    func execute(_ command: inout RingCommand, route: CommandRoute? = nil) -> RingCompletion? {
        // Capture: the Data-Out as sent, before the device runs (only when an observer is set).
        let dataBefore = observer == nil ? [] : command.scsi.data.bytes()
        let result: CommandResult
        if let route = route ?? command.route {
            result = device.execute(&command.scsi, route: route)
        } else {
            result = device.execute(&command.scsi)
        }
        return finish(&command, result: result, dataBefore: dataBefore)
    }

    /// The completion of a command that ran (`execute`, `executeWithoutBlocking`); nil when a fault rule
    /// delayed or held it (`deferring`).
    func finish(_ command: inout RingCommand, result: CommandResult, dataBefore: [UInt8]) -> RingCompletion? {
        let completion = completion(of: &command, result: result, dataBefore: dataBefore)
        guard let deferral = command.scsi.deferral else { return completion }
        // A held command runs again once its rule is cleared: it must not carry this run's deferral.
        command.scsi.deferral = nil
        return deferring(completion, of: command, deferral)
    }

    /// The ring completion of a command's result: traced, its sense encoded, its unfilled Data-In made
    /// safe (unless a fault rule holds it), shown to the observer. `inout` and inlined: the command is
    /// read where it lies and the result field by field (a copy of either went through memory, and
    /// reading it back stalled on the stores just made: docs/performance.md, session 13).
    @inline(__always)
    func completion(of command: inout RingCommand, result: CommandResult, dataBefore: [UInt8]) -> RingCompletion {
        if tracing { trace(command, result) }
        let sense = result.status == .checkCondition ? result.sense : nil
        var dataIn = min(max(0, result.dataInLength), command.scsi.dataIn.count)
        // A held command has not completed: it runs again later (its Data-Out must stay as sent) or is
        // aborted, and is made safe then.
        if !command.scsi.isHeld {
            dataIn = StaleDataGuard.scrub(
                command.scsi, produced: dataIn, status: result.status,
                readLength: ring.capabilities.contains(.readLength))
        }
        let completion = RingCompletion(
            id: command.id, status: result.status, sense: sense,
            senseFormat: sense == nil ? .fixed : device.senseFormat, dataInLength: dataIn)
        if let observer { show(command, result, completion, dataBefore: dataBefore, to: observer) }
        return completion
    }

    private func trace(_ command: RingCommand, _ result: CommandResult) {
        logger.trace("\(RingTrace.line(id: command.id, cdb: command.scsi.cdb, result: result))")
    }

    private func show(
        _ command: RingCommand, _ result: CommandResult, _ completion: RingCompletion, dataBefore: [UInt8],
        to observer: any CommandObserver
    ) {
        observer.commandCompleted(ObservedCommand(
            cdb: command.scsi.cdb, dataBefore: dataBefore, data: command.scsi.data, bidiIn: command.scsi.bidiIn,
            result: result, completion: completion))
    }
}

extension SCSICommand {
    /// A fault rule or the reorder buffer held the command: it does not complete now.
    fileprivate var isHeld: Bool {
        switch deferral {
        case .hold?, .awaitWritePointer?: true
        case .delay?, nil: false
        }
    }
}
