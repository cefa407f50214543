import Sense
import Synchronization

/// The MMC optical drive (handler `fbo`): a DVD-RAM writer / DVD-ROM / CD-ROM reader with a tray, a
/// removal lock and media change signalling (UNIT ATTENTION 28/00 and GESN media events).
///
/// The drive state (`DriveModel`, the disc, speeds, a running format) lives behind one lock; every change
/// is mirrored into the `LogicalUnit` (condition for the table's state column, PREVENT state, mode page
/// 2Ah lock/speed fields, unit attention). Lock order: drive state, then the unit's; never the reverse.
/// Media I/O runs outside the lock on a snapshot of the disc, which stays open until the I/O ends.
public final class OpticalDevice: SPCDevice {
    public let unit: LogicalUnit
    /// The table as a stored `let`: dispatch reaches it through the device at each use (a computed
    /// property would load the static and retain it every time).
    public let commandTable = OpticalDevice.table

    struct DriveState: Sendable {
        var model: DriveModel
        /// The disc on the tray (present when the tray is closed).
        var medium: OpticalMedium?
        var readSpeed: UInt16 = ModePage.cdMaximumReadSpeed
        var writeSpeed: UInt16 = ModePage.dvdRAMWriteSpeed
        var format: FormatJob?
    }

    let drive: Mutex<DriveState>
    public let config: OpticalConfig
    let background: any BackgroundWork
    let minimumBytes: UInt64
    let formatChunkBytes: Int

    /// Opens the drive as `config` says.
    /// - Parameters:
    ///   - identity: INQUIRY identity; `OpticalDevice.identity(serial:configString:)` by default.
    ///   - minimumBytes: the LUN's configured size; a new or short DVD-RAM image grows to it.
    ///   - background: where FORMAT UNIT IMMED runs.
    ///   - formatChunkBytes: zero-fill granularity (also the progress step).
    /// - Throws: `OpticalControlError.image` when the image cannot be opened.
    public init(
        config: OpticalConfig, identity: DeviceIdentity? = nil, minimumBytes: UInt64 = 0,
        background: any BackgroundWork = ThreadBackground(), formatChunkBytes: Int = 1 << 20
    ) throws(OpticalControlError) {
        var medium: OpticalMedium?
        if !config.startEmpty, let path = config.imagePath {
            medium = try OpticalMedium.open(
                path: path, profile: config.effectiveProfile, readOnly: config.readOnly, minimumBytes: minimumBytes,
                blankBlocks: config.capacityBlocks)
        }
        self.config = config
        self.background = background
        self.minimumBytes = minimumBytes
        self.formatChunkBytes = formatChunkBytes
        self.drive = Mutex(DriveState(model: DriveModel(discInTray: medium != nil), medium: medium))
        self.unit = LogicalUnit(
            identity: identity ?? Self.identity(serial: "", configString: ""),
            modePages: ModePage.opticalPages(),
            condition: medium != nil ? .ready : .noMedium(trayOpen: false))
    }

    /// Parses an `fbo/…` config string and opens the drive.
    /// - Throws: `OpticalControlError.config` naming the bad field, or `.image`.
    public convenience init(
        configString: String, serial: String = "", minimumBytes: UInt64 = 0,
        background: any BackgroundWork = ThreadBackground()
    ) throws(OpticalControlError) {
        let config: OpticalConfig
        do { config = try OpticalConfig(parsing: configString) } catch { throw .config(error) }
        try self.init(
            config: config, identity: Self.identity(serial: serial, configString: configString),
            minimumBytes: minimumBytes, background: background)
    }

    /// tcmu-runner fbo's INQUIRY identity (PDT 05h, RMB, "LIO-ORG" "VOPTA" "0001"), claiming SAM-6, SPC-5
    /// and MMC-6 (no version claimed: 00C0h, 05C0h, 04E0h).
    public static func identity(serial: String, configString: String) -> DeviceIdentity {
        DeviceIdentity(
            peripheralType: 0x05, removable: true, vendor: "LIO-ORG", product: "VOPTA", revision: "0001",
            serial: serial, configString: configString,
            versionDescriptors: [VersionDescriptor.sam6, VersionDescriptor.spc5, VersionDescriptor.mmc6])
    }

