import Conformance
import Logging
import SCSIEmu
import Sense
import SystemCalls

/// Adds, removes and reconfigures devices as netlink and the start-up scan ask (tcmu-runner's
/// `device_add` / `device_remove` / `reconfig_device` / `dev_added`), and always has an answer.
///
/// Used from one thread (the daemon's event loop). Every failure undoes what was done: no device is
/// ever left half-made, and the status says why (`-errno`), with the reason in the log.
public final class DeviceLifecycle {
    /// A device being served.
    public struct ActiveDevice {
        /// The kernel's uio name; its config string follows a RECONFIG DEV_CFG we accepted.
        public internal(set) var uio: UIODevice
        public let subtype: String
        public let device: any EmulatedDevice
        public let ring: any RingSession
        public let configFS: ConfigFSDevice
        public internal(set) var sizeInBytes: UInt64
        public let blockSize: UInt32
    }

    public let registry: HandlerRegistry
    public let files: ControlFiles
    public let opener: any RingSessionOpener
    public var logger: Logger
    /// Corpus capture (`emud serve --capture DIR`): every device added records its exchanges into
    /// `DIR/<device name>.corpus`, with identifiers made deterministic (see `CorpusCapture`). nil: off.
    public var captureDirectory: String?
    /// Where each device's MODE SELECT values are kept across a restart (`DeviceLifecycle+ModeState`);
    /// nil: not kept.
    public var stateDirectory: String?
    /// Devices by UIO minor.
    public internal(set) var devices: [UInt32: ActiveDevice] = [:]

    public init(registry: HandlerRegistry, files: ControlFiles, opener: any RingSessionOpener, logger: Logger) {
        self.registry = registry
        self.files = files
        self.opener = opener
        self.logger = logger
    }

    // MARK: - Netlink

    /// Carries out an event and returns the *_DONE reply (nil only for version-1 events without a
    /// DEVICE_ID, which the kernel does not wait for).
    public func handle(_ event: NetlinkEvent) -> NetlinkReply? {
        let status: Int32
        switch event.kind {
        case .added: status = add(minor: event.minor, uioName: event.uioName, reopen: false)
        case .removed:
            // The kernel removes the device: its mode page values go with it (a shutdown keeps them).
            if let uio = devices[event.minor]?.uio { forgetModeState(of: uio) }
            status = remove(minor: event.minor)
        case .reconfig(let change): status = reconfigure(minor: event.minor, change)
        }
        return event.reply(status: status)
    }

    // MARK: - Add

    /// Sets up `uio<minor>`. Returns 0 or -errno.
    /// - Parameter reopen: the device existed before we started: block it, reset its ring (commands in
    ///   flight complete BUSY and are retried by the initiator), and unblock once served.
    @discardableResult
    public func add(minor: UInt32, uioName: String?, reopen: Bool) -> Int32 {
        do throws(DeviceSetupError) {
            try addOrThrow(minor: minor, uioName: uioName, reopen: reopen)
            return 0
        } catch {
            logger.error("uio\(minor): not added: \(error.message)")
            return -error.code
        }
    }

    private func addOrThrow(minor: UInt32, uioName: String?, reopen: Bool) throws(DeviceSetupError) {
        guard devices[minor] == nil else { throw DeviceSetupError(.fileExists, message: "already served") }
        let uio: UIODevice
        do { uio = try UIODiscovery(files: files).device(minor: minor, name: uioName) } catch {
            throw DeviceSetupError(error.errno, message: error.description)
        }
        var log = logger
        log[metadataKey: "device"] = "\(uio.name.hbaDirectory)/\(uio.name.deviceName)"

        let handler: any DeviceHandler
        let config: HandlerConfigString
        do {
            (handler, config) = try registry.resolve(uio.name.configString)
            try handler.checkConfig(config.config)
        } catch {
            throw DeviceSetupError(.invalidArgument, message: "config string '\(uio.name.configString)': \(error)")
        }

        let configFS = ConfigFSDevice(files: files, name: uio.name)
        let attributes: ConfigFSDeviceAttributes
        do { attributes = try configFS.attributes() } catch {
            throw DeviceSetupError(error.errno, message: "configfs \(error)")
        }

        var blocked = false
        if reopen {
            blocked = block(configFS, log: log)
        }
        defer { if blocked { unblock(configFS, log: log) } }

        let ring = try opener.open(uio, files: files, logger: log)
        var interrupted = InterruptedWrites()
        if blocked {
            let queued = ring.queuedCommands()
            interrupted = InterruptedWrites(cdbs: queued)
            resetRing(configFS, log: log)
            ring.restartAtKernelIndices()
            if !queued.isEmpty {
                log.notice("uio\(minor): \(queued.count) command(s) (\(interrupted.count) write(s)) were queued when the previous daemon stopped: the ring reset completes them BUSY and the initiator retries them")
            }
        }
        let device: any EmulatedDevice
        var parameters = DeviceOpenParameters(
            config: config.config, fullConfigString: uio.name.configString, deviceName: uio.name.deviceName,
            hba: uio.name.hba, sizeInBytes: attributes.sizeInBytes, blockSize: attributes.blockSize,
            maxSectors: attributes.maxSectors, unitSerial: attributes.unitSerial,
            commandTimeout: config.commandTimeout, logger: log)
        // Corpus capture: the device gets the identifiers a replay of the capture will give it.
        let captureHeader = captureDirectory.map { _ in CorpusCapture.header(for: parameters) }
        if let captureHeader { parameters = CorpusCapture.deterministic(parameters, header: captureHeader) }
        do {
            device = try handler.open(parameters)
        } catch {
            ring.close()
            throw DeviceSetupError(error.errno, message: "\(handler.subtype) open: \(error.message)")
        }
        if let faults = device.faults, config.faultsFile != nil || config.badBlocksFile != nil {
            do throws(FaultRuleError) { try faults.configure(from: config) } catch {
                device.close()
                ring.close()
                throw DeviceSetupError(.invalidArgument, message: "config string: \(error)")
            }
        }
        var recorder: CorpusRecorder?
        if let captureDirectory, let captureHeader {
            do {
                recorder = try CorpusCapture.recorder(
                    directory: captureDirectory, parameters: parameters, header: captureHeader, device: device)
                log.info("capturing exchanges into \(recorder?.path ?? "")")
            } catch { log.error("capture not started: \(error)") }
        }
        device.resume(after: interrupted)
        keepModeState(of: device, uio: uio, reopen: reopen, log: log)
        ring.start(device: device, ioWorkers: handler.ioWorkerThreads, observer: recorder, logger: log)
        devices[minor] = ActiveDevice(
            uio: uio, subtype: handler.subtype, device: device, ring: ring, configFS: configFS,
            sizeInBytes: attributes.sizeInBytes, blockSize: attributes.blockSize)
        log.info("uio\(minor): serving \(uio.name.configString) (\(attributes.sizeInBytes) bytes, block \(attributes.blockSize))")
    }

