import Synchronization

/// The mailbox at the start of a TCMU map, as values plus the two shared indices.
///
/// `version`, `flags`, `cmdr_off` and `cmdr_size` are read once at open (the kernel never changes them);
/// `cmd_head` (kernel → user) and `cmd_tail` (user → kernel) are atomics in the shared memory: load head
/// with acquire (entries written before it are visible), store tail with release (completions written
/// before it are visible). The pointers stay valid while the `MappedRegion` they came from lives.
public struct Mailbox: @unchecked Sendable {
    public let version: UInt16
    public let capabilities: TCMUABI.Capabilities
    /// Offset of the command ring from the start of the map.
    public let commandRingOffset: Int
    /// Size of the command ring in bytes.
    public let commandRingSize: Int
    /// `cmd_head`: written by the kernel.
    public let head: UnsafePointer<Atomic<UInt32>>
    /// `cmd_tail`: written by userspace.
    public let tail: UnsafePointer<Atomic<UInt32>>

    /// Reads the mailbox of `region` (at least 128 bytes long, else a precondition fails: the caller
    /// checks the map size first).
    public init(region: borrowing MappedRegion) {
        typealias F = TCMUABI.MailboxField
        self.version = region.load(UInt16.self, at: F.version) ?? 0
        self.capabilities = TCMUABI.Capabilities(rawValue: region.load(UInt16.self, at: F.flags) ?? 0)
        self.commandRingOffset = Int(region.load(UInt32.self, at: F.commandRingOffset) ?? 0)
        self.commandRingSize = Int(region.load(UInt32.self, at: F.commandRingSize) ?? 0)
        self.head = region.atomicUInt32(at: F.commandHead)
        self.tail = region.atomicUInt32(at: F.commandTail)
    }

    /// `cmd_head`, acquire-loaded.
    @inlinable public func loadHead() -> UInt32 { head.pointee.load(ordering: .acquiring) }
    /// `cmd_tail`, acquire-loaded.
    @inlinable public func loadTail() -> UInt32 { tail.pointee.load(ordering: .acquiring) }
    /// Publishes `cmd_head` (the kernel's side).
    @inlinable public func storeHead(_ v: UInt32) { head.pointee.store(v, ordering: .releasing) }
    /// Publishes `cmd_tail` (userspace's side).
    @inlinable public func storeTail(_ v: UInt32) { tail.pointee.store(v, ordering: .releasing) }
}
