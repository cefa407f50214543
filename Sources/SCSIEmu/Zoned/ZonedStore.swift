import Sense

/// A zoned image: the zone state machine plus its data and metadata on one `BackingStore` (a raw file,
/// a qcow2 image…): superblocks and zone table first, the logical blocks from `dataOffset`.
///
/// ## Crash safety
///
/// Invariants, for a crash (kill -9 or power loss) at any instant:
/// 1. A reopened image never shows a write pointer beyond durable data.
/// 2. Data written before a completed SYNCHRONIZE CACHE, or with FUA, is never lost, and neither is the
///    write pointer covering it.
///
/// Protocol:
/// - Zone state changes only in memory; writes go to the data area; both are marked dirty.
/// - A metadata commit (SYNCHRONIZE CACHE, a FUA write, FORMAT/SANITIZE, close) first syncs the data
///   (`fdatasync`), then writes the changed zone-table pages of the *inactive* slot and that slot's
///   superblock with generation + 1, then syncs again. A write pointer therefore reaches the medium only
///   after the data below it is durable (1), and the command is acknowledged only after the commit is
///   durable (2).
/// - The slot last committed is never written, so a torn commit leaves it intact; on open the newest slot
///   whose superblock CRC, page CRCs and table CRC all verify wins, and a torn newer slot loses.
/// - Blocks at or above a write pointer always read as zeros whatever the medium holds (unacknowledged
///   writes of a crashed session, data of a reset zone). Operations that move a write pointer over blocks
///   without writing them (FINISH, a gap in a write preferred zone) zero those blocks first. Reset zones
///   are punched (hole) only after the commit that records them EMPTY, to give space back.
/// - Each slot remembers which pages changed since it was last written, so a commit writes only those.
public struct ZonedStore: Sendable {
    public let medium: any BackingStore
    public internal(set) var machine: ZoneStateMachine
    public let dataOffset: UInt64
    let tablePages: Int
    var generation: UInt64
    var activeSlot: Int
    var pageCRCs: [[UInt32]]
    /// Pages each slot lacks.
    var pendingPages: [Set<Int>]
    var dataDirty = false
    var metadataDirty = false
    /// What opening repaired or recovered from (an older slot used, open zones closed): for the log.
    public internal(set) var warnings: [String] = []

    public var geometry: ZonedGeometry { machine.geometry }
    var blockSize: UInt64 { UInt64(geometry.logicalBlockSize) }

    // MARK: - Opening

    /// Opens the image for a device of `deviceSize` bytes: formats a new (empty) file or, with `format`,
    /// any file; otherwise loads the metadata and refuses it when it disagrees with the options given.
    public static func open(
        config: ZoneConfig, deviceSize: UInt64, medium: any BackingStore
    ) throws(ZonedStoreError) -> ZonedStore {
        var store: ZonedStore
        switch try plan(config: config, deviceSize: deviceSize, medium: medium) {
        case .format: store = try format(try geometry(config, deviceSize), medium: medium, erasing: medium.size > 0)
        case .load(let loaded): store = loaded
        }
        for i in config.readOnlyZones { store.machine.force(.readOnly, zone: i) }
        for i in config.offlineZones { store.machine.force(.offline, zone: i) }
        for i in config.resetRecommendedZones { store.machine.force(.resetRecommended, zone: i) }
        try ioError { () throws(StoreError) in try store.commit() }
        return store
    }

    /// What opening an image does, decided without changing it.
    enum OpenPlan {
        /// Format it with the geometry the options give for the device size.
        case format
        /// Use the image's metadata, checked against the options.
        case load(ZonedStore)
    }

