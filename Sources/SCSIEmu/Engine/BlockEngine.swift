import Sense
import Synchronization

/// The one SBC data path: logical blocks over one `BackingStore`. The disk, the zoned disk and the optical
/// drive all read, write, verify and flush through it (as QEMU's scsi-disk.c serves disk and CD-ROM from
/// one state, and scsi_debug checks zone write pointers inside its one write path).
///
/// What differs between the kinds plugs in around it, never inside:
/// - a `WritePointerPolicy` (the zoned disk's zone rules, a recordable disc's sequential recording, a
///   CUE/BIN disc's audio tracks) sees every read before it runs and wraps every write;
/// - a medium policy (the optical drive's tray, lock and disc) decides which engine, if any, a command
///   reaches (`SBCDevice.mediaEngine()`); a write-protected disc is an engine over a read-only store.
///
/// Concurrency: storage commands run on several I/O threads at once. Reads and writes hold `ordering`
/// shared; COMPARE AND WRITE, ORWRITE and FORMAT UNIT hold it exclusively, so they are atomic with respect
/// to every other read and write (SBC-4 §5.3). A write-pointer policy orders its own writes.
public final class BlockEngine: Sendable {
    public let store: any BackingStore
    /// The logical block length in bytes.
    public let blockSize: UInt32
    /// The store's byte offset of LBA 0 (a zoned image keeps its metadata before it).
    public let origin: UInt64
    /// MAXIMUM TRANSFER LENGTH in blocks, as the kind reports it in its Block Limits page; 0: none
    /// reported, none enforced (SBC-4 §6.6.4).
    public let maxTransferBlocks: UInt32
    public let isReadOnly: Bool
    public let writePointers: (any WritePointerPolicy)?
    /// The store, when it submits asynchronously and no write-pointer policy orders the writes
    /// (`BlockEngine+Submit`); nil: every command runs synchronously.
    public let asyncStore: (any AsyncBackingStore)?
    /// The store, when it can serve a read without waiting and no write-pointer policy sees the reads
    /// (`readWithoutBlocking`); nil: a read that must not block is always declined.
    public let cachedReads: (any CachedReadStore)?
    /// The store is a `CachedWriteStore` and no write-pointer policy orders the writes: a write that need
    /// not be durable may run on the ring thread (`writeIntoCache`).
    public let cachedWrites: Bool
    /// The store, when it is a `FileStore`: READ calls its `read` directly (inlined down to the `pread`)
    /// instead of through the `BackingStore` witness. Each call level between the runner and the system
    /// call costs a READ ≈ 6 ns: the returns after the system call are mispredicted (docs/performance.md,
    /// session 16, round 2).
    let fileStore: FileStore?
    let ordering = SharedExclusiveLock()
    private let blocks: Atomic<UInt64>
    private let writeCache: Atomic<Bool>

    public init(
        store: any BackingStore, blockSize: UInt32, blockCount: UInt64, origin: UInt64 = 0,
        maxTransferBlocks: UInt32 = 0, readOnly: Bool = false, writeCacheEnabled: Bool = true,
        writePointers: (any WritePointerPolicy)? = nil
    ) {
        self.store = store
        self.blockSize = blockSize
        self.origin = origin
        self.maxTransferBlocks = maxTransferBlocks
        self.isReadOnly = readOnly || store.isReadOnly
        self.writePointers = writePointers
        self.asyncStore = writePointers == nil ? store as? any AsyncBackingStore : nil
        self.cachedReads = writePointers == nil ? store as? any CachedReadStore : nil
        self.cachedWrites = writePointers == nil && store is any CachedWriteStore
        self.fileStore = store as? FileStore
        self.blocks = Atomic(blockCount)
        self.writeCache = Atomic(writeCacheEnabled)
    }

    /// The number of logical blocks.
    public var blockCount: UInt64 { blocks.load(ordering: .relaxed) }
    func setBlockCount(_ n: UInt64) { blocks.store(n, ordering: .relaxed) }

    /// Whether writes may complete before they are durable (the Caching page's WCE).
    public var writeCacheEnabled: Bool {
        get { writeCache.load(ordering: .relaxed) }
    }
    public func setWriteCacheEnabled(_ on: Bool) { writeCache.store(on, ordering: .relaxed) }

