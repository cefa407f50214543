import Sense

/// How a command is run beyond what its table row's other columns say.
public struct CommandFlags: OptionSet, Sendable, Hashable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// Runs even while a unit attention is pending, and does not clear it (INQUIRY, REPORT LUNS; SAM-6
    /// §5.14). REQUEST SENSE is marked too: it reports the unit attention as its parameter data.
    public static let ignoresUnitAttention = CommandFlags(rawValue: 1 << 0)
    /// Touches the backing store: the ring may hand it to an I/O worker thread.
    public static let storageIO = CommandFlags(rawValue: 1 << 1)
    /// Its handler can hand the store work to an `AsyncBackingStore` and complete from the store's
    /// callback (`SCSICommand.completionSink`): the ring thread dispatches it without waiting for the store.
    public static let completesAsynchronously = CommandFlags(rawValue: 1 << 2)
    /// Its handler honours `SCSICommand.blocking == .mustNotBlock` (READ: served from the page cache or
    /// declined): the ring thread may try it before it hands it to an I/O worker.
    public static let triesWithoutBlocking = CommandFlags(rawValue: 1 << 3)
    /// With `triesWithoutBlocking`: a write whose try runs into the store's cache (WRITE over a file: the
    /// page cache), which may wait briefly; the ring thread times it (`RingServiceLoop+Inline`).
    public static let writesToCache = CommandFlags(rawValue: 1 << 4)
}

/// The command timeouts descriptor values (SPC-5 §6.35.4), in seconds.
public struct CommandTimeouts: Sendable, Hashable {
    public var nominal: UInt32
    public var recommended: UInt32
    public init(nominal: UInt32, recommended: UInt32) {
        self.nominal = nominal
        self.recommended = recommended
    }
    public static let quick = CommandTimeouts(nominal: 1, recommended: 5)
    public static let io = CommandTimeouts(nominal: 1, recommended: 30)
    public static let long = CommandTimeouts(nominal: 60, recommended: 3600)
}

/// One row of a device's opcode table: everything the dispatcher, the reserved-bit check and REPORT
/// SUPPORTED OPERATION CODES need to know about a command (the idea of scsi_debug's `opcode_info_arr`).
///
/// A class, immutable: the dispatcher handles a row by reference, so finding it costs one retain rather
/// than a copy of its name, usage data and handler.
public final class CommandSpec<Device: AnyObject & Sendable>: Sendable {
    public typealias Handler = @Sendable (Device, inout SCSICommand) throws(Sense) -> CommandOutcome

    public let opcode: UInt8
    /// The service action, for opcodes that have one (byte 1 bits 4–0, or bytes 8–9 of a 7Fh CDB).
    public let serviceAction: UInt16?
    public let name: String
    /// The CDB USAGE DATA of SPC-5 §6.35.3: its count is the CDB length; byte 0 is the opcode, the
    /// service action field holds the service action, and every other bit is 1 where the device server
    /// looks at it. A CDB with a 1 bit where the usage data has 0 is rejected with INVALID FIELD IN CDB.
    public let usage: [UInt8]
    public let direction: DataDirection
    /// The conditions in which the command may run; in any other the dispatcher answers NOT READY.
    public let states: DeviceStates
    public let flags: CommandFlags
    public let timeouts: CommandTimeouts
    public let handler: Handler
    /// `acceptedBits(at:)` for every byte of the row's CDB, computed once: the check per command is one
    /// AND per byte.
    @usableFromInline let acceptedMask: [UInt8]
    /// The bits of bytes 1…31 the row does not accept, laid out as `CDB`'s words (byte 0 and bytes past
    /// the row's length are not checked: 0): a CDB of up to 32 bytes passes with one AND per word.
    @usableFromInline let strayBits: (UInt64, UInt64, UInt64, UInt64)

