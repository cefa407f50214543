import Foundation
import Synchronization
import Testing

@testable import SCSIEmu

/// The device's ordering lock (`SharedExclusiveLock`): shared holders are counted in while no exclusive
/// holder waits or runs, and take the rwlock shared while one does; an exclusive holder runs alone.
/// Orders are checked by a log, each step waiting for the state it needs (no sleeps, no timings).
@Suite("Shared/exclusive ordering lock")
struct SharedExclusiveLockTests {
    /// A log several threads append to.
    final class Log: Sendable {
        private let entries = Mutex<[String]>([])
        func add(_ e: String) { entries.withLock { $0.append(e) } }
        var all: [String] { entries.withLock { $0 } }
    }

    @Test func anExclusiveHolderWaitsForASharedHolderCountedIn() async {
        let lock = SharedExclusiveLock(), log = Log()
        let sharedIn = DispatchSemaphore(value: 0)
        let reader = Thread {
            lock.shared {
                log.add("shared in")
                sharedIn.signal()
                // Leave only once the exclusive holder is waiting: it must not run before this returns.
                while !lock.exclusiveWaitingOrRunning { sched_yield() }
                log.add("shared out")
            }
        }
        reader.start()
        sharedIn.wait()
        lock.exclusive { log.add("exclusive") }
        #expect(log.all == ["shared in", "shared out", "exclusive"])
        #expect(!lock.exclusiveWaitingOrRunning)
    }

    @Test func aSharedHolderWaitsForTheExclusiveHolderAndNestedSharedHoldsWork() {
        let lock = SharedExclusiveLock(), log = Log()
        let exclusiveIn = DispatchSemaphore(value: 0), readerStarting = DispatchSemaphore(value: 0)
        let writerDone = DispatchSemaphore(value: 0), readerDone = DispatchSemaphore(value: 0)
        let release = Atomic<Bool>(false)
        let writer = Thread {
            lock.exclusive {
                log.add("exclusive in")
                exclusiveIn.signal()
                while !release.load(ordering: .sequentiallyConsistent) { sched_yield() }
                log.add("exclusive out")
            }
            writerDone.signal()
        }
        writer.start()
        exclusiveIn.wait()
        #expect(lock.sharedIfFree { 1 } == nil)
        let reader = Thread {
            readerStarting.signal()
            lock.shared { lock.shared { log.add("shared") } }
            readerDone.signal()
        }
        reader.start()
        readerStarting.wait()
        release.store(true, ordering: .sequentiallyConsistent)
        readerDone.wait()
        writerDone.wait()
        #expect(log.all == ["exclusive in", "exclusive out", "shared"])
        #expect(lock.sharedIfFree { 2 } == 2)
        #expect(lock.shared { lock.shared { 3 } } == 3)
    }
}
