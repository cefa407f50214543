import Dispatch
import Foundation
import Logging
import SCSIEmu
import Sense
import Synchronization

/// Serves one TCMU device: a ring thread that drains the ring, runs commands and completes them, plus
/// optional I/O worker threads for `route.isStorageIO` commands, whose completions go out of order.
///
/// Completion writes are serialized by the ring's mutex; the doorbell is rung once per drained batch
/// (and once per worker batch).
public final class RingServiceLoop: Sendable {
    public let name: String
    let device: any EmulatedDevice
    let ring: MappedRing
    let doorbell: any RingDoorbell
    let logger: Logger
    let ioWorkers: Int
    let queue: WorkQueue?
    /// Capture (corpus): sees every executed command; nil costs one check per command.
    let observer: (any CommandObserver)?

    let stopping = Atomic<Bool>(false)
    let reportedStop = Atomic<Bool>(false)
    /// Whether trace logging is on (read once: the logger is a `let`, and asking its handler for the
    /// level on every command costs an existential copy).
    let tracing: Bool
    /// The ring thread's reusable batch (locked once per batch; only the ring thread or a test's
    /// `serviceRing` call takes it).
    let batch: Mutex<RingBatch>
    let threads: Mutex<[DispatchSemaphore]>
    /// Completions a fault rule delayed or held.
    let deferred: DeferredCompletions

    /// - Parameters:
    ///   - ioWorkers: threads for storage I/O; 0 runs every command on the ring thread. Workers need the
    ///     kernel's OOOC capability (they are not started without it).
    ///   - observer: sees every executed command (corpus capture); nil when not capturing.
    ///   - heldWrites: the reorder buffer's bound (default: `HeldWriteBound.default(for: ring)`).
    public init(
        name: String, device: any EmulatedDevice, ring: MappedRing, doorbell: any RingDoorbell, ioWorkers: Int = 0,
        observer: (any CommandObserver)? = nil, heldWrites: HeldWriteBound? = nil, logger: Logger
    ) {
        self.name = name
        self.observer = observer
        self.device = device
        self.ring = ring
        self.doorbell = doorbell
        var logger = logger
        logger[metadataKey: "device"] = .string(name)
        self.logger = logger
        self.tracing = logger.logLevel <= .trace
        let workers = ring.capabilities.contains(.outOfOrderCompletion) ? max(0, ioWorkers) : 0
        self.ioWorkers = workers
        self.queue = workers > 0 ? WorkQueue(workers: workers) : nil
        self.batch = Mutex(RingBatch(capacity: 256))
        self.threads = Mutex([])
        self.deferred = DeferredCompletions(device: device, waitBound: heldWrites ?? .default(for: ring))
        deferred.faults?.attach(logger: self.logger)
    }

    // MARK: - Threads

    /// Starts the ring thread and the I/O workers.
    public func start() {
        threads.withLock { list in
            guard list.isEmpty else { return }
            list.append(spawn("ring \(name)") { [self] in ringLoop() })
            for i in 0..<ioWorkers {
                list.append(spawn("io \(name) \(i)") { [self] in workerLoop() })
            }
        }
        logger.info("serving", metadata: ["ioWorkers": "\(ioWorkers)", "ringBytes": "\(ring.ringSize)"])
    }

    /// Stops reading the ring, lets the workers finish what they hold, publishes the last completions
    /// and joins every thread. Blocks.
    public func stop() {
        stopping.store(true, ordering: .releasing)
        let joins = threads.withLock { list in
            defer { list.removeAll() }
            return list
        }
        guard !joins.isEmpty else { return }
        joins[0].wait()
        queue?.close()
        for j in joins.dropFirst() { j.wait() }
        settleDeferred()
        if ring.publish() { doorbell.notifyKernel() }
        logger.info("stopped")
    }

    private func spawn(_ name: String, _ body: @escaping @Sendable () -> Void) -> DispatchSemaphore {
        let done = DispatchSemaphore(value: 0)
        let t = Thread {
            body()
            done.signal()
        }
        t.name = name
        t.start()
        return done
    }

    private func ringLoop() {
        while !stopping.load(ordering: .acquiring) {
            if doorbell.wait(timeoutMilliseconds: 20) { doorbell.acknowledge() }
            serviceRing()
        }
    }

    private func workerLoop() {
        var completions: [(completion: RingCompletion, slot: UInt32)] = []
        guard let queue else { return }
        // Small takes spread a burst over the workers; each take ends with one publish and one kick.
        while let jobs = queue.take() {
            for var command in jobs {
                if let c = execute(&command) { completions.append((c, command.slot)) }
            }
            // A write run here may have moved a write pointer a held write waits for.
            if deferred.hasWaitingWrites { completions += runWaitingWrites() }
            ring.complete(completions)
            completions.removeAll(keepingCapacity: true)
            if ring.publish() { doorbell.notifyKernel() }
        }
    }
}

/// The ring thread's scratch, reused from pass to pass: the drained commands, the other entries (TMRs,
/// malformed and rejected ones) and the completions to write.
struct RingBatch: RingEntrySink {
    var commands: [RingCommand] = []
    var items: [RingItem] = []
    var completions: [(completion: RingCompletion, slot: UInt32)] = []

    init(capacity: Int) {
        commands.reserveCapacity(capacity)
        items.reserveCapacity(capacity)
        completions.reserveCapacity(capacity)
    }

    mutating func append(_ item: RingItem) { items.append(item) }
    mutating func append(command: RingCommand) { commands.append(command) }
}
