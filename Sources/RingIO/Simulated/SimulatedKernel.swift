import Synchronization
import SystemCalls

/// The kernel's side of a TCMU ring, in-process: a memfd mapped twice (this object's mapping plays the
/// kernel, `makeRing()` gives userspace its own mapping of the same pages).
///
/// It fills the mailbox like target_core_user.c (version 2, OOOC | READ_LEN | TMR | KEEP_BUF), queues
/// CMD entries exactly as `queue_cmd_ring` does (entry length, PAD at wrap, one byte kept free, data
/// area in blocks, contiguous blocks merged into one iovec), queues TMR entries, and reaps completions as
/// `tcmu_handle_completions` does: by the slot's `cmd_id`, honouring UNKNOWN_OP and READ_LEN. Whatever
/// the real kernel would take as a broken ring (an unknown `cmd_id`, a tail that is misaligned or moved
/// past the head, a slot length that does not add up) throws `Failure.broken` and every later call
/// throws it too.
public final class SimulatedKernel: @unchecked Sendable {
    /// What can go wrong on the kernel side.
    public enum Failure: Error, Hashable, Sendable {
        /// The ring is broken (the real kernel would fail every command with LU COMMUNICATION FAILURE).
        case broken(String)
        /// No room in the command ring now (the real kernel would queue the command); reap and retry.
        case ringFull
        /// No room in the data area now; reap and retry.
        case dataAreaFull
        /// Larger than half the ring or than the data area: the kernel fails it (INVALID FIELD IN CDB).
        case tooLarge
    }

    /// One reaped completion, as the initiator would see it.
    public struct Completion: Sendable, Hashable {
        public var id: UInt16
        public var status: UInt8
        /// The 96-byte sense buffer for CHECK CONDITION (empty otherwise, and for UNKNOWN_OP).
        public var sense: [UInt8]
        /// The Data-In bytes transferred (READ_LEN-limited).
        public var dataIn: [UInt8]
        /// The residual the kernel reports: expected Data-In length minus `dataIn.count`, when READ_LEN
        /// applied; 0 otherwise.
        public var residual: Int
        /// Userspace set UNKNOWN_OP (the kernel fails the command with its own sense).
        public var unknownOperation: Bool
        /// The data buffer is kept (KEEP_BUF) until `freeKeptBuffer`.
        public var keptBuffer: Bool
    }

    /// A deliberate defect in the next entry, to prove the consumer survives it.
    public enum Corruption: Sendable, Hashable {
        case cdbOffsetOutsideMap
        /// The first iovec points at the mailbox.
        case iovecOutsideDataArea
        case zeroLength
        /// `len_op` claims the whole ring.
        case oversizeLength
        /// `cdb_off` points 4 bytes before the entry end.
        case cdbPastEntry
        /// `len_op`'s opcode is set to this value (3…7).
        case opcode(UInt8)
        /// Bytes written over the entry from `offset` (clipped to the entry): what a fuzzer sends.
        case overwrite(offset: Int, bytes: [UInt8])
    }

    /// A command's data-area blocks, in order: the first, and the rest linked through `State.nextBlock`
    /// (a block belongs to one command at a time, so the links need no storage of their own: nothing is
    /// allocated per command, and an `InFlight` is plain words the kernel copies without reference counting).
    struct BlockChain {
        static let end: Int32 = -1
        var first: Int32 = end
        var count: Int32 = 0
    }

    struct InFlight {
        var slot: UInt32
        var outBlocks: BlockChain
        var inBlocks: BlockChain
        var dataInLength: Int
        var bidi: Bool
        var kept: Bool
    }

    struct State {
        var head: UInt32 = 0
        var lastCleaned: UInt32 = 0
        var nextID: UInt16 = 1
        var inFlight: [InFlight?] = Array(repeating: nil, count: 65_536)
        var inFlightCount = 0
        var blockUsed: [Bool]
        /// The block after each used block in its command's chain (`BlockChain.end` for the last).
        var nextBlock: [Int32]
        /// Every data-area block below this one is in use (where `allocate` starts looking).
        var firstFree = 0
        var freeBlocks: Int
        var broken: String?
        var pads = 0
    }

