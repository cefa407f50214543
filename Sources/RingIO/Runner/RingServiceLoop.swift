import Dispatch
import Foundation
import Logging
import SCSIEmu
import Sense
import Synchronization
import SystemCalls

/// Serves one TCMU device: drains the ring, runs commands and completes them, with `route.isStorageIO`
/// commands handed to I/O workers, whose completions go out of order.
///
/// Started on a `RingScheduler` (the daemon), the ring is one of many that an event loop thread serves and
/// its storage commands go to the scheduler's shared worker pool: no thread of its own. Started alone
/// (`start()`), it has its own ring thread and `ioWorkers` workers.
///
/// Completion writes are serialized by the ring's mutex; the doorbell is rung once per drained batch
/// (and once per worker take).
public final class RingServiceLoop: Sendable {
    public let name: String
    let device: any EmulatedDevice
    let ring: MappedRing
    let doorbell: any RingDoorbell
    let logger: Logger
    public let ioWorkers: Int
    /// Storage commands waiting for a worker (nil without workers: every command runs where it is drained).
    let queue: WorkQueue?
    /// The event loops and worker pool that serve this ring; nil: its own ring thread and workers.
    let scheduler: RingScheduler?
    /// Capture (corpus): sees every executed command; nil costs one check per command.
    let observer: (any CommandObserver)?

    /// Another ring is served by the same event loop (set by the loop): a lone storage command then goes
    /// to the workers, as running it on the loop would hold up the other rings for its I/O.
    let sharesLoop = Atomic<Bool>(false)
    let stopping = Atomic<Bool>(false)
    let reportedStop = Atomic<Bool>(false)
    /// Whether trace logging is on (read once: the logger is a `let`, and asking its handler for the
    /// level on every command costs an existential copy).
    let tracing: Bool
    /// The ring thread's reusable batch (locked once per batch; only the ring thread or a test's
    /// `serviceRing` call takes it). A `PthreadMutex`, as the other state ring threads share: tests call
    /// `serviceRing` from threads of their own, and ThreadSanitizer sees no edge through `Mutex`'s futex.
    let batch: PthreadMutex<RingBatch>
    /// How the ring is being served: its own thread (joined by `stop`), or a loop's registration.
    let serving: Mutex<Serving?>
    /// Completions a fault rule delayed or held.
    let deferred: DeferredCompletions
    /// The device's store submits asynchronously: the ring thread dispatches the rows that can complete
    /// from its callback (`RingServiceLoop+Async`). Needs OOOC, as the workers do.
    let asyncStore: Bool
    /// Commands submitted to the store and not yet completed (`stop` waits for them).
    let inFlight = Atomic<Int>(0)
    /// The device's store can read without waiting: the ring thread serves the cached reads it would
    /// hand to a worker itself (`RingServiceLoop+Inline`). Needs workers (without, it runs them all).
    let inlineReads: Bool
    /// The device's store takes writes into a cache: the ring thread runs the WRITEs it would hand to a
    /// worker itself while its gate is open (`RingServiceLoop+Inline`); nil: every one goes to the workers.
    let inlineWrites: InlineWritePolicy?
    /// The gate of a ring served on its own thread, a test's or the benchmark's (`serviceRing()`); on an
    /// event loop the loop's gate, shared by its rings, is used instead.
    let ownWriteGate: InlineWriteGate?

    enum Serving: Sendable {
        case ownThread(DispatchSemaphore)
        case loop(RingEventLoop, token: UInt64)
    }

