#if canImport(Glibc)
import Glibc
#endif
import Synchronization
import SystemCalls

/// Two eventfds standing in for the UIO descriptor of a simulated device: one the kernel side signals
/// when it queues entries, one userspace signals when it publishes completions. Owns both descriptors.
public final class SimulatedDoorbell: RingDoorbell, Sendable {
    let toUser: FileDescriptor
    let toKernel: FileDescriptor
    let kicks = Atomic<Int>(0)

    init() throws(Errno) {
        toUser = try .eventCounter(nonBlocking: true)
        toKernel = try .eventCounter(nonBlocking: true)
    }

    // MARK: - User side (RingDoorbell)

    public var descriptor: Int32 { toUser.rawValue }

    public func wait(timeoutMilliseconds: Int32) -> Bool {
        let r = (try? toUser.poll(events: Int16(POLLIN), timeoutMilliseconds: timeoutMilliseconds)) ?? 0
        return r & Int16(POLLIN) != 0
    }

    public func acknowledge() { _ = try? toUser.readInteger(as: UInt64.self) }

    public func notifyKernel() {
        kicks.add(1, ordering: .relaxed)
        try? toKernel.writeInteger(UInt64(1))
    }

    /// How many times userspace rang the kernel (one per drained batch is expected).
    public var kernelNotifications: Int { kicks.load(ordering: .relaxed) }

    // MARK: - Kernel side

    func notifyUser() { try? toUser.writeInteger(UInt64(1)) }

    /// Waits until userspace rang, then clears the signal; true when it rang.
    func waitForUser(timeoutMilliseconds: Int32) -> Bool {
        let r = (try? toKernel.poll(events: Int16(POLLIN), timeoutMilliseconds: timeoutMilliseconds)) ?? 0
        guard r & Int16(POLLIN) != 0 else { return false }
        _ = try? toKernel.readInteger(as: UInt64.self)
        return true
    }
}
