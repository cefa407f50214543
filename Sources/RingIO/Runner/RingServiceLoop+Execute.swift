import Logging
import SCSIEmu
import Sense

// Running one command and turning its result into a ring completion. Kept inlined end to end (the
// device's witness writes the result, `completion(of:)` reads it field by field): a result or completion
// returned through memory and copied at once was read back with wider loads than its stores, and each
// such read stalled until the stores had drained (docs/performance.md, session 13).

extension RingServiceLoop {
    /// Runs one command on the device (in place: the device sees `command.scsi`) and turns the result into
    /// a ring completion; nil when a fault rule delayed or held it (`deferring`). Inlined with `finish` and
    /// `completion(of:)`, and the device's result handed straight on: a result or completion returned
    /// through memory and copied at once stalled on the stores just made (docs/performance.md, session 13).
    @inline(__always)
    func execute(_ command: inout RingCommand, route: CommandRoute? = nil) -> RingCompletion? {
        if _slowPath(observer != nil) { return executeObserved(&command, route: route) }
        return run(&command, route: route, dataBefore: [])
    }

    /// `execute` with an observer (capture), out of line: the Data-Out as sent, before the device runs.
    /// Apart so that without an observer the capture is the empty literal, which the compiler neither
    /// retains nor releases (as one value of either it was released once per command).
    @inline(never)
    private func executeObserved(_ command: inout RingCommand, route: CommandRoute?) -> RingCompletion? {
        let dataBefore = command.scsi.data.bytes()
        return run(&command, route: route, dataBefore: dataBefore)
    }

    @inline(__always)
    private func run(_ command: inout RingCommand, route: CommandRoute?, dataBefore: [UInt8]) -> RingCompletion? {
        if let route = route ?? command.route {
            return finish(&command, result: device.execute(&command.scsi, route: route), dataBefore: dataBefore)
        }
        return finish(&command, result: device.execute(&command.scsi), dataBefore: dataBefore)
    }

    /// The completion of a command that ran (`execute`, `executeWithoutBlocking`); nil when a fault rule
    /// delayed or held it (`deferring`).
    @inline(__always)
    func finish(_ command: inout RingCommand, result: CommandResult, dataBefore: [UInt8]) -> RingCompletion? {
        let completion = completion(of: &command, result: result, dataBefore: dataBefore)
        guard let deferral = command.scsi.deferral else { return completion }
        return applyDeferral(deferral, to: completion, of: &command)
    }

    /// A fault rule's deferral (rare, out of line). A held command runs again once its rule is cleared:
    /// it must not carry this run's deferral.
    private func applyDeferral(
        _ deferral: CompletionDeferral, to completion: RingCompletion, of command: inout RingCommand
    ) -> RingCompletion? {
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