    /// - Parameters:
    ///   - ioWorkers: storage commands this ring may have running at once (its own worker threads, or its
    ///     share of the scheduler's pool; the scheduler's `storageConcurrency` in its place when set); 0 runs
    ///     every command where it is drained. Workers need the kernel's OOOC capability (none are used
    ///     without it).
    ///   - scheduler: serve on these event loops and this worker pool (the daemon's `RingScheduler.shared`);
    ///     nil: a ring thread and `ioWorkers` worker threads of its own.
    ///   - observer: sees every executed command (corpus capture); nil when not capturing.
    ///   - asynchronousStore: dispatch on the ring thread the commands a device's asynchronous store
    ///     completes (`RingServiceLoop+Async`); false sends them to the workers too (the benchmark's
    ///     blocking baseline).
    ///   - inlineReads: serve on the ring thread the reads its store holds at hand (`RingServiceLoop+Inline`);
    ///     off with the scheduler's `inlineReads` off (`EMUD_INLINE_READS=0`).
    ///   - inlineWrites: run on the ring thread the writes its store takes into a cache, timed and bounded
    ///     (`InlineWritePolicy`; the scheduler's policy in its place, nil when it has none,
    ///     `EMUD_INLINE_WRITE_US=0`); nil sends every write with others in flight to the workers.
    ///   - heldWrites: the reorder buffer's bound (default: `HeldWriteBound.default(for: ring)`).
    public init(
        name: String, device: any EmulatedDevice, ring: MappedRing, doorbell: any RingDoorbell, ioWorkers: Int = 0,
        scheduler: RingScheduler? = nil, observer: (any CommandObserver)? = nil, asynchronousStore: Bool = true,
        inlineReads: Bool = true, inlineWrites: InlineWritePolicy? = InlineWritePolicy(), heldWrites: HeldWriteBound? = nil,
        logger: Logger
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
        let asked = scheduler?.storageConcurrency ?? ioWorkers
        let workers = ring.capabilities.contains(.outOfOrderCompletion) ? max(0, asked) : 0
        self.ioWorkers = workers
        self.scheduler = scheduler
        let pool = scheduler?.pool ?? IOWorkerPool(name: name, minimumWorkers: workers, maximumWorkers: workers)
        self.queue = workers > 0 ? WorkQueue(pool: pool, concurrency: workers) : nil
        self.asyncStore = asynchronousStore && workers > 0 && device.submitsAsynchronously
        self.inlineReads = inlineReads && (scheduler?.inlineReads ?? true) && workers > 0 && device.readsWithoutBlocking
        let writes = scheduler == nil ? inlineWrites : inlineWrites.flatMap { _ in scheduler?.inlineWrites }
        self.inlineWrites = workers > 0 && device.writesToCache ? writes : nil
        self.ownWriteGate = scheduler == nil ? self.inlineWrites.map(InlineWriteGate.init) : nil
        self.batch = PthreadMutex(RingBatch(capacity: 256))
        self.serving = Mutex(nil)
        self.deferred = DeferredCompletions(device: device, waitBound: heldWrites ?? .default(for: ring))
        deferred.faults?.attach(logger: self.logger)
    }

    // MARK: - Serving

    /// Starts serving the ring: on the scheduler's least busy event loop, or on a ring thread of its own;
    /// storage commands go to the pool's workers (started as needed).
    public func start() {
        let started = serving.withLock { (serving: inout Serving?) -> Bool in
            guard serving == nil else { return false }
            if let queue {
                queue.runner = self
                queue.pool.attach(queue)
            }
            if let scheduler {
                let loop = scheduler.leastBusyLoop()
                serving = .loop(loop, token: loop.register(self))
            } else {
                serving = .ownThread(spawn("ring \(name)") { [self] in ringLoop() })
            }
            return true
        }
        if started {
            logger.info("serving", metadata: ["ioWorkers": "\(ioWorkers)", "ringBytes": "\(ring.ringSize)",
                                              "thread": "\(scheduler == nil ? "own" : "shared")",
                                              "async": "\(asyncStore)", "inlineReads": "\(inlineReads)",
                                              "inlineWrites": "\(inlineWrites.map { "\($0.bound)" } ?? "off")"])
        }
    }

    /// Stops reading the ring, lets the workers run what is queued, publishes the last completions and
    /// returns once nothing of this ring runs any more. Blocks.
    public func stop() {
        stopping.store(true, ordering: .releasing)
        guard let how = serving.withLock({ (s: inout Serving?) -> Serving? in
            defer { s = nil }
            return s
        }) else { return }
        switch how {
        case .ownThread(let done): done.wait()
        case .loop(let loop, let token): loop.unregister(token)
        }
        if let queue {
            queue.pool.drain(queue)
            if scheduler == nil { queue.pool.shutdown() }
        }
        settleDeferred()
        settleInFlight()
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

    /// Runs a worker's take of storage commands, writes their completions under one lock, publishes and
    /// rings the doorbell once (called by the pool's workers).
    /// `completions` is the worker's scratch, left empty.
    func run(
        _ jobs: ArraySlice<RingCommand>, from queue: WorkQueue,
        completions: inout [(completion: RingCompletion, slot: UInt32)]
    ) {
        for var command in jobs {
            if let c = execute(&command) { completions.append((c, command.slot)) }
        }
        // A write run here may have moved a write pointer a held write waits for.
        if deferred.hasWaitingWrites { completions += runWaitingWrites() }
        // The take stops counting before its completions can be seen: the command the kernel sends once it
        // sees them finds the device idle (and may run on the loop), as if this worker had been quicker.
        queue.outstanding.subtract(jobs.count, ordering: .releasing)
        ring.complete(completions)
        completions.removeAll(keepingCapacity: true)
        if ring.publish() { doorbell.notifyKernel() }
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
