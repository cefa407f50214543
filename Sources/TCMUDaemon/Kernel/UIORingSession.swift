#if canImport(Glibc)
import Glibc
#endif
import Logging
import RingIO
import SCSIEmu
import SystemCalls

/// The ring session of a real kernel device: `/dev/uioN` opened non-blocking, map0 mapped and validated, served by a
/// `RingServiceLoop` whose doorbell is the same descriptor.
public final class UIORingSession: RingSession {
    /// `/dev/uioN`, until `close`.
    private var fileDescriptor: FileDescriptor?
    /// Its number, for the runner's doorbell (which never outlives the descriptor: `close` stops it first).
    private let descriptorNumber: Int32
    private var ring: MappedRing?
    private var runner: RingServiceLoop?
    private let name: String

    init(fileDescriptor: consuming FileDescriptor, ring: MappedRing, name: String) {
        self.descriptorNumber = fileDescriptor.rawValue
        self.fileDescriptor = consume fileDescriptor
        self.ring = ring
        self.name = name
    }

    deinit { close() }

    public func start(device: any EmulatedDevice, ioWorkers: Int, logger: Logger) {
        start(device: device, ioWorkers: ioWorkers, observer: nil, logger: logger)
    }

    public func start(device: any EmulatedDevice, ioWorkers: Int, observer: (any CommandObserver)?, logger: Logger) {
        guard runner == nil, let ring else { return }
        // Every device on the process's event loops and worker pool (threads do not grow with devices);
        // a ring thread and workers of its own only if the scheduler cannot be made (descriptors exhausted).
        var scheduler: RingScheduler?
        do { scheduler = try RingScheduler.shared() } catch {
            logger.error("shared ring scheduler: \(error); this device gets threads of its own")
        }
        let r = RingServiceLoop(
            name: name, device: device, ring: ring, doorbell: UIODoorbell(fileDescriptor: descriptorNumber),
            ioWorkers: ioWorkers, scheduler: scheduler, observer: observer, logger: logger)
        r.start()
        runner = r
    }

    public func queuedCommands() -> [CDB] {
        guard runner == nil, let ring else { return [] }
        return ring.queuedCommands()
    }

    public func restartAtKernelIndices() {
        guard runner == nil else { return }
        ring?.restartAtKernelIndices()
    }

    public var isIdle: Bool {
        guard let ring else { return true }
        return !ring.hasPendingEntries && ring.commandsInFlight == 0
    }

    public func close() {
        runner?.stop()
        runner = nil
        ring = nil  // unmaps
        fileDescriptor = nil  // closes
    }
}

/// Opens `/dev/uio<minor>` under the control files' root.
public struct UIORingSessionOpener: RingSessionOpener {
    public init() {}

    public func open(_ uio: UIODevice, files: ControlFiles, logger: Logger) throws(DeviceSetupError) -> any RingSession {
        let path = files.path(uio.devicePath)
        let fd: FileDescriptor
        do { fd = try FileDescriptor.open(path, flags: O_RDWR | O_NONBLOCK) } catch {
            throw DeviceSetupError(error, "open \(path)")
        }
        // On a throw below, `fd` closes as it goes out of scope.
        let ring: MappedRing
        do {
            ring = try MappedRing(region: try MappedRegion(fileDescriptor: fd, length: uio.mapSize))
        } catch let error as Errno {
            throw DeviceSetupError(error, "mmap \(path) (\(uio.mapSize) bytes)")
        } catch {
            throw DeviceSetupError(.protocolError, message: "\(path): \(error)")
        }
        return UIORingSession(fileDescriptor: fd, ring: ring, name: "\(uio.name.hbaDirectory)/\(uio.name.deviceName)")
    }
}
