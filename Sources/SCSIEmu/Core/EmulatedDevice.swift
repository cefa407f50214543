import Sense

/// What the ring and the daemon need of a device of any kind: find a command's row, run it, change size,
/// close; name a command (capture), its fault set, unit attentions, its control requests.
public protocol EmulatedDevice: AnyObject, Sendable {
    /// Finds the command's row, once: the ring reads from it where to run the command, and hands it back
    /// to `execute(_:route:)`.
    func route(_ cdb: CDB) -> CommandRoute
    /// Runs one command to completion on the row `route` found. Never throws: every failure is a status
    /// with sense data.
    func execute(_ command: inout SCSICommand, route: CommandRoute) -> CommandResult
    /// Finds the row and runs the command in one call: the ring uses it when it does not need the route
    /// first (no I/O workers to hand storage commands to), so the device reaches its table once per
    /// command, not twice (each reach is a retain and a release of the table).
    func execute(_ command: inout SCSICommand) -> CommandResult
    /// The sense format the device reports in now (Control mode page D_SENSE).
    var senseFormat: SenseFormat { get }
    /// The kernel changed the device size (netlink RECONFIG DEV_SIZE), in bytes.
    func resize(toBytes size: UInt64) throws(Sense)
    /// Flushes and releases the backing store. The device answers nothing after this.
    func close()
    /// The write commands that were in the ring when the previous daemon died (a restart), before the
    /// first command: they come back BUSY-retried. Devices for which a second copy of a write is harmless
    /// ignore them (the default); a zoned device answers a retry its zone already holds (`InterruptedWrites`).
    func resume(after interrupted: InterruptedWrites)
    /// Whether a write the device held (`CompletionDeferral.awaitWritePointer`) may run again now: the
    /// write pointer it waits for has reached it. The ring asks after every command that may have moved
    /// a pointer; devices that never hold a write answer true (the default).
    func mayRunHeldWrite(lba: UInt64, blocks: UInt64) -> Bool
    /// The command a CDB selects, as the device's table names it; nil when the device does not support it
    /// (corpus capture titles and classifies exchanges with it).
    func describe(_ cdb: CDB) -> CommandDescription?
    /// The fault rules and bad-block map injected into this device (docs/faults.md); nil when its kind
    /// takes none.
    var faults: FaultInjector? { get }
    /// Reports a unit attention condition on the next command (SPC-5 §5.14), e.g. CAPACITY DATA HAS
    /// CHANGED after the kernel resized the device (SBC-4 §4.10).
    func raiseUnitAttention(_ code: AdditionalSenseCode)
    /// Who answers `emud ctl DEVICE …`: the device's own control commands, else the SPC `status`.
    var control: any ControllableDevice { get }
    /// Whether the device's store submits asynchronously (`AsyncBackingStore`): the ring thread then
    /// dispatches the rows that `completesAsynchronously` itself, with a `CommandCompletionSink`.
    var submitsAsynchronously: Bool { get }
    /// Whether the device's store can serve a read without waiting (`CachedReadStore`): the ring thread
    /// then tries the rows that `triesWithoutBlocking` itself before it hands them to a worker.
    var readsWithoutBlocking: Bool { get }
    /// Whether the device's non-durable writes land in its store's cache (`CachedWriteStore`): the ring
    /// thread may then run the rows that `writesToCache` itself, timing each (`RingServiceLoop+Inline`).
    var writesToCache: Bool { get }
    /// Sets the mode pages' current values that a previous daemon's MODE SELECT left (a restart); returns
    /// what could not be restored. Devices without mode pages restore nothing (the default).
    func restoreModePages(_ values: ModePageValues) -> [String]
    /// Calls `observer` with the changed mode page values after every MODE SELECT (the default: never).
    func observeModePages(_ observer: @escaping @Sendable (ModePageValues) -> Void)
}

extension EmulatedDevice {
    public func restoreModePages(_ values: ModePageValues) -> [String] { values.isEmpty ? [] : ["no mode pages"] }
    public func observeModePages(_ observer: @escaping @Sendable (ModePageValues) -> Void) {}
    public func resume(after interrupted: InterruptedWrites) {}
    public var submitsAsynchronously: Bool { false }
    public var readsWithoutBlocking: Bool { false }
    public var writesToCache: Bool { false }
    public func mayRunHeldWrite(lba: UInt64, blocks: UInt64) -> Bool { true }
}

/// A command as its device's table names it.
public struct CommandDescription: Sendable, Hashable {
    /// The row's name (`READ(10)`).
    public var name: String
    /// The row's data direction.
    public var direction: DataDirection

    public init(name: String, direction: DataDirection) {
        self.name = name
        self.direction = direction
    }
}

/// A device whose commands come from one opcode table and which shares the SPC state (`LogicalUnit`).
public protocol SPCDevice: EmulatedDevice {
    var unit: LogicalUnit { get }
    var commandTable: CommandTable<Self> { get }

    /// VPD pages this kind adds to the 00h, 80h and 83h the SPC core builds, ascending.
    var deviceVPDPageCodes: [UInt8] { get }
    /// A device-specific VPD page, whole (4-byte header included), or nil when not supported.
    func vpdPage(_ code: UInt8) -> [UInt8]?
    /// Whether the device serves EXTENDED COPY (the 3PC bit of the standard INQUIRY data).
    var supportsExtendedCopy: Bool { get }

