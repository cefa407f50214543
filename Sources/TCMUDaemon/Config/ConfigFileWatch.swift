#if canImport(Glibc)
import Glibc
#endif
import Foundation
import SystemCalls
import Synchronization

/// Calls `onChange` on its own thread after a config file changed: written and closed in place (also
/// when it was new), replaced by a rename (how vim, nano and `sed -i` save), or removed. inotify watches the
/// file's *directory*, as tcmu-runner does, since a rename-replace leaves a watch on the old file
/// dead; events for other names in the directory are ignored, and one read of events gives at most
/// one call. The thread starts with SIGTERM, SIGINT and SIGHUP blocked, so those keep reaching only
/// the daemon's signal descriptor.
public final class ConfigFileWatch: Sendable {
    public let path: String
    private let inotify: Int32
    private let wake: Int32
    private let state = State()

    /// What the watching thread shares with `stop()`.
    private final class State: Sendable {
        let stopped = Atomic<Bool>(false)
        let finished = Atomic<Bool>(false)
    }

    /// Events that mean the file now holds something else: closed after writing, renamed or moved
    /// into place, removed or renamed away. Not IN_CREATE: a new file is empty until its writer
    /// closes it, which IN_CLOSE_WRITE reports.
    static let mask: UInt32 = UInt32(IN_CLOSE_WRITE | IN_MOVED_TO | IN_DELETE | IN_MOVED_FROM)

    /// Starts watching. - Throws: the errno of `inotify_init1` or `inotify_add_watch` (ENOENT when the
    /// directory does not exist).
    public init(path: String, onChange: @escaping @Sendable () -> Void) throws(Errno) {
        self.path = path
        let slash = path.lastIndex(of: "/")
        let directory = slash.map { $0 == path.startIndex ? "/" : String(path[..<$0]) } ?? "."
        let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
        let inotify = try Syscalls.retrying { inotify_init1(Int32(IN_CLOEXEC | IN_NONBLOCK)) }
        let wake: Int32
        do throws(Errno) {
            _ = try Syscalls.retrying { inotify_add_watch(inotify, directory, Self.mask) }
            wake = try Syscalls.eventfd(nonBlocking: true)
        } catch {
            try? Syscalls.close(inotify)
            throw error
        }
        (self.inotify, self.wake) = (inotify, wake)
        let state = state
        Self.withDaemonSignalsBlocked {
            let thread = Thread {
                // Again inside the thread: a runtime that resets the mask of new threads must not let
                // SIGTERM's default action (exit 143) reach this one (seen in the kernel VM).
                Self.withDaemonSignalsBlocked(restoring: false) {}
                Self.serve(inotify: inotify, wake: wake, name: name, state: state, onChange: onChange)
                state.finished.store(true, ordering: .releasing)
            }
            thread.name = "config-watch"
            thread.start()
        }
    }

    deinit { stop() }

    /// Ends the thread (waits for it, at most about a second) and closes the descriptors.
    public func stop() {
        guard !state.stopped.exchange(true, ordering: .acquiringAndReleasing) else { return }
        try? Syscalls.writeInteger(wake, UInt64(1))
        for _ in 0..<100 where !state.finished.load(ordering: .acquiring) { Syscalls.sleep(milliseconds: 10) }
        try? Syscalls.close(inotify)
        try? Syscalls.close(wake)
    }

    private static func serve(
        inotify: Int32, wake: Int32, name: String, state: State, onChange: () -> Void
    ) {
        var buffer = [UInt8](repeating: 0, count: 4096)
        while !state.stopped.load(ordering: .acquiring) {
            guard let ready = try? Syscalls.poll([inotify, wake], events: Int16(POLLIN), timeoutMilliseconds: -1),
                ready[0] != 0, !state.stopped.load(ordering: .acquiring)
            else { continue }
            var changed = false
            while let n = try? buffer.withUnsafeMutableBytes({ buf in
                Result { () throws(Errno) in try Syscalls.read(inotify, into: buf) }
            }).get(), n > 0 {
                changed = changed || InotifyEvents(buffer[0..<n]).contains { $0.mask & mask != 0 && $0.name == name }
            }
            if changed { onChange() }
        }
    }

    private static func withDaemonSignalsBlocked(restoring: Bool = true, _ body: () -> Void) {
        var block = sigset_t()
        var previous = sigset_t()
        sigemptyset(&block)
        for s in [SIGTERM, SIGINT, SIGHUP] { sigaddset(&block, s) }
        pthread_sigmask(SIG_BLOCK, &block, &previous)
        body()
        if restoring { pthread_sigmask(SIG_SETMASK, &previous, nil) }
    }
}

/// The records of one `read` of an inotify descriptor. Each is
///
/// | offset | size | field                                  |
/// |--------|------|----------------------------------------|
/// | 0      | 4    | wd (watch descriptor)                  |
/// | 4      | 4    | mask (IN_* bits)                       |
/// | 8      | 4    | cookie (pairs MOVED_FROM/MOVED_TO)     |
/// | 12     | 4    | len: bytes of name, NUL padded         |
/// | 16     | len  | name (NUL-terminated, then padding)    |
///
/// in host byte order. A record that runs past the bytes read ends the sequence.
struct InotifyEvents: Sequence {
    struct Event: Equatable {
        var mask: UInt32
        var name: String
    }

    let bytes: ArraySlice<UInt8>
    init(_ bytes: ArraySlice<UInt8>) { self.bytes = bytes }

    func makeIterator() -> AnyIterator<Event> {
        var offset = bytes.startIndex
        let bytes = self.bytes
        func u32(_ at: Int) -> UInt32 {
            // The kernel writes host order: assemble little-endian, then convert from it.
            UInt32(littleEndian: (0..<4).reduce(UInt32(0)) { $0 | UInt32(bytes[at + $1]) << (8 * $1) })
        }
        return AnyIterator {
            guard bytes.endIndex - offset >= 16 else { return nil }
            let length = Int(u32(offset + 12))
            guard length <= bytes.endIndex - offset - 16 else { return nil }
            let nameBytes = bytes[(offset + 16)..<(offset + 16 + length)].prefix { $0 != 0 }
            let event = Event(mask: u32(offset + 4), name: String(decoding: nameBytes, as: UTF8.self))
            offset += 16 + length
            return event
        }
    }
}
