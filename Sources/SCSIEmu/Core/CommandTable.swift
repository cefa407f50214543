import Sense

/// A device kind's opcode table: dispatch, the reserved-bit check and REPORT SUPPORTED OPERATION CODES
/// all come from it. Built once per device kind; a duplicate row is a programmer error. A class,
/// immutable: handing the table to the dispatcher costs one retain, not a copy of its arrays.
public final class CommandTable<Device: SPCDevice>: Sendable {
    /// The rows in the order the table was written (REPORT SUPPORTED OPERATION CODES lists them so).
    public let specs: [CommandSpec<Device>]
    @usableFromInline let byOpcode: [Slot]

    @usableFromInline enum Slot: Sendable {
        case none
        case single(Int)
        case serviceActions([UInt16: Int])
    }

    public init(_ specs: [CommandSpec<Device>]) {
        var slots = [Slot](repeating: .none, count: 256)
        for (i, spec) in specs.enumerated() {
            let op = Int(spec.opcode)
            switch (slots[op], spec.serviceAction) {
            case (.none, nil): slots[op] = .single(i)
            case (.none, let sa?): slots[op] = .serviceActions([sa: i])
            case (.serviceActions(var m), let sa?):
                precondition(m[sa] == nil, "duplicate row \(spec.name)")
                m[sa] = i
                slots[op] = .serviceActions(m)
            default: preconditionFailure("duplicate or mixed rows for opcode \(op): \(spec.name)")
            }
        }
        self.specs = specs
        self.byOpcode = slots
    }

    /// Whether the opcode uses service actions in this table.
    public func hasServiceActions(_ opcode: UInt8) -> Bool {
        if case .serviceActions = byOpcode[Int(opcode)] { return true }
        return false
    }

    /// The row for an opcode (and service action, where the opcode has them).
    public func spec(opcode: UInt8, serviceAction: UInt16?) -> CommandSpec<Device>? {
        switch byOpcode[Int(opcode)] {
        case .none: return nil
        case .single(let i): return serviceAction == nil ? specs[i] : nil
        case .serviceActions(let m): return serviceAction.flatMap { m[$0] }.map { specs[$0] }
        }
    }

    /// The row a CDB selects, or nil.
    @inlinable public func spec(for cdb: CDB) -> CommandSpec<Device>? {
        (try? rowIndex(cdb)).map { specs[$0] }
    }

    /// The index in `specs` of the row a CDB selects, or the sense for an unsupported opcode or service
    /// action (SPC-5 §4.2.5.5: an unknown opcode is INVALID COMMAND OPERATION CODE, an unknown service
    /// action INVALID FIELD IN CDB pointing at the service action field).
    @inlinable public func rowIndex(_ cdb: CDB) throws(Sense) -> Int {
        switch byOpcode[Int(cdb.opcode)] {
        case .none:
            throw Sense(.illegalRequest, .invalidCommandOperationCode)
        case .single(let i):
            return i
        case .serviceActions(let m):
            if let i = m[cdb.serviceAction] { return i }
            let pointer: SenseKeySpecific =
                cdb.opcode == 0x7F
                ? .fieldPointer(inCDB: true, byte: 8, bit: 7) : .fieldPointer(inCDB: true, byte: 1, bit: 4)
            throw Sense(.illegalRequest, .invalidFieldInCDB, keySpecific: pointer)
        }
    }

    /// Refuses buffers whose direction contradicts the row's direction column, before the handler runs
    /// (so nothing is written). The one contradiction a TCMU device can see is a bidirectional buffer
    /// pair (the ring's `iov_bidi_cnt`) on a row that is not bidirectional: the ring entry does not say
    /// whether a one-way buffer is Data-In or Data-Out, so a one-way buffer is taken as the row's (and
    /// whatever the kernel may copy back of it is zeroed at completion).
    ///
    /// Sense: ILLEGAL REQUEST / INVALID FIELD IN CDB (24/00), no field pointer (no one CDB field is
    /// wrong). It is what LIO answers when a data CDB's transfer does not match what the CDB says
    /// (target_core_transport.c `target_cmd_size_check`, TCM_INVALID_CDB_FIELD), and LIO's iSCSI target
    /// refuses bidirectional commands outright. Not ABORTED COMMAND / DATA PHASE ERROR (4Bh/00h): that
    /// invites a retry, and the same command fails the same way again.
    ///
    /// Takes the bidirectional buffer's length, not the command: a command passed by value is copied
    /// (a `memcpy` call per command).
    @inlinable @inline(__always) static func checkBufferDirection(bidiInCount: Int, _ direction: DataDirection) throws(Sense) {
        if bidiInCount > 0, direction != .bidirectional {
            throw Sense(.illegalRequest, .invalidFieldInCDB)
        }
    }