    /// The mode parameter block descriptor (SPC-5 §7.5.5), or nil for none (MMC devices).
    var modeBlockDescriptor: ModeBlockDescriptor? { get }
    /// The mode parameter header's DEVICE-SPECIFIC PARAMETER (SBC-4 §6.5.2: WP bit 7, DPOFUA bit 4).
    var modeDeviceSpecificParameter: UInt8 { get }
    /// The mode parameter header's MEDIUM TYPE (0 for disks; MMC-6 uses 0 too).
    var modeMediumType: UInt8 { get }
    /// Called after MODE SELECT changed pages (a device re-reads WCE, D_SENSE is applied by the core).
    func modePagesChanged()
    /// The field of `page` (a whole page as MODE SELECT sent it, header included) holding a value the
    /// device does not support although its changeable mask lets it change: its byte and most significant
    /// bit within the page, or nil when every value is supported (SPC-5 §6.12: INVALID FIELD IN PARAMETER
    /// LIST for a value outside the supported range).
    func unsupportedModePageField(_ page: [UInt8], code: UInt8, subpage: UInt8) -> (byte: Int, bit: UInt8)?
}

/// The values a mode parameter block descriptor reports.
public struct ModeBlockDescriptor: Sendable, Hashable {
    public var numberOfBlocks: UInt64
    public var blockLength: UInt32
    public init(numberOfBlocks: UInt64, blockLength: UInt32) {
        self.numberOfBlocks = numberOfBlocks
        self.blockLength = blockLength
    }
}

/// The row a CDB selects in its device's table, found once per command.
public struct CommandRoute: Sendable, Hashable {
    /// The row's index in the table; nil for an unsupported opcode or service action.
    public let row: Int?
    /// Touches the backing store: the ring may run it on an I/O worker thread.
    public let isStorageIO: Bool
    /// Its handler may complete from an asynchronous store's callback (`CommandFlags.completesAsynchronously`).
    public let completesAsynchronously: Bool
    /// Its handler may be tried without blocking (`CommandFlags.triesWithoutBlocking`).
    public let triesWithoutBlocking: Bool
    /// The try is a write into the store's cache, which may wait briefly (`CommandFlags.writesToCache`).
    public let writesToCache: Bool

    @inlinable public init(
        row: Int?, isStorageIO: Bool, completesAsynchronously: Bool = false, triesWithoutBlocking: Bool = false,
        writesToCache: Bool = false
    ) {
        self.row = row
        self.isStorageIO = isStorageIO
        self.completesAsynchronously = completesAsynchronously
        self.triesWithoutBlocking = triesWithoutBlocking
        self.writesToCache = writesToCache
    }
}

extension EmulatedDevice {
    /// Finds the row and runs the command (the default: route, then run on that row).
    public func execute(_ command: inout SCSICommand) -> CommandResult {
        execute(&command, route: route(command.cdb))
    }

    /// Whether the command touches the backing store and may run on an I/O worker thread.
    public func isStorageIO(_ cdb: CDB) -> Bool { route(cdb).isStorageIO }
}

extension SPCDevice {
    public func route(_ cdb: CDB) -> CommandRoute { CommandTable.route(cdb, of: self) }

    // Always inlined into the device's witness, as the table's `execute` and `dispatch` are into them: the
    // result is then written once, into the caller's memory (copied out of a callee's, it stalled).
    @inline(__always)
    public func execute(_ command: inout SCSICommand, route: CommandRoute) -> CommandResult {
        CommandTable.execute(&command, on: self, row: route.row)
    }

    @inline(__always)
    public func execute(_ command: inout SCSICommand) -> CommandResult {
        CommandTable.execute(&command, on: self)
    }

    public var senseFormat: SenseFormat { unit.senseFormat }

    public func describe(_ cdb: CDB) -> CommandDescription? {
        commandTable.spec(for: cdb).map { CommandDescription(name: $0.name, direction: $0.direction) }
    }

    public var faults: FaultInjector? { unit.faults }

    public func raiseUnitAttention(_ code: AdditionalSenseCode) { unit.raiseUnitAttention(code) }

    public var control: any ControllableDevice { SPCStatusControl(self) }

    public var deviceVPDPageCodes: [UInt8] { [] }
    public func vpdPage(_ code: UInt8) -> [UInt8]? { nil }
    public var supportsExtendedCopy: Bool { false }
    public var modeBlockDescriptor: ModeBlockDescriptor? { nil }
    public var modeDeviceSpecificParameter: UInt8 { 0 }
    public var modeMediumType: UInt8 { 0 }
    public func modePagesChanged() {}
    public func unsupportedModePageField(_ page: [UInt8], code: UInt8, subpage: UInt8) -> (byte: Int, bit: UInt8)? { nil }
    public func restoreModePages(_ values: ModePageValues) -> [String] { SPC.restoreModePages(self, values) }
    public func observeModePages(_ observer: @escaping @Sendable (ModePageValues) -> Void) {
        unit.observeModePages(observer)
    }
}

extension SPCDevice where Self: ControllableDevice {
    /// A kind with control commands of its own answers them itself.
    public var control: any ControllableDevice { self }
}
