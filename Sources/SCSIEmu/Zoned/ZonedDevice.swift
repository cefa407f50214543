import Logging
import Sense
import Synchronization

/// A ZBC zoned disk on an image file (`zbc/…` config strings): host-managed (PDT 14h) or host-aware
/// (PDT 0 with VPD B1 ZONED 01b), ZBC-2.
///
/// Reads, writes and SYNCHRONIZE CACHE run on the shared `BlockEngine`, with the zones as its
/// write-pointer policy (`ZoneWritePointers`); zone commands work on the same `ZonedStore` under its mutex.
/// The image may be any store the disk can use: a raw file, or a qcow2 image (recognised by its magic).
public final class ZonedDevice: SBCDevice {
    public let unit: LogicalUnit
    public let geometry: ZonedGeometry
    public let engine: BlockEngine
    let zones: ZoneWritePointers
    /// What opening the image recovered from or repaired (`ZonedStore.warnings`); the handler logs them.
    public let openWarnings: [String]

    public static let table = CommandTable<ZonedDevice>(
        SPC.rows(for: ZonedDevice.self, flush: { d throws(Sense) in try d.engine.synchronize() }) + zonedRows)
    /// The table as a stored `let`: dispatch reaches it through the device at each use (a computed
    /// property would load the static and retain it every time).
    public let commandTable = ZonedDevice.table

    public static let modePages: [ModePage] = [
        .readWriteErrorRecovery, .caching(writeCacheEnabled: true), .control(descriptorSense: false),
        .controlExtension, .informationalExceptions,
    ]

    /// Opens the image named by `config` for a device of `deviceSize` bytes (the kernel's dev_size), on
    /// `medium` (default: the file at `config.path`, a qcow2 image when it starts with the qcow2 magic).
    public init(
        config: ZoneConfig, deviceSize: UInt64, medium: (any BackingStore)? = nil, serial: String = "",
        configString: String = "", logger: Logger? = nil
    ) throws(ZonedStoreError) {
        let opened: any BackingStore
        if let medium { opened = medium } else {
            opened = try ioError { () throws(StoreError) in try Self.openImage(config.path) }
        }
        let store: ZonedStore
        do { store = try ZonedStore.open(config: config, deviceSize: deviceSize, medium: opened) } catch {
            if medium == nil {  // a refused open closes the image, and leaves no file it created
                if let file = opened as? FileStore { file.removeIfCreated() } else { opened.close() }
            }
            throw error
        }
        self.geometry = store.geometry
        self.openWarnings = store.warnings
        self.zones = ZoneWritePointers(store, logger: logger)
        self.engine = BlockEngine(
            store: opened, blockSize: store.geometry.logicalBlockSize, blockCount: store.geometry.layout.capacity,
            origin: store.dataOffset, writePointers: zones)
        let hm = store.geometry.model == .hostManaged
        self.unit = LogicalUnit(
            identity: DeviceIdentity(
                peripheralType: hm ? 0x14 : 0x00, product: "TCMU ZBC device", serial: serial,
                configString: configString,
                versionDescriptors: [VersionDescriptor.sam6, VersionDescriptor.spc5, VersionDescriptor.sbc4, VersionDescriptor.zbc2]),
            modePages: Self.modePages)
        unit.faults.setZoneBlocks(UInt64(store.geometry.layout.zoneLength))
    }

    /// The image at `path`: a qcow2 image when it begins with the qcow2 magic ("QFI\xFB"), else a raw file
    /// (created when missing).
    static func openImage(_ path: String, readOnly: Bool = false) throws(StoreError) -> any BackingStore {
        let raw = try FileStore(path: path, readOnly: readOnly)
        guard raw.size >= 4, try raw.readBytes(count: 4, at: 0) == [0x51, 0x46, 0x49, 0xFB] else { return raw }
        raw.close()
        return try QCOW2Store(path: path, readOnly: readOnly)
    }

    /// Parses a `zbc/…` config string and opens its image (see `ZoneConfig`).
    public convenience init(configString: String, deviceSize: UInt64, serial: String = "") throws(ZonedStoreError) {
        let config = try configError { () throws(ZoneConfigError) in try ZoneConfig(parsing: configString) }
        try self.init(config: config, deviceSize: deviceSize, serial: serial, configString: configString)
    }

    // MARK: - EmulatedDevice

    public func resize(toBytes size: UInt64) throws(Sense) {
        guard size / UInt64(geometry.logicalBlockSize) == geometry.layout.capacity else {
            throw Sense(.illegalRequest, .parameterValueInvalid)  // a zoned image's geometry is fixed at format
        }
    }

    /// Remembers the writes queued when the previous daemon died: their retries are answered GOOD when
    /// the zone already holds them (`ZoneWritePointers.write`); opens the window in which a write ahead
    /// of its write pointer is held until the pointer reaches it (`ZoneWritePointers.holdAhead`).
    public func resume(after interrupted: InterruptedWrites) { zones.remember(interrupted) }

    public func mayRunHeldWrite(lba: UInt64, blocks: UInt64) -> Bool { zones.mayRunHeldWrite(lba: lba, blocks: blocks) }

    public func close() {
        try? zones.store.withLock { s throws(StoreError) in try s.commit() }
        engine.store.close()
    }

    public func mediaEngine() -> BlockEngine { engine }

    // MARK: - Zone condition control (for driver tests; not a SCSI command)

    /// Puts zone `zone` in READ ONLY or OFFLINE, flags it RWP recommended, or clears these; committed
    /// before returning. Returns false for a zone number that does not exist.
    @discardableResult
    public func setZoneCondition(zone: Int, _ forced: ZoneStateMachine.ForcedCondition) throws(StoreError) -> Bool {
        guard zone >= 0, zone < geometry.layout.zoneCount else { return false }
        try zones.store.withLock { s throws(StoreError) in try s.force(forced, zone: zone) }
        return true
    }

    /// A copy of the zone state (tests, the daemon's status output).
    public var zoneStateMachine: ZoneStateMachine { zones.store.withLock { $0.machine } }

    // MARK: - SPC hooks

    public var deviceVPDPageCodes: [UInt8] { [0xB0, 0xB1, 0xB6] }

    public func vpdPage(_ code: UInt8) -> [UInt8]? {
        let pdt = unit.identity.peripheralType
        switch code {
        case 0xB0: return SPC.wrapVPD(pdt, 0xB0, ZonedVPD.blockLimits())
        case 0xB1: return SPC.wrapVPD(pdt, 0xB1, ZonedVPD.blockDeviceCharacteristics(geometry))
        case 0xB6: return SPC.wrapVPD(pdt, 0xB6, ZonedVPD.zonedCharacteristics(geometry))
        default: return nil
        }
    }

    public var modeBlockDescriptor: ModeBlockDescriptor? {
        ModeBlockDescriptor(numberOfBlocks: geometry.layout.capacity, blockLength: geometry.logicalBlockSize)
    }

    /// DPOFUA (SBC-4 §6.5.2): DPO and FUA are supported.
    public var modeDeviceSpecificParameter: UInt8 { 0x10 }

    public func modePagesChanged() { applyCachingPage(to: engine) }
}