    let memoryFile: FileDescriptor
    let region: MappedRegion
    let mailbox: Mailbox
    let state: PthreadMutex<State>
    /// The doorbell pair; hand it to the `RingServiceLoop`.
    public let doorbell: SimulatedDoorbell
    public let ringSize: Int
    public let dataAreaOffset: Int
    public let dataAreaSize: Int
    public let blockSize: Int
    public var mapLength: Int { dataAreaOffset + dataAreaSize }

    /// - Parameters:
    ///   - ringSize: command ring bytes (a multiple of 8; the kernel uses cmd_ring_size_mb·1 MiB − 128).
    ///   - dataAreaSize: data area bytes (a multiple of `blockSize`).
    ///   - blockSize: data area block size (`data_pages_per_blk` pages; 4 KiB by default).
    public init(
        ringSize: Int = 64 * 1024 - 128, dataAreaSize: Int = 1 << 20, blockSize: Int = 4096,
        capabilities: TCMUABI.Capabilities = [.outOfOrderCompletion, .readLength, .taskManagement, .keepBuffer]
    ) throws(Errno) {
        precondition(ringSize % 8 == 0 && ringSize >= 1024 && dataAreaSize % blockSize == 0 && blockSize > 0)
        self.ringSize = ringSize
        self.dataAreaOffset = TCMUABI.commandRingOffset + ringSize
        self.dataAreaSize = dataAreaSize
        self.blockSize = blockSize
        let fd = try FileDescriptor.memoryFile(named: "tcmu-sim")
        try fd.truncate(to: Int64(TCMUABI.commandRingOffset + ringSize + dataAreaSize))
        let r = try MappedRegion(fileDescriptor: fd, length: TCMUABI.commandRingOffset + ringSize + dataAreaSize)
        typealias F = TCMUABI.MailboxField
        r.store(TCMUABI.mailboxVersion, at: F.version)
        r.store(capabilities.rawValue, at: F.flags)
        r.store(UInt32(TCMUABI.commandRingOffset), at: F.commandRingOffset)
        r.store(UInt32(ringSize), at: F.commandRingSize)
        self.mailbox = Mailbox(region: r)
        self.region = r
        self.doorbell = try SimulatedDoorbell()
        self.memoryFile = fd
        let blocks = dataAreaSize / blockSize
        self.state = PthreadMutex(State(
            blockUsed: Array(repeating: false, count: blocks), nextBlock: Array(repeating: BlockChain.end, count: blocks),
            freeBlocks: blocks))
    }


    /// A second mapping of the same memory: userspace's view of the device.
    public func makeUserRegion() throws(Errno) -> MappedRegion {
        try MappedRegion(fileDescriptor: memoryFile, length: mapLength)
    }

    /// Userspace's ring over a second mapping.
    public func makeRing() throws -> MappedRing {
        try MappedRing(region: makeUserRegion())
    }

    /// Commands queued and not yet reaped.
    public var commandsInFlight: Int { state.withLock { $0.inFlightCount } }

    /// How many PAD entries were written at the ring end.
    public var padsWritten: Int { state.withLock { $0.pads } }

    /// Why the ring is broken, if it is.
    public var brokenReason: String? { state.withLock { $0.broken } }

    /// Waits for userspace to ring the doorbell (after publishing completions).
    public func waitForCompletions(timeoutMilliseconds: Int32) -> Bool {
        doorbell.waitForUser(timeoutMilliseconds: timeoutMilliseconds)
    }

    /// Ring bytes in use between `from` and `to` (`spc_used`).
    func used(_ to: UInt32, _ from: UInt32) -> Int { Int((to &- from &+ UInt32(ringSize)) % UInt32(ringSize)) }
}