    // MARK: - Checks every kind makes the same way

    /// LOGICAL BLOCK ADDRESS OUT OF RANGE unless `count` blocks from `lba` lie on the medium (SBC-4 §4.5).
    /// Inlined (every READ and WRITE asks), the sense built out of line.
    @inline(__always) public func checkRange(_ lba: UInt64, _ count: UInt64) throws(Sense) {
        let capacity = blockCount
        guard lba <= capacity, count <= capacity - lba else { throw Self.outOfRange() }
    }

    @inline(never) static func outOfRange() -> Sense { Sense(.illegalRequest, .logicalBlockAddressOutOfRange) }

    /// DATA PROTECT / WRITE PROTECTED on a read-only unit or disc (SBC-4 §4.13, MMC-6 §4.2.3).
    @inline(__always) public func checkWritable() throws(Sense) {
        if isReadOnly { throw Self.writeProtected() }
    }

    @inline(never) static func writeProtected() -> Sense { Sense(.dataProtect, .writeProtected) }

    /// INVALID FIELD IN CDB at the TRANSFER LENGTH field when it exceeds a reported MAXIMUM TRANSFER
    /// LENGTH (SBC-4 §6.6.4). Inlined (every READ and WRITE asks), the sense built out of line.
    @inline(__always) public func checkTransferLength(_ cdb: CDB, _ count: UInt32) throws(Sense) {
        if maxTransferBlocks != 0, count > maxTransferBlocks { throw Self.transferTooLong(cdb.count) }
    }

    @inline(never) static func transferTooLong(_ cdbLength: Int) -> Sense {
        SPC.invalidFieldInCDB(byte: transferLengthByte(cdbLength))
    }

    /// The Data-Out must hold exactly the bytes the CDB names. Shorter or longer is ILLEGAL REQUEST /
    /// INVALID FIELD IN COMMAND INFORMATION UNIT (0E/03) for every kind, before anything is written:
    /// SAM-5 §5.4.3 leaves an overrun or underrun of a write to the device server, and LIO answers it
    /// so for its own backends (target_cmd_size_check); nothing is ever written from a partial buffer.
    /// Always inlined: the command is passed by value, and a call copied it whole (a `memcpy` per WRITE).
    @inline(__always)
    public func checkDataOut(_ cmd: SCSICommand, bytes: Int) throws(Sense) {
        guard cmd.dataOut.count == bytes else {
            throw Sense(.illegalRequest, .invalidFieldInCommandInformationUnit)
        }
    }

    /// The byte of the TRANSFER LENGTH field in a READ/WRITE-style CDB of this length.
    static func transferLengthByte(_ cdbLength: Int) -> Int {
        switch cdbLength {
        case 6: 4
        case 10: 7
        case 12: 6
        case 32: 28
        default: 10
        }
    }

    /// The store's byte offset of `lba`.
    @inline(__always) public func byteOffset(_ lba: UInt64) -> UInt64 { origin + lba * UInt64(blockSize) }

    /// Runs a store operation on blocks from `lba`, turning its failure into sense data: a MEDIUM ERROR
    /// carries the LBA of the first block that failed in INFORMATION (SBC-4 §4.18.1).
    @inline(__always)
    public func storeIO<R>(at lba: UInt64? = nil, writing: Bool, _ body: () throws(StoreError) -> R) throws(Sense) -> R {
        do throws(StoreError) {
            return try body()
        } catch {
            throw error.sense(writing: writing, firstBlock: firstFailedBlock(error, lba))
        }
    }

    func firstFailedBlock(_ error: StoreError, _ lba: UInt64?) -> UInt64? {
        if case .endOfMedium(let byte) = error { return byte < origin ? 0 : (byte - origin) / UInt64(blockSize) }
        return lba
    }

    /// Makes every completed write, and the write pointers covering it, durable.
    public func synchronize() throws(Sense) {
        if let writePointers { return try writePointers.synchronize() }
        try storeIO(writing: true) { () throws(StoreError) in try store.flush() }
    }
}