    /// The row a CDB selects and whether it touches the store, looked up once per command; the table
    /// reached through the device (see `execute`).
    @inlinable @inline(__always) public static func route(_ cdb: CDB, of device: Device) -> CommandRoute {
        guard let i = try? rowIndex(cdb, of: device) else { return CommandRoute(row: nil, isStorageIO: false) }
        let flags = device.commandTable.specs[i].flags
        return CommandRoute(
            row: i, isStorageIO: flags.contains(.storageIO),
            completesAsynchronously: flags.contains(.completesAsynchronously),
            triesWithoutBlocking: flags.contains(.triesWithoutBlocking), writesToCache: flags.contains(.writesToCache))
    }

    /// Runs a command: the fault rules first when any are armed (the one injection point, issue 15),
    /// then `dispatch` on the row `route` found (`row`; nil looks it up). Always inlined, as `dispatch`:
    /// the result is written once, where the device's caller reads it.
    ///
    /// Static, and reaching the table, its row and the unit through `device` at each use, never as a
    /// value held across a call: the device is the caller's (guaranteed for the call), while a class
    /// reference loaded from a `let` or an array element and held across a call is retained and released
    /// around it (the table, the row and the `LogicalUnit` were, 3 pairs per command). Every call made
    /// here takes `device`, not the reference it reaches; only the handler's closure context is retained
    /// for its call.
    @inlinable @inline(__always)
    public static func execute(_ command: inout SCSICommand, on device: Device, row: Int? = nil) -> CommandResult {
        if _slowPath(device.unit.faults.isArmed) { return injectingFaults(&command, on: device, row: row) }
        return dispatch(&command, on: device, row: row)
    }

    /// The armed path, kept out of line so the unarmed one holds no reference and builds no closure.
    @usableFromInline static func injectingFaults(_ command: inout SCSICommand, on device: Device, row: Int?) -> CommandResult {
        device.unit.faults.inject(&command) { dispatch(&$0, on: device, row: row) }
    }

    /// Runs a command: take the row (or look it up), report a pending unit attention, check the CDB
    /// against the usage data and the buffers against the row's direction, check the unit's condition,
    /// hand the handler the buffers its row's direction names, call it. Every failure becomes CHECK
    /// CONDITION. Always inlined into `execute`: returned from a call of its own, the result was stored
    /// field by field and read back at once with wider loads, which stalled (docs/performance.md, session 13).
    @inlinable @inline(__always)
    public static func dispatch(_ command: inout SCSICommand, on device: Device, row: Int? = nil) -> CommandResult {
        do throws(Sense) {
            let index: Int
            if let row { index = row } else { index = try rowIndex(command.cdb, of: device) }
            if !device.commandTable.specs[index].flags.contains(.ignoresUnitAttention),
                device.unit.hasPendingUnitAttention, let ua = takeUnitAttention(of: device)
            {
                return .checkCondition(ua)
            }
            if !device.commandTable.specs[index].passesCommonCheck(command.cdb) {
                try checkInDetail(command.cdb, row: index, of: device)
            }
            let direction = device.commandTable.specs[index].direction
            try Self.checkBufferDirection(bidiInCount: command.bidiIn.count, direction)
            let condition = device.unit.condition
            guard device.commandTable.specs[index].states.contains(condition.state) else {
                return .checkCondition(condition.notReadySense)
            }
            command.direction = direction
            // Unfilled Data-In bytes are zeroed where completions are written (RingIO StaleDataGuard),
            // for every command whatever its row.
            return CommandResult(try device.commandTable.specs[index].handler(device, &command))
        } catch {
            return .checkCondition(error)
        }
    }

    /// `rowIndex` of the device's table, reached through the device (see `execute`): an opcode of one
    /// row inline, the rest (service actions, unsupported opcodes) out of line.
    @inlinable @inline(__always) static func rowIndex(_ cdb: CDB, of device: Device) throws(Sense) -> Int {
        if case .single(let i) = device.commandTable.byOpcode[Int(cdb.opcode)] { return i }
        return try rowIndexInDetail(cdb, of: device)
    }

    @usableFromInline @inline(never) static func rowIndexInDetail(_ cdb: CDB, of device: Device) throws(Sense) -> Int {
        try device.commandTable.rowIndex(cdb)
    }

    /// The unit attention `dispatch` reports, out of line and called with the device (see `execute`).
    @usableFromInline @inline(never) static func takeUnitAttention(of device: Device) -> Sense? {
        device.unit.takeUnitAttention()
    }

    /// The row's whole usage check, for a CDB its common case did not pass (see `execute`).
    @usableFromInline @inline(never) static func checkInDetail(_ cdb: CDB, row: Int, of device: Device) throws(Sense) {
        try device.commandTable.specs[row].checkInDetail(cdb)
    }
}
