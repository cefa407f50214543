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

    /// The row a CDB selects and whether it touches the store: looked up once per command.
    @inlinable public func route(_ cdb: CDB) -> CommandRoute {
        guard let i = try? rowIndex(cdb) else { return CommandRoute(row: nil, isStorageIO: false) }
        return CommandRoute(row: i, isStorageIO: specs[i].flags.contains(.storageIO))
    }

    /// Runs a command: take the row `route` found (or look it up), report a pending unit attention, check
    /// the CDB against the usage data, check the unit's condition, call the handler. Every failure
    /// becomes CHECK CONDITION.
    @inlinable public func execute(_ command: inout SCSICommand, on device: Device, row: Int? = nil) -> CommandResult {
        do throws(Sense) {
            let index: Int
            if let row { index = row } else { index = try rowIndex(command.cdb) }
            let spec = specs[index]
            if !spec.flags.contains(.ignoresUnitAttention), let ua = device.unit.takeUnitAttention() {
                return .checkCondition(ua)
            }
            try spec.check(command.cdb)
            let condition = device.unit.condition
            guard spec.states.contains(condition.state) else {
                return .checkCondition(condition.notReadySense)
            }
            command.direction = spec.direction
            let outcome = try spec.handler(device, &command)
            // The kernel takes READ_LEN 0 as "not set" and copies the whole Data-In buffer, so a
            // Data-In command that produced nothing (allocation length 0) must not leave stale
            // data-area bytes there (target_core_user.c tcmu_handle_completion).
            if outcome.dataInLength == 0, spec.direction.hasDataIn {
                command.dataIn.zero(0..<command.dataIn.count)
            }
            return CommandResult(outcome)
        } catch {
            return .checkCondition(error)
        }
    }
}
