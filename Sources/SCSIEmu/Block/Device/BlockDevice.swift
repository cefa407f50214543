import Sense
import Synchronization

/// How a disk is set up: what configfs says (block size, size, max sectors, serial) plus the config
/// string's options (read-only, thin provisioning).
public struct BlockDeviceConfiguration: Sendable, Hashable {
    /// The logical block length in bytes (configfs `hw_block_size`): 512…65536, a power of two.
    public var blockSize: UInt32 = 512
    /// Number of logical blocks; nil: the store's size / block size.
    public var blockCount: UInt64?
    /// MAXIMUM TRANSFER LENGTH in blocks (configfs `hw_max_sectors`).
    public var maxTransferBlocks: UInt32 = 128
    public var readOnly = false
    /// Logical block provisioning management (LBPME): UNMAP, WRITE SAME with UNMAP, GET LBA STATUS.
    public var thinProvisioning = true
    /// The Caching page's WCE at start (MODE SELECT can change it).
    public var writeCacheEnabled = true
    /// The unit serial (configfs `wwn/vpd_unit_serial`): VPD 80h and the NAA designator of VPD 83h.
    public var serial = ""
    /// The whole config string, reported in VPD 83h as tcmu-runner does.
    public var configString = ""

    public init() {}
}

/// A disk (SBC-4) over a backing store: the generic SBC path every storage handler (`file`, `qcow`)
/// shares.
///
/// Concurrency: storage commands run on several I/O threads at once. Every command that reads or writes
/// the medium holds `ordering` shared; COMPARE AND WRITE and FORMAT UNIT hold it exclusively, so a COMPARE
/// AND WRITE is atomic with respect to every other read and write of any range (SBC-4 §5.3), and FORMAT
/// UNIT never interleaves with I/O. Mutable state (write cache, capacity) is atomic.
public final class BlockDevice: SPCDevice {
    public let unit: LogicalUnit
    public let store: any BackingStore
    public let blockSize: UInt32
    public let isReadOnly: Bool
    public let isThin: Bool
    public let maxTransferBlocks: UInt32
    let limits: BlockLimits
    let ordering = SharedExclusiveLock()
    /// The EXTENDED COPY results RECEIVE COPY RESULTS reports.
    let copyResults = CopyResults()
    private let blocks: Atomic<UInt64>
    private let writeCache: Atomic<Bool>

    /// Builds a disk over `store`.
    /// - Throws: `StoreError.unsupported` for a block size that is not a power of two in 512…65536, or a
    ///   store smaller than the configured size.
    public init(store: any BackingStore, configuration c: BlockDeviceConfiguration) throws(StoreError) {
        guard c.blockSize >= 512, c.blockSize <= 65536, c.blockSize.nonzeroBitCount == 1 else {
            throw .unsupported("block size \(c.blockSize): must be a power of two from 512 to 65536")
        }
        let available = store.size / UInt64(c.blockSize)
        let count = c.blockCount ?? available
        guard count <= available else {
            throw .unsupported("\(store.description) holds \(available) blocks of \(c.blockSize), fewer than \(count)")
        }
        self.store = store
        self.blockSize = c.blockSize
        self.isReadOnly = c.readOnly || store.isReadOnly
        self.isThin = c.thinProvisioning && store.discardGranularity > 0
        self.commandTable = isThin ? Self.thinTable : Self.fullTable
        self.maxTransferBlocks = max(1, c.maxTransferBlocks)
        self.limits = BlockLimits(
            blockSize: c.blockSize, maxTransferBlocks: max(1, c.maxTransferBlocks), thin: isThin,
            discardGranularity: store.discardGranularity)
        self.blocks = Atomic(count)
        self.writeCache = Atomic(c.writeCacheEnabled)
        self.unit = LogicalUnit(
            identity: DeviceIdentity(
                peripheralType: 0, vendor: "LIO-ORG", product: "TCMU device", revision: "0002", serial: c.serial,
                configString: c.configString,
                versionDescriptors: Self.versionDescriptors),
            modePages: [
                .readWriteErrorRecovery, .caching(writeCacheEnabled: c.writeCacheEnabled),
                .control(descriptorSense: false),
            ])
    }

