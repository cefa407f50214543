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
/// shares. Reads, writes, verifies and flushes go through its `BlockEngine`; the disk adds what only a
/// disk has (thin provisioning, WRITE SAME, COMPARE AND WRITE, EXTENDED COPY, FORMAT UNIT).
public final class BlockDevice: SBCDevice {
    public let unit: LogicalUnit
    public let engine: BlockEngine
    public let isThin: Bool
    let limits: BlockLimits
    /// The EXTENDED COPY results RECEIVE COPY RESULTS reports.
    let copyResults = CopyResults()

    /// Refuses a logical block length that is not a power of two from 512 to 65536.
    public static func checkBlockSize(_ blockSize: UInt32) throws(StoreError) {
        guard blockSize >= 512, blockSize <= 65536, blockSize.nonzeroBitCount == 1 else {
            throw .unsupported("block size \(blockSize): must be a power of two from 512 to 65536")
        }
    }

    /// Builds a disk over `store`.
    /// - Throws: `StoreError.unsupported` for a block size that is not a power of two in 512…65536, or a
    ///   store smaller than the configured size.
    public init(store: any BackingStore, configuration c: BlockDeviceConfiguration) throws(StoreError) {
        try Self.checkBlockSize(c.blockSize)
        let available = store.size / UInt64(c.blockSize)
        let count = c.blockCount ?? available
        guard count <= available else {
            throw .unsupported("\(store.description) holds \(available) blocks of \(c.blockSize), fewer than \(count)")
        }
        self.engine = BlockEngine(
            store: store, blockSize: c.blockSize, blockCount: count, maxTransferBlocks: max(1, c.maxTransferBlocks),
            readOnly: c.readOnly, writeCacheEnabled: c.writeCacheEnabled)
        self.isThin = c.thinProvisioning && store.discardGranularity > 0
        self.commandTable = isThin ? Self.thinTable : Self.fullTable
        self.limits = BlockLimits(
            blockSize: c.blockSize, maxTransferBlocks: max(1, c.maxTransferBlocks), thin: isThin,
            discardGranularity: store.discardGranularity)
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

    public var store: any BackingStore { engine.store }
    public var blockSize: UInt32 { engine.blockSize }
    public var blockCount: UInt64 { engine.blockCount }

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
        engine.setBlockCount(size / UInt64(blockSize))
        unit.raiseUnitAttention(.capacityDataHasChanged)
    }

    public func close() { store.close() }

    /// Over an `AsyncBackingStore` (rbd), READ, WRITE, SYNCHRONIZE CACHE, UNMAP, WRITE SAME and COMPARE
    /// AND WRITE complete from the store's callback.
    public var submitsAsynchronously: Bool { engine.asyncStore != nil }

    /// Over a `CachedReadStore` (a file), READ is tried on the ring thread first (`readWithoutBlocking`).
    public var readsWithoutBlocking: Bool { engine.cachedReads != nil }

    /// Over a `CachedWriteStore` (a file), WRITE may run on the ring thread (`writeIntoCache`).
    public var writesToCache: Bool { engine.cachedWrites }

    // MARK: - SPCDevice hooks

    public var deviceVPDPageCodes: [UInt8] { [0xB0, 0xB1, 0xB2] }

    /// 3PC: this logical unit's copy manager runs EXTENDED COPY (LID1) (SPC-4, standard INQUIRY data).
    public var supportsExtendedCopy: Bool { true }

    public var modeBlockDescriptor: ModeBlockDescriptor? {
        ModeBlockDescriptor(numberOfBlocks: blockCount, blockLength: blockSize)
    }

    /// WP (bit 7) when read-only; DPOFUA (bit 4): DPO and FUA are supported (SBC-4 §6.5.2).
    public var modeDeviceSpecificParameter: UInt8 { (engine.isReadOnly ? 0x80 : 0) | 0x10 }

    public func modePagesChanged() { applyCachingPage(to: engine) }

    // MARK: - SBCDevice

    public func mediaEngine() -> BlockEngine { engine }
}