    /// Decides how to open: format an image that is new, empty, blank where the superblocks go (nobody's
    /// data: a sparse file made by `truncate -s`, a new qcow2 image) or when `format` is given; otherwise
    /// load its metadata and refuse it when it disagrees with the options or `deviceSize` (nil: not known,
    /// not compared). Reads only.
    static func plan(
        config: ZoneConfig, deviceSize: UInt64?, medium: any BackingStore
    ) throws(ZonedStoreError) -> OpenPlan {
        let length = medium.size
        if config.format || length == 0 || isBlank(medium) { return .format }
        let store = try load(medium: medium, length: length)
        try store.check(against: config, deviceSize: deviceSize)
        return .load(store)
    }

    /// Runs the checks `open` makes without creating or changing the image (`plan`). A missing image
    /// (`medium` nil) would be formatted: the options must give a geometry for `deviceSize`.
    public static func check(
        config: ZoneConfig, deviceSize: UInt64?, medium: (any BackingStore)?
    ) throws(ZonedStoreError) {
        if let medium, case .load = try plan(config: config, deviceSize: deviceSize, medium: medium) { return }
        if let deviceSize { _ = try geometry(config, deviceSize) }
    }

    /// The geometry of a new image: the options' for `deviceSize`.
    static func geometry(_ config: ZoneConfig, _ deviceSize: UInt64) throws(ZonedStoreError) -> ZonedGeometry {
        try configError { () throws(ZoneConfigError) in try config.geometry(deviceSize: deviceSize) }
    }

    /// Whether a store that has a size was never written where the superblocks go (a new qcow2 image,
    /// or a sparse file of zeros): it is formatted like an empty file.
    static func isBlank(_ medium: any BackingStore) -> Bool {
        (0..<2).allSatisfy { slot in
            (try? medium.readBytes(count: ZonedMetadata.superblockLength, at: ZonedMetadata.superblockOffset(slot: slot)))?
                .allSatisfy { $0 == 0 } ?? false
        }
    }

    /// Writes a new image: every zone EMPTY (conventional zones NOT WRITE POINTER), all blocks zero. A
    /// store that cannot change size (a qcow2 image) must already be large enough.
    static func format(
        _ geometry: ZonedGeometry, medium: any BackingStore, erasing: Bool
    ) throws(ZonedStoreError) -> ZonedStore {
        let zones = geometry.initialZones()
        let pages = ZonedMetadata.tablePages(zoneCount: zones.count)
        let dataOffset = ZonedMetadata.dataOffset(zoneCount: zones.count)
        var crcs: [UInt32] = []
        try ioError { () throws(StoreError) in
            let length = dataOffset + geometry.layout.capacity * UInt64(geometry.logicalBlockSize)
            if medium.size != length {
                // A qcow2 image keeps its virtual size: one at least this large is used as it is.
                do throws(StoreError) { try medium.resize(to: length) } catch { if medium.size < length { throw error } }
            }
            if erasing { try medium.writeZeroes(at: 0, length: length, deallocate: true) }
            for p in 0..<pages {
                let page = ZonedMetadata.encodePage(p, zones: zones)
                crcs.append(ZonedMetadata.pageCRC(page))
                try medium.writeBytes(page, at: ZonedMetadata.tableOffset(slot: 0, pages: pages) + UInt64(p * ZonedMetadata.unit))
            }
            let sb = ZonedMetadata.Superblock(generation: 1, geometry: geometry, tableCRC: ZonedMetadata.tableCRC(crcs))
            try medium.writeBytes(sb.encoded(), at: ZonedMetadata.superblockOffset(slot: 0))
            try medium.flush()
        }
        return ZonedStore(
            medium: medium, machine: ZoneStateMachine(geometry: geometry, zones: zones), dataOffset: dataOffset,
            tablePages: pages, generation: 1, activeSlot: 0,
            pageCRCs: [crcs, Array(repeating: 0, count: pages)], pendingPages: [[], Set(0..<pages)])
    }