    /// The disk claims SPC-4 (INQUIRY VERSION 06h), SBC-3 and SBC-4. Every SPC command it implements
    /// behaves as SPC-4 defines it, and SPC-4 is what LIO's own disks claim; initiators and test suites
    /// written for SPC-4 (libiscsi 1.19 accepts VERSION 04h–06h only, and treats a disk without the
    /// SBC-3 descriptor 04C0h as SBC-2, whose Block Limits page is 8 bytes long) see a disk they know.
    static let versionDescriptors = [
        VersionDescriptor.sam5, VersionDescriptor.spc4, VersionDescriptor.sbc3, VersionDescriptor.sbc4,
    ]

    /// The number of logical blocks.
    public var blockCount: UInt64 { blocks.load(ordering: .relaxed) }
    /// Whether writes may complete before they are durable (Caching page WCE).
    public var writeCacheEnabled: Bool { writeCache.load(ordering: .relaxed) }

    /// The thin or the full table, chosen once: a stored `let` is read in place per command (a computed
    /// property would copy the table, retaining its arrays, on every command).
    public let commandTable: CommandTable<BlockDevice>

    // MARK: - EmulatedDevice

    public func resize(toBytes size: UInt64) throws(Sense) {
        // The RECONFIG size comes from outside: beyond the limit it never reaches the store.
        guard (try? DeviceSizeLimit.check(size)) != nil else { throw Sense(.illegalRequest, .parameterValueInvalid) }
        do throws(StoreError) {
            try store.resize(to: size)
        } catch {
            throw error.sense(writing: true)
        }
        blocks.store(size / UInt64(blockSize), ordering: .relaxed)
        unit.raiseUnitAttention(.capacityDataHasChanged)
    }

    public func close() { store.close() }

    // MARK: - SPCDevice hooks

    public var deviceVPDPageCodes: [UInt8] { [0xB0, 0xB1, 0xB2] }

    /// 3PC: this logical unit's copy manager runs EXTENDED COPY (LID1) (SPC-4, standard INQUIRY data).
    public var supportsExtendedCopy: Bool { true }

    public var modeBlockDescriptor: ModeBlockDescriptor? {
        ModeBlockDescriptor(numberOfBlocks: blockCount, blockLength: blockSize)
    }

    /// WP (bit 7) when read-only; DPOFUA (bit 4): DPO and FUA are supported (SBC-4 §6.5.2).
    public var modeDeviceSpecificParameter: UInt8 { (isReadOnly ? 0x80 : 0) | 0x10 }

    public func modePagesChanged() {
        let wce = unit.withState { s in
            s.modePages.first { $0.code == 0x08 && $0.subpage == 0 }.map { $0.current.count > 2 && $0.current[2] & 0x04 != 0 }
        }
        if let wce { writeCache.store(wce, ordering: .relaxed) }
    }

    // MARK: - Shared checks

    /// LOGICAL BLOCK ADDRESS OUT OF RANGE unless `count` blocks from `lba` lie on the medium (SBC-4 §4.5).
    func checkRange(_ lba: UInt64, _ count: UInt64) throws(Sense) {
        let capacity = blockCount
        guard lba <= capacity, count <= capacity - lba else {
            throw Sense(.illegalRequest, .logicalBlockAddressOutOfRange)
        }
    }

    /// DATA PROTECT / WRITE PROTECTED on a read-only unit.
    func checkWritable() throws(Sense) {
        if isReadOnly { throw Sense(.dataProtect, .writeProtected) }
    }

    /// The Data-Out of a write must hold exactly the blocks the CDB names (LIO rejects both an underflow
    /// and an overflow of a write CDB the same way: INVALID FIELD IN COMMAND INFORMATION UNIT).
    func checkDataOut(_ cmd: SCSICommand, bytes: Int) throws(Sense) {
        guard cmd.dataOut.count == bytes else {
            throw Sense(.illegalRequest, .invalidFieldInCommandInformationUnit)
        }
    }

    /// The store's byte offset of `lba`.
    @inline(__always) func byteOffset(_ lba: UInt64) -> UInt64 { lba * UInt64(blockSize) }

    /// Runs a store operation, turning its failure into sense data.
    @inline(__always)
    func storeIO<R>(writing: Bool, _ body: () throws(StoreError) -> R) throws(Sense) -> R {
        do throws(StoreError) {
            return try body()
        } catch {
            throw error.sense(writing: writing)
        }
    }

    /// Makes every completed write durable (SYNCHRONIZE CACHE, START STOP UNIT stop).
    func flushStore() throws(Sense) {
        try storeIO(writing: true) { () throws(StoreError) in try store.flush() }
    }
}
