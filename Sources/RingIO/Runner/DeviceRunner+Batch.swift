import Logging
import SCSIEmu
import Sense

extension DeviceRunner {
    /// One pass over the ring: drain every entry up to `cmd_head`, apply TMRs, run or queue the commands,
    /// complete, publish `cmd_tail` and ring the doorbell once. Called by the ring thread; tests and the
    /// benchmark may call it directly instead of `start()`.
    /// - Returns: the number of entries read.
    @discardableResult
    public func serviceRing() -> Int {
        let entries = batch.withLock { items in
            items.removeAll(keepingCapacity: true)
            let n = ring.drain(into: &items)
            guard n > 0 else { return 0 }
            process(items)
            return n
        }
        if let reason = ring.stoppedReason, !reportedStop.exchange(true, ordering: .relaxed) {
            logger.error("ring not served any further: \(reason)")
        }
        if ring.publish() { doorbell.notifyKernel() }
        return entries
    }

    private func process(_ items: [RingItem]) {
        var aborted = Set<UInt16>()
        for case let .taskManagement(type, ids) in items {
            logger.info("task management \(type) for commands \(ids)")
            aborted.formUnion(ids)
        }
        if !aborted.isEmpty, let queue {
            for command in queue.remove(ids: aborted) { abort(command.id, slot: command.slot) }
        }
        var storage: [RingCommand] = []
        for item in items {
            switch item {
            case .command(let command):
                if !aborted.isEmpty, aborted.contains(command.id) {
                    abort(command.id, slot: command.slot)
                } else if queue != nil, device.isStorageIO(command.cdb) {
                    storage.append(command)
                } else {
                    ring.complete(execute(command), slot: command.slot)
                }
            case let .malformed(id, slot, cdb, fault):
                logger.error("malformed ring entry, cmd \(id): \(fault)")
                let sense = Sense(.hardwareError, .internalTargetFailure)
                if let cdb, logger.logLevel <= .trace {
                    logger.trace("\(RingTrace.line(id: id, cdb: cdb, result: .checkCondition(sense)))")
                }
                ring.complete(
                    RingCompletion(id: id, status: .checkCondition, sense: sense.encoded(as: device.senseFormat)),
                    slot: slot)
            case let .rejected(id, fault):
                logger.error("malformed ring entry, cmd \(id) answered UNKNOWN_OP: \(fault)")
            case .taskManagement:
                break
            }
        }
        queue?.push(storage)
    }

    private func abort(_ id: UInt16, slot: UInt32) {
        logger.debug("cmd \(id) aborted before it ran")
        ring.complete(RingCompletion(id: id, status: .taskAborted), slot: slot)
    }

    /// Runs one command on the device and turns the result into a ring completion.
    func execute(_ command: RingCommand) -> RingCompletion {
        var scsi = command.scsiCommand
        let result = device.execute(&scsi)
        if logger.logLevel <= .trace {
            logger.trace("\(RingTrace.line(id: command.id, cdb: command.cdb, result: result))")
        }
        var sense: [UInt8] = []
        if result.status == .checkCondition, let s = result.sense {
            sense = s.encoded(as: device.senseFormat)
        }
        let dataIn = min(max(0, result.dataInLength), scsi.dataIn.count)
        return RingCompletion(id: command.id, status: result.status, sense: sense, dataInLength: dataIn)
    }
}
