#if canImport(Glibc)
import Glibc
#endif
import RingIO
import SystemCalls

/// The doorbell of a real TCMU device: its `/dev/uioN` descriptor.
///
/// The kernel bumps the UIO event counter when it queues entries, which makes the descriptor readable
/// (POLLIN); reading the 4-byte count clears it. Writing any 4 bytes makes the kernel reap completions.
/// The descriptor should be non-blocking; this type does not own it: the `UIORingSession` that owns it
/// stops the runner holding this doorbell before it closes the descriptor.
struct UIODoorbell: RingDoorbell {
    let fileDescriptor: Int32

    init(fileDescriptor: Int32) {
        self.fileDescriptor = fileDescriptor
    }

    var descriptor: Int32 { fileDescriptor }

    func wait(timeoutMilliseconds: Int32) -> Bool {
        let revents = (try? Syscalls.poll(fileDescriptor, events: Int16(POLLIN), timeoutMilliseconds: timeoutMilliseconds)) ?? 0
        return revents & Int16(POLLIN) != 0
    }

    func acknowledge() {
        _ = try? Syscalls.readInteger(fileDescriptor, as: UInt32.self)
    }

    func notifyKernel() {
        try? Syscalls.writeInteger(fileDescriptor, UInt32(0))
    }
}
