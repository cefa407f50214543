import Logging
import RingIO
import SCSIEmu
import Sense

/// One replay's device on one simulated ring: the device opened through the handler registry with the
/// header's parameters, a `SimulatedKernel` playing the kernel, and a started `RingServiceLoop` serving it
/// exactly as the daemon serves `/dev/uioN`.
final class CorpusReplaySession {
    let kernel: SimulatedKernel
    let runner: RingServiceLoop
    let device: any EmulatedDevice
    private var closed = false

    /// The device name and HBA the replay presents (they reach no response emud builds; fixed so that
    /// nothing varies between replays).
    static let deviceName = "corpus"
    static let hba = "0"

    /// Opens the device for `header` in `scratch` and starts serving it.
    /// - Throws: `CorpusReplayError` naming the config string problem, the handler's open failure, or
    ///   the ring that could not be set up.
    init(
        header: CorpusHeader, scratch: CorpusScratchDirectory, registry: HandlerRegistry, logger: Logger,
        dataAreaSize: Int
    ) throws(CorpusReplayError) {
        let configString = scratch.substitute(header.configString)
        let handler: any DeviceHandler
        let parsed: HandlerConfigString
        do {
            (handler, parsed) = try registry.resolve(configString)
            try handler.checkConfig(parsed.config)
        } catch {
            throw CorpusReplayError("device \(header.configString): \(error)")
        }
        var log = logger
        log[metadataKey: "device"] = .string(Self.deviceName)
        // The header's config string, `@DIR@` and all, is what identifies the device (VPD 83h), so
        // identifiers do not depend on where the scratch directory happens to be.
        let parameters = DeviceOpenParameters(
            config: parsed.config, fullConfigString: header.configString, deviceName: Self.deviceName,
            hba: Self.hba, sizeInBytes: header.size, blockSize: header.blockSize, maxSectors: header.maxSectors,
            unitSerial: header.effectiveSerial, commandTimeout: parsed.commandTimeout, logger: log)
        do { device = try handler.open(parameters) } catch {
            throw CorpusReplayError("device \(header.configString) did not open: \(error.message)")
        }
        do {
            kernel = try SimulatedKernel(dataAreaSize: dataAreaSize)
            runner = RingServiceLoop(
                name: Self.deviceName, device: device, ring: try kernel.makeRing(), doorbell: kernel.doorbell,
                ioWorkers: handler.ioWorkerThreads, logger: log)
        } catch {
            device.close()
            throw CorpusReplayError("simulated ring: \(error)")
        }
        runner.start()
    }

    deinit { close() }

    /// Stops the runner and closes the device. Idempotent.
    func close() {
        guard !closed else { return }
        closed = true
        runner.stop()
        device.close()
    }

    /// Queues the exchange's CDB with its Data-Out and Data-In buffer and waits for its completion.
    func send(_ e: CorpusExchange, dataOut: [UInt8]?, timeoutMilliseconds: Int32) throws(CorpusExchangeError)
        -> ObservedCompletion
    {
        let id: UInt16
        do { id = try kernel.submit(cdb: e.cdb, dataOut: dataOut, dataInLength: e.dataInLength) } catch {
            switch error {
            case .tooLarge, .dataAreaFull, .ringFull:
                throw CorpusExchangeError("the simulated ring cannot carry this command: \(error)")
            case .broken(let why):
                throw CorpusExchangeError("the ring is broken: \(why)", abandonsCorpus: true)
            }
        }
        while true {
            let completions: [SimulatedKernel.Completion]
            do { completions = try kernel.reap() } catch {
                throw CorpusExchangeError("reaping: \(error)", abandonsCorpus: true)
            }
            if let c = completions.first(where: { $0.id == id }) { return observed(c, dataInLength: e.dataInLength) }
            guard kernel.waitForCompletions(timeoutMilliseconds: timeoutMilliseconds) else {
                throw CorpusExchangeError(
                    "no completion within \(timeoutMilliseconds) ms", abandonsCorpus: true)
            }
        }
    }

    /// The completion as the initiator sees it. UNKNOWN_OP is answered by the kernel itself with
    /// CHECK CONDITION, ILLEGAL REQUEST, INVALID COMMAND OPERATION CODE in fixed format (LIO's
    /// TCM_UNSUPPORTED_SCSI_OPCODE).
    private func observed(_ c: SimulatedKernel.Completion, dataInLength: Int) -> ObservedCompletion {
        if c.unknownOperation {
            return ObservedCompletion(
                status: SCSIStatus.checkCondition.rawValue,
                sense: Sense(.illegalRequest, .invalidCommandOperationCode).encoded(as: .fixed),
                residual: dataInLength)
        }
        return ObservedCompletion(
            status: c.status, sense: c.sense, dataIn: c.dataIn, residual: max(0, dataInLength - c.dataIn.count))
    }
}