    // MARK: - State

    /// Mirrors the drive state into the logical unit; raises UNIT ATTENTION 28/00 when `newMedium`.
    /// Called with the drive lock held.
    func publish(_ s: DriveState, newMedium: Bool = false) {
        unit.withState { u in
            if s.format == nil {
                u.condition = s.model.mediumPresent ? .ready : .noMedium(trayOpen: s.model.trayOpen)
            }
            u.preventRemoval = (s.model.prevent ? 0x01 : 0) | (s.model.persistentPrevent ? 0x02 : 0)
            if let i = u.modePages.firstIndex(where: { $0.code == 0x2A && $0.subpage == 0 }) {
                var page = u.modePages[i].current
                page[6] = ModePage.capabilitiesByte6(locked: s.model.locked)
                page.replaceSubrange(14..<16, with: be16(s.readSpeed))
                page.replaceSubrange(20..<22, with: be16(s.writeSpeed))
                page.replaceSubrange(28..<30, with: be16(s.writeSpeed))
                u.modePages[i].current = page
            }
            if newMedium, !u.unitAttentions.contains(.notReadyToReadyChangeMediumMayHaveChanged) {
                u.unitAttentions.append(.notReadyToReadyChangeMediumMayHaveChanged)
            }
        }
    }

    /// The disc when one is present and no format runs, else the NOT READY sense of the moment.
    func presentMedium() throws(Sense) -> OpticalMedium {
        let (medium, sense): (OpticalMedium?, Sense?) = drive.withLock { s in
            if let job = s.format { return (nil, DeviceCondition.formatting(progress: job.progress).notReadySense) }
            guard s.model.mediumPresent, let m = s.medium else {
                return (nil, DeviceCondition.noMedium(trayOpen: s.model.trayOpen).notReadySense)
            }
            return (m, nil)
        }
        if let medium { return medium }
        throw sense ?? Sense(.notReady, .mediumNotPresent)
    }

    /// The disc present in the closed tray, or nil (GET CONFIGURATION, READ FORMAT CAPACITIES…).
    var mediumIfPresent: OpticalMedium? {
        drive.withLock { s in s.model.mediumPresent ? s.medium : nil }
    }

    /// A snapshot of the drive model (tests and status reports).
    public var model: DriveModel { drive.withLock { $0.model } }

    // MARK: - EmulatedDevice

    /// The disc's capacity is its image's; a new LUN size only matters when the next DVD-RAM image is made.
    public func resize(toBytes size: UInt64) throws(Sense) {}

    public func close() {
        drive.withLock { s in
            s.medium = nil
            s.format = nil
        }
    }
}

/// A runtime control request the drive refused, or a bad config/image.
public enum OpticalControlError: Error, Hashable, Sendable, CustomStringConvertible {
    case config(OpticalConfigError)
    case image(StoreError)
    /// The image opened but is no disc (empty, or not whole 2048-byte blocks).
    case unusableImage(path: String, reason: String)
    /// The host locked the tray (PREVENT ALLOW MEDIUM REMOVAL); pass `force` to override.
    case removalPrevented
    case formatInProgress
    /// `insert` without a path and no image in the config.
    case noImage

    init(_ r: TrayRefusal) {
        switch r {
        case .removalPrevented: self = .removalPrevented
        case .formatInProgress: self = .formatInProgress
        }
    }

    public var description: String {
        switch self {
        case .config(let e): e.description
        case .image(let e): "fbo: cannot open image: \(e)"
        case let .unusableImage(path, reason): "fbo: image \(path): \(reason)"
        case .removalPrevented: "fbo: the initiator prevents medium removal (use force to override)"
        case .formatInProgress: "fbo: FORMAT UNIT in progress"
        case .noImage: "fbo: no image path given and none configured"
        }
    }
}
