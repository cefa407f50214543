import SCSIEmu
import Sense

/// A CMD entry, copied out of its slot: the slot may be overwritten by another command's out-of-order
/// completion before this one finishes, so nothing here points into the command ring. `data` and
/// `bidiIn` point into the data area, which the kernel keeps for this command until it completes.
public struct RingCommand: Sendable {
    /// The kernel's `cmd_id` (1…65535).
    public let id: UInt16
    /// The slot's offset in the command ring (used to complete in place when the kernel lacks OOOC).
    public let slot: UInt32
    /// The command as a device sees it: the CDB, `data` (the `iov_cnt` iovecs: Data-Out, or the Data-In
    /// of a one-way read) and `bidiIn` (the `iov_bidi_cnt` iovecs that follow: the Data-In of a
    /// bidirectional command). Stored whole so the runner hands it to the device in place (`inout`)
    /// instead of building a copy per command.
    public var scsi: SCSICommand
    /// The device's row for the CDB, found once when the runner sorts the batch (nil until then).
    public var route: CommandRoute?

    public init(id: UInt16, slot: UInt32, cdb: CDB, data: DataBuffer, bidiIn: DataBuffer) {
        self.id = id
        self.slot = slot
        self.scsi = SCSICommand(cdb: cdb, data: data, bidiIn: bidiIn, tag: id)
    }

    public var cdb: CDB { scsi.cdb }
    public var data: DataBuffer { scsi.data }
    public var bidiIn: DataBuffer { scsi.bidiIn }

    /// The command as a device sees it.
    public var scsiCommand: SCSICommand { scsi }
}

/// What a ring entry was found to be wrong with. Every fault is confined to its one command.
public enum RingFault: Error, Hashable, Sendable, CustomStringConvertible {
    /// `len_op`'s length is 0, not a multiple of 8, past the ring end or `cmd_head`, or too short for
    /// the entry's kind. The consumer resynchronises at `spanning` bytes later.
    case badEntryLength(length: UInt32, spanning: Int)
    /// The opcode is not PAD, CMD or TMR.
    case unknownEntryOpcode(UInt32)
    /// `cdb_off` does not point inside the entry (possibly not inside the map at all).
    case cdbOffsetOutsideEntry(cdbOffset: UInt64)
    /// The CDB's length (by its group code) runs past the end of the entry.
    case cdbPastEntry(cdbOffset: UInt64, cdbLength: Int, entryEnd: Int)
    /// `iov_cnt` + `iov_bidi_cnt` iovecs do not fit in the entry.
    case tooManyIOVecs(count: UInt32, bidi: UInt32)
    /// An iovec is not inside the data area.
    case iovecOutsideDataArea(index: Int, base: UInt64, length: UInt64)

    /// Whether the command's CDB could be read (else it is answered with UNKNOWN_OP).
    public var cdbReadable: Bool {
        switch self {
        case .badEntryLength, .unknownEntryOpcode, .cdbOffsetOutsideEntry: false
        case .cdbPastEntry, .tooManyIOVecs, .iovecOutsideDataArea: true
        }
    }

    public var description: String {
        switch self {
        case let .badEntryLength(l, s): "entry length \(l) invalid (resynchronised \(s) bytes on)"
        case let .unknownEntryOpcode(op): "entry opcode \(op) is not PAD/CMD/TMR"
        case let .cdbOffsetOutsideEntry(off): "cdb_off \(off) outside the entry"
        case let .cdbPastEntry(off, len, end): "CDB of \(len) bytes at \(off) runs past the entry end \(end)"
        case let .tooManyIOVecs(c, b): "\(c)+\(b) iovecs do not fit in the entry"
        case let .iovecOutsideDataArea(i, base, len): "iovec \(i) (\(base), \(len)) outside the data area"
        }
    }
}

/// One entry the consumer found between its private tail and `cmd_head`.
public enum RingItem: Sendable {
    /// A well-formed command, to execute and complete.
    case command(RingCommand)
    /// A CMD entry whose CDB could be read but whose layout is wrong: complete it with CHECK CONDITION.
    case malformed(id: UInt16, slot: UInt32, cdb: CDB?, fault: RingFault)
    /// An entry the consumer already answered in place with UNKNOWN_OP (no CDB could be read, or not a
    /// CMD entry); only to be logged.
    case rejected(id: UInt16, fault: RingFault)
    /// A TMR entry: abort the listed commands if they are still queued.
    case taskManagement(type: TCMUABI.TMRType, ids: [UInt16])

    var isTaskManagement: Bool {
        if case .taskManagement = self { return true }
        return false
    }
}

/// A completion to write into the ring. Plain values (no array): collecting a batch of them, copying
/// and clearing it retains and releases nothing; the sense is encoded only where it is written.
public struct RingCompletion: Sendable, Hashable {
    public var id: UInt16
    public var status: SCSIStatus
    /// Sense for CHECK CONDITION (nil otherwise), and the layout it is written in.
    public var senseData: Sense?
    public var senseFormat: SenseFormat
    /// Data-In bytes produced; when > 0 it is reported with READ_LEN (the kernel derives the residual).
    public var dataInLength: Int
    /// Ask the kernel to fail the command with its own sense (TCMU_UFLAG_UNKNOWN_OP).
    public var unknownOperation: Bool

    public init(
        id: UInt16, status: SCSIStatus, sense: Sense? = nil, senseFormat: SenseFormat = .fixed,
        dataInLength: Int = 0, unknownOperation: Bool = false
    ) {
        self.id = id
        self.status = status
        self.senseData = sense
        self.senseFormat = senseFormat
        self.dataInLength = dataInLength
        self.unknownOperation = unknownOperation
    }

    /// The sense bytes as written into the entry's sense buffer (before truncation to 96), empty without sense.
    public var sense: [UInt8] { senseData?.encoded(as: senseFormat) ?? [] }
}