    static func load(medium: any BackingStore, length: UInt64) throws(ZonedStoreError) -> ZonedStore {
        var candidates: [(slot: Int, sb: ZonedMetadata.Superblock)] = []
        var problems: [String] = []
        for slot in 0..<2 {
            let bytes = try ioError { () throws(StoreError) in
                try medium.readBytes(count: ZonedMetadata.superblockLength, at: ZonedMetadata.superblockOffset(slot: slot))
            }
            do throws(ZonedMetadata.SuperblockProblem) {
                candidates.append((slot, try ZonedMetadata.Superblock(validating: bytes)))
            } catch {
                if case .inconsistent(let why) = error { problems.append("slot \(slot) superblock: \(why)") }
            }
        }
        for (slot, sb) in candidates.sorted(by: { $0.sb.generation > $1.sb.generation }) {
            let g = sb.geometry
            var zones = g.initialZones()
            var crcs: [UInt32] = []
            let table = try ioError { () throws(StoreError) in
                try medium.readBytes(
                    count: sb.tablePages * ZonedMetadata.unit,
                    at: ZonedMetadata.tableOffset(slot: slot, pages: sb.tablePages))
            }
            var problem: String?
            for p in 0..<sb.tablePages where problem == nil {
                let page = Array(table[(p * ZonedMetadata.unit)..<((p + 1) * ZonedMetadata.unit)])
                problem = ZonedMetadata.pageProblem(page, page: p, into: &zones, layout: g.layout, geometry: g)
                crcs.append(ZonedMetadata.pageCRC(page))
            }
            if problem == nil, ZonedMetadata.tableCRC(crcs) != sb.tableCRC { problem = "table CRC" }
            if let problem {
                problems.append("slot \(slot) (generation \(sb.generation)) zone table: \(problem)")
                continue
            }
            var pending: [Set<Int>] = [[], []]
            pending[1 - slot] = Set(0..<sb.tablePages)  // the other slot is rewritten whole at the next commit
            var pageCRCs = Array(repeating: Array(repeating: UInt32(0), count: sb.tablePages), count: 2)
            pageCRCs[slot] = crcs
            var store = ZonedStore(
                medium: medium, machine: ZoneStateMachine(geometry: g, zones: zones), dataOffset: sb.dataOffset,
                tablePages: sb.tablePages, generation: sb.generation, activeSlot: slot, pageCRCs: pageCRCs,
                pendingPages: pending)
            // Recovery is news: the newer slot (a torn commit, or damage) lost, the older one is served.
            if !problems.isEmpty {
                store.warnings.append(
                    "zoned metadata recovered from slot \(slot) (generation \(sb.generation)); not used: "
                        + problems.joined(separator: "; "))
            }
            let open = zones.indices.filter { zones[$0].condition == .explicitlyOpen && zones[$0].type == .sequentialWriteRequired }
            if g.model == .hostManaged, open.count > g.maxOpenZones {
                store.warnings.append(
                    "zoned metadata lists \(open.count) explicitly open zones, more than the maximum \(g.maxOpenZones); all were closed, as at power-on")
            }
            return store
        }
        if !problems.isEmpty {
            throw .refused(
                "no usable zoned metadata: " + problems.joined(separator: "; ")
                    + "; add `format` to reformat it (its data is lost)")
        }
        let head = (try? medium.readBytes(count: 4, at: 0)) ?? []
        if head.count == 4, ZonedMetadata.getLE(head, 0, 4) == UInt64(ZonedMetadata.tcmuRunnerMagic)
            || head.bigEndianValue(at: 0, width: 4) == UInt64(ZonedMetadata.tcmuRunnerMagic)
        {
            throw .refused(
                "the image is in tcmu-runner's file_zbc format, which emud does not read; add `format` to reformat it (its data is lost)")
        }
        throw .refused(
            "the image (\(length) bytes) holds no valid emud zoned metadata; add `format` to reformat it (its data is lost)")
    }