    public init(
        _ opcode: UInt8, serviceAction: UInt16? = nil, _ name: String,
        usage: [UInt8], direction: DataDirection, states: DeviceStates, flags: CommandFlags = [],
        timeouts: CommandTimeouts = .quick, handler: @escaping Handler
    ) {
        precondition(usage.first == opcode, "\(name): usage byte 0 must be the opcode")
        if opcode == 0x7F {
            precondition(usage.count >= 10 && Int(usage[7]) == usage.count - 8, "\(name): 7Fh length")
        }
        self.opcode = opcode
        self.serviceAction = serviceAction
        self.name = name
        self.usage = usage
        self.direction = direction
        self.states = states
        self.flags = flags
        self.timeouts = timeouts
        self.handler = handler
        let accepted = (0..<usage.count).map {
            Self.acceptedBits(at: $0, opcode: opcode, serviceAction: serviceAction, usage: usage)
        }
        self.acceptedMask = accepted
        var stray: [UInt64] = [0, 0, 0, 0]
        for i in 1..<min(accepted.count, CDB.inlineCapacity) {
            stray[i / 8] |= UInt64(~accepted[i]) << (UInt64(i % 8) * 8)
        }
        self.strayBits = (stray[0], stray[1], stray[2], stray[3])
    }

    @inlinable public var cdbLength: Int { usage.count }

    /// Rejects a CDB shorter than the row's length, a variable-length CDB whose ADDITIONAL CDB LENGTH is
    /// not the row's, and any bit set outside the usage data, pointing at the first offending byte and
    /// its highest offending bit (SPC-5 §4.4.2.4.2).
    @inlinable @inline(__always) public func check(_ cdb: CDB) throws(Sense) {
        if passesCommonCheck(cdb) { return }
        try checkInDetail(cdb)
    }

    /// `check`'s common case, inline in the dispatcher (no call): an inline CDB at least the row's length,
    /// not variable-length, with no stray bit, one AND per word. False: `checkInDetail` decides.
    @inlinable @inline(__always) public func passesCommonCheck(_ cdb: CDB) -> Bool {
        cdb.count >= cdbLength && opcode != 0x7F && cdb.hasNoBits(of: strayBits) == true
    }

    /// `check`'s whole rule, for the CDBs its common case does not pass: passes them or finds the sense.
    @usableFromInline func checkInDetail(_ cdb: CDB) throws(Sense) {
        guard cdb.count >= cdbLength else {
            throw Sense(.illegalRequest, .invalidFieldInCDB, keySpecific: .fieldPointer(inCDB: true, byte: 0, bit: 7))
        }
        if opcode == 0x7F, Int(cdb[7]) != cdbLength - 8 {
            throw Sense(.illegalRequest, .invalidFieldInCDB, keySpecific: .fieldPointer(inCDB: true, byte: 7, bit: 7))
        }
        // The common case: an inline CDB with no stray bit, one AND per word. The byte loop finds the
        // offending byte and bit for the sense (and checks a CDB longer than 32 bytes).
        if cdb.hasNoBits(of: strayBits) == true { return }
        for i in 1..<cdbLength {
            let stray = cdb[i] & ~acceptedMask[i]
            if stray != 0 {
                let bit = UInt8(7 - stray.leadingZeroBitCount)
                throw Sense(
                    .illegalRequest, .invalidFieldInCDB,
                    keySpecific: .fieldPointer(inCDB: true, byte: UInt16(i), bit: bit))
            }
        }
    }

    /// Bits the validator accepts in byte `i` of a row's CDB: the usage bits, plus the service action
    /// field, which the table lookup has already matched exactly.
    static func acceptedBits(at i: Int, opcode: UInt8, serviceAction: UInt16?, usage: [UInt8]) -> UInt8 {
        guard i < usage.count else { return 0 }
        if serviceAction != nil {
            if opcode == 0x7F, i == 8 || i == 9 { return 0xFF }
            if opcode != 0x7F, i == 1 { return usage[1] | 0x1F }
        }
        if opcode == 0x7F, i == 7 { return 0xFF }  // additional length, checked for equality
        return usage[i]
    }
}