    /// block_dev=1: the kernel queues nothing more, completions up to cmd_tail are reaped and its qfull
    /// queue fails BUSY. False when the kernel has no block_dev (an old kernel: no reset, nothing to undo).
    private func block(_ configFS: ConfigFSDevice, log: Logger) -> Bool {
        do { try configFS.setAction("block_dev", 1) } catch {
            if error.errno == .noSuchFileOrDirectory { return false }
            log.warning("block_dev: \(error)")
        }
        return true
    }

    /// reset_ring=1: every command still in the ring completes BUSY (retried by the initiator).
    private func resetRing(_ configFS: ConfigFSDevice, log: Logger) {
        do { try configFS.setAction("reset_ring", 1) } catch { log.error("reset_ring: \(error)") }
    }

    private func unblock(_ configFS: ConfigFSDevice, log: Logger) {
        do { try configFS.setAction("block_dev", 0) } catch { log.error("block_dev=0: \(error)") }
    }

    // MARK: - Remove

    /// Stops and closes `uio<minor>`. Returns 0: the kernel is removing the device whatever we say, and
    /// an unknown device has nothing left to release (logged).
    @discardableResult
    public func remove(minor: UInt32) -> Int32 {
        guard let active = devices.removeValue(forKey: minor) else {
            logger.warning("uio\(minor): remove of a device not served")
            return 0
        }
        active.ring.close()
        active.device.close()
        logger.info("uio\(minor): removed \(active.uio.name.deviceName)")
        return 0
    }

    // MARK: - Reconfigure

    /// Applies a RECONFIG_DEVICE change. Returns 0 or -errno (the kernel commits the change only on 0).
    public func reconfigure(minor: UInt32, _ change: Reconfiguration) -> Int32 {
        guard var active = devices[minor] else {
            logger.error("uio\(minor): reconfigure of a device not served")
            return -Errno.noSuchDevice.rawValue
        }
        switch change {
        case .size(let bytes):
            do throws(HandlerError) { try DeviceSizeLimit.check(bytes, "RECONFIG dev_size") } catch {
                logger.error("uio\(minor): resize refused: \(error.message); the device keeps \(active.sizeInBytes) bytes")
                return -error.code
            }
            let blocks = { (b: UInt64) in active.blockSize == 0 ? 0 : b / UInt64(active.blockSize) }
            guard blocks(bytes) != blocks(active.sizeInBytes) else {
                active.sizeInBytes = bytes
                devices[minor] = active
                return 0
            }
            do throws(Sense) { try active.device.resize(toBytes: bytes) } catch {
                logger.error("uio\(minor): resize to \(bytes) bytes failed: \(error)")
                return -Errno.invalidArgument.rawValue
            }
            // SBC-4 §4.10: CAPACITY DATA HAS CHANGED, reported once (LogicalUnit drops duplicates, so a
            // device that raised it itself is not reported twice).
            active.device.raiseUnitAttention(.capacityDataHasChanged)
            active.sizeInBytes = bytes
            devices[minor] = active
            logger.info("uio\(minor): resized to \(bytes) bytes")
            return 0
        case .config(let s):
            return reconfigureConfig(minor: minor, s)  // Control/DeviceLifecycle+Control.swift
        case .writeCache(let on):
            logger.error("uio\(minor): changing emulate_write_cache to \(on ? 1 : 0) is not supported")
            return -Errno.notSupported.rawValue
        case .unknown:
            logger.error("uio\(minor): reconfigure without a known attribute")
            return -Errno.notSupported.rawValue
        }
    }
}