    /// Refuses an image whose metadata disagrees with an option given or with the device size.
    func check(against config: ZoneConfig, deviceSize: UInt64?) throws(ZonedStoreError) {
        let g = geometry
        var merged = config
        merged.model = config.model ?? g.model
        merged.logicalBlockSize = config.logicalBlockSize ?? g.logicalBlockSize
        merged.zoneSizeMiB = config.zoneSizeMiB ?? (g.layout.zoneLength * UInt64(g.logicalBlockSize)) >> 20
        merged.conventionalZones = config.conventionalZones ?? g.conventionalZones
        merged.openZones = config.openZones ?? g.maxOpenZones
        merged.unrestrictedReads = config.unrestrictedReads ?? g.unrestrictedReads
        let imageBytes = g.layout.capacity * UInt64(g.logicalBlockSize)
        var problems: [String] = []
        if let deviceSize, deviceSize / UInt64(g.logicalBlockSize) != g.layout.capacity {
            problems.append("size: existing image holds \(imageBytes) bytes of logical blocks, the device size is \(deviceSize)")
        }
        func differs<T: Equatable>(_ option: String, _ name: String, _ image: T, _ asked: T?, _ show: (T) -> String) {
            if let asked, asked != image {
                problems.append("\(option): existing image has \(name) \(show(image)), options ask for \(show(asked))")
            }
        }
        differs("model", "model", g.model, config.model) { $0.rawValue }
        differs("lba", "logical block size", g.logicalBlockSize, config.logicalBlockSize) { "\($0)" }
        let imageZoneMiB = (g.layout.zoneLength * UInt64(g.logicalBlockSize)) >> 20
        differs("zsize", "zone size", imageZoneMiB, config.zoneSizeMiB) { "\($0) MiB" }
        differs("conv", "conventional zones", g.conventionalZones, config.conventionalZones) { "\($0)" }
        differs("urswrz", "URSWRZ", g.unrestrictedReads, config.unrestrictedReads) { $0 ? "1" : "0" }
        if problems.isEmpty, config.openZones != nil,
            let asked = try? merged.geometry(deviceSize: imageBytes), asked.maxOpenZones != g.maxOpenZones
        {
            problems.append("open: existing image has \(g.maxOpenZones) open zones, options ask for \(asked.maxOpenZones)")
        }
        if let bad = (config.readOnlyZones + config.offlineZones + config.resetRecommendedZones).first(where: {
            $0 >= g.layout.zoneCount
        }) {
            problems.append("zone \(bad) does not exist (the image has \(g.layout.zoneCount) zones)")
        }
        guard problems.isEmpty else {
            throw .refused(problems.joined(separator: "; ") + "; add `format` to reformat (its data is lost)")
        }
    }

    private init(
        medium: any BackingStore, machine: ZoneStateMachine, dataOffset: UInt64, tablePages: Int, generation: UInt64,
        activeSlot: Int, pageCRCs: [[UInt32]], pendingPages: [Set<Int>]
    ) {
        self.medium = medium
        self.machine = machine
        self.dataOffset = dataOffset
        self.tablePages = tablePages
        self.generation = generation
        self.activeSlot = activeSlot
        self.pageCRCs = pageCRCs
        self.pendingPages = pendingPages
        self.metadataDirty = !machine.dirtyZones.isEmpty
    }
}

/// Why an image could not be opened.
public enum ZonedStoreError: Error, Sendable, Hashable, CustomStringConvertible {
    case config(ZoneConfigError)
    case refused(String)
    case io(StoreError)

    public var description: String {
        switch self {
        case .config(let e): e.description
        case .refused(let m): "zbc image refused: \(m)"
        case .io(let e): "zbc image: \(e)"
        }
    }
}

func ioError<T>(_ body: () throws(StoreError) -> T) throws(ZonedStoreError) -> T {
    do throws(StoreError) { return try body() } catch { throw .io(error) }
}

func configError<T>(_ body: () throws(ZoneConfigError) -> T) throws(ZonedStoreError) -> T {
    do throws(ZoneConfigError) { return try body() } catch { throw .config(error) }
}
