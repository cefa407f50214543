import Sense

/// What the ring needs of a device of any kind: run a command, say where to run it, change size, close.
public protocol EmulatedDevice: AnyObject, Sendable {
    /// Runs one command to completion. Never throws: every failure is a status with sense data.
    func execute(_ command: inout SCSICommand) -> CommandResult
    /// Whether the command touches the backing store and may run on an I/O worker thread.
    func isStorageIO(_ cdb: CDB) -> Bool
    /// The sense format the device reports in now (Control mode page D_SENSE).
    var senseFormat: SenseFormat { get }
    /// The kernel changed the device size (netlink RECONFIG DEV_SIZE), in bytes.
    func resize(toBytes size: UInt64) throws(Sense)
    /// Flushes and releases the backing store. The device answers nothing after this.
    func close()
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

extension SPCDevice {
    public func execute(_ command: inout SCSICommand) -> CommandResult {
        commandTable.execute(&command, on: self)
    }

    public func isStorageIO(_ cdb: CDB) -> Bool {
        commandTable.spec(for: cdb)?.flags.contains(.storageIO) ?? false
    }

    public var senseFormat: SenseFormat { unit.senseFormat }

    public var deviceVPDPageCodes: [UInt8] { [] }
    public func vpdPage(_ code: UInt8) -> [UInt8]? { nil }
    public var supportsExtendedCopy: Bool { false }
    public var modeBlockDescriptor: ModeBlockDescriptor? { nil }
    public var modeDeviceSpecificParameter: UInt8 { 0 }
    public var modeMediumType: UInt8 { 0 }
    public func modePagesChanged() {}
}
