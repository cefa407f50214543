import CSystemCalls

// An epoll instance as a `FileDescriptor`: the interest list of the daemon's ring event loops (the packed
// `struct epoll_event` stays in the C shim, which hands back each ready descriptor's token).
extension FileDescriptor {
    /// A new epoll instance (close-on-exec). The corresponding C function is `epoll_create1`.
    public static func eventPoll() throws(Errno) -> FileDescriptor {
        FileDescriptor(taking: try Syscalls.retrying { csys_epoll_create() })
    }

    /// Watches `descriptor` for input (level-triggered); `waitForPoll` reports it as `token`. The
    /// corresponding C function is `epoll_ctl(EPOLL_CTL_ADD)`.
    public func addToPoll(_ descriptor: Int32, token: UInt64) throws(Errno) {
        try Syscalls.retrying { csys_epoll_add(rawValue, descriptor, token) }
    }

    /// Stops watching `descriptor`. The corresponding C function is `epoll_ctl(EPOLL_CTL_DEL)`.
    public func removeFromPoll(_ descriptor: Int32) throws(Errno) {
        try Syscalls.retrying { csys_epoll_remove(rawValue, descriptor) }
    }

    /// Waits until watched descriptors are ready or `timeoutMilliseconds` passed (-1: no limit); writes
    /// their tokens to the front of `tokens` (at most its count, at most 64) and returns how many. The
    /// corresponding C function is `epoll_wait`.
    public func waitForPoll(into tokens: inout [UInt64], timeoutMilliseconds: Int32) throws(Errno) -> Int {
        let fd = rawValue
        let n = try tokens.withUnsafeMutableBufferPointer { (b: inout UnsafeMutableBufferPointer<UInt64>) throws(Errno) -> Int32 in
            try Syscalls.retrying { csys_epoll_wait(fd, b.baseAddress, Int32(min(b.count, 64)), timeoutMilliseconds) }
        }
        return Int(n)
    }
}
