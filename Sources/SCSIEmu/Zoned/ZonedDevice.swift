import Sense
import Synchronization

/// A ZBC zoned disk on an image file (`zbc/…` config strings): host-managed (PDT 14h) or host-aware
/// (PDT 0 with VPD B1 ZONED 01b), ZBC-2.
///
/// The zone state lives in a `ZonedStore` behind a mutex: zone commands and writes run under it (the
/// zone checks, the data and the write pointer move together); reads take only a snapshot of the write
/// pointers under it and do their I/O outside.
public final class ZonedDevice: SPCDevice {
    public let unit: LogicalUnit
    public let geometry: ZonedGeometry
    let medium: any ZonedMedium
    let dataOffset: UInt64
    let store: Mutex<ZonedStore>
    /// What opening the image recovered from or repaired (`ZonedStore.warnings`); the handler logs them.
    public let openWarnings: [String]
    /// The Caching mode page's WCE: when off, every write is committed as if it had FUA.
    let writeCacheEnabled = Atomic<Bool>(true)

    public static let table = CommandTable<ZonedDevice>(
        SPC.rows(for: ZonedDevice.self, flush: { d throws(Sense) in try d.synchronize() }) + zonedRows)
    public var commandTable: CommandTable<ZonedDevice> { Self.table }

    public static let modePages: [ModePage] = [
        .readWriteErrorRecovery, .caching(writeCacheEnabled: true), .control(descriptorSense: false),
        .controlExtension, .informationalExceptions,
    ]

    /// Opens the image named by `config` for a device of `deviceSize` bytes (the kernel's dev_size), on
    /// `medium` (default: the file at `config.path`).
    public init(
        config: ZoneConfig, deviceSize: UInt64, medium: (any ZonedMedium)? = nil, serial: String = "",
        configString: String = ""
    ) throws(ZonedStoreError) {
        let opened: any ZonedMedium
        if let medium {
            opened = medium
        } else {
            opened = try ioError { () throws(MediumError) in try ZonedFile(path: config.path) }
        }
        let store = try ZonedStore.open(config: config, deviceSize: deviceSize, medium: opened)
        self.geometry = store.geometry
        self.openWarnings = store.warnings
        self.medium = opened
        self.dataOffset = store.dataOffset
        self.store = Mutex(store)
        let hm = store.geometry.model == .hostManaged
        self.unit = LogicalUnit(
            identity: DeviceIdentity(
                peripheralType: hm ? 0x14 : 0x00, product: "TCMU ZBC device", serial: serial,
                configString: configString,
                versionDescriptors: [VersionDescriptor.sam6, VersionDescriptor.spc5, VersionDescriptor.sbc4, VersionDescriptor.zbc2]),
            modePages: Self.modePages)
        unit.faults.setZoneBlocks(UInt64(store.geometry.layout.zoneLength))
    }

    /// Parses a `zbc/…` config string and opens its image (see `ZoneConfig`).
    public convenience init(configString: String, deviceSize: UInt64, serial: String = "") throws(ZonedStoreError) {
        let config = try configError { () throws(ZoneConfigError) in try ZoneConfig(parsing: configString) }
        try self.init(config: config, deviceSize: deviceSize, serial: serial, configString: configString)
    }

    /// Checks a config string the way `emud check-config` does: the message names the option at fault.
    public static func checkConfig(_ configString: String) -> String? {
        do throws(ZoneConfigError) {
            let c = try ZoneConfig(parsing: configString)
            _ = try c.geometry(deviceSize: 1 << 40)
            return nil
        } catch {
            return error.description
        }
    }

    var blockSize: UInt64 { UInt64(geometry.logicalBlockSize) }

    // MARK: - EmulatedDevice

    public func resize(toBytes size: UInt64) throws(Sense) {
        guard size / blockSize == geometry.layout.capacity else {
            throw Sense(.illegalRequest, .parameterValueInvalid)  // a zoned image's geometry is fixed at format
        }
    }

    public func close() {
        try? store.withLock { s throws(MediumError) in try s.commit() }
    }

    func synchronize() throws(Sense) {
        try store.withLock { s throws(Sense) in try s.synchronize() }
    }

    // MARK: - Zone condition control (for driver tests; not a SCSI command)

    /// Puts zone `zone` in READ ONLY or OFFLINE, flags it RWP recommended, or clears these; committed
    /// before returning. Returns false for a zone number that does not exist.
    @discardableResult
    public func setZoneCondition(zone: Int, _ forced: ZoneStateMachine.ForcedCondition) throws(MediumError) -> Bool {
        guard zone >= 0, zone < geometry.layout.zoneCount else { return false }
        try store.withLock { s throws(MediumError) in try s.force(forced, zone: zone) }
        return true
    }

    /// A copy of the zone state (tests, the daemon's status output).
    public var zoneStateMachine: ZoneStateMachine { store.withLock { $0.machine } }

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

    public func modePagesChanged() {
        let wce = unit.withState { s in s.modePages.first { $0.code == 0x08 && $0.subpage == 0 }?.current }
        if let page = wce, page.count > 2 { writeCacheEnabled.store(page[2] & 0x04 != 0, ordering: .relaxed) }
    }
}
