import Sense

/// One SCSI command as a handler sees it: the CDB and bounds-checked views of its data.
public struct SCSICommand: Sendable {
    public var cdb: CDB
    /// The iovecs the kernel gave for Data-Out (or the Data-In of a one-way read command).
    public var data: DataBuffer
    /// The Data-In iovecs of a bidirectional command (empty otherwise).
    public var bidiIn: DataBuffer
    /// The ring's command id, for logs (0 outside the ring).
    public var tag: UInt16
    /// The row's direction, set by the dispatcher before the handler runs: it decides which of `dataOut`
    /// and `dataIn` the handler sees (the other is empty). `.bidirectional` until then.
    public var direction: DataDirection = .bidirectional
    /// Set by a fault rule: complete later, or hold (nil: complete now).
    public var deferral: CompletionDeferral? = nil
    /// Set by the ring thread when the command may complete from an asynchronous store's callback
    /// (`CommandCompletionSink`); nil: the handler runs the command to its result.
    public var completionSink: CommandCompletionSink? = nil
    /// Whether the handler may wait for the store: the ring thread sets `mustNotBlock` to try a command
    /// it would otherwise hand to an I/O worker (a read the page cache may hold); a handler that would
    /// wait answers by setting `wouldBlock` before it changed anything, and the ring hands the command
    /// to a worker, which runs it afresh.
    public var blocking: Blocking = .mayBlock

    public init(cdb: CDB, data: DataBuffer = DataBuffer(), bidiIn: DataBuffer = DataBuffer(), tag: UInt16 = 0) {
        self.cdb = cdb
        self.data = data
        self.bidiIn = bidiIn
        self.tag = tag
    }

    /// Data-Out: what the initiator sent (empty unless the row has Data-Out).
    public var dataOut: DataBuffer { direction.hasDataOut ? data : DataBuffer() }
    /// Data-In: where the response goes (empty unless the row has Data-In).
    public var dataIn: DataBuffer {
        switch dataInSource {
        case .none: DataBuffer()
        case .bidiIn: bidiIn
        case .data: data
        }
    }

    /// Which stored buffer is the Data-In buffer: none unless the row has Data-In; a bidirectional
    /// command's second buffer when it has one, else `data`. The one statement of the rule: a hot path
    /// that must pass the stored buffer where it lies (READ) switches on it instead of copying `dataIn`.
    @inline(__always) public var dataInSource: DataInSource {
        guard direction.hasDataIn else { return .none }
        return bidiIn.count > 0 ? .bidiIn : .data
    }

    public enum DataInSource: Sendable { case none, bidiIn, data }

    /// Writes a response truncated to `allocationLength` (SPC-5 §4.2.5.6) and the Data-In buffer, and
    /// returns GOOD with the number of bytes actually produced (the ring reports it as READ_LEN).
    public func respond(_ bytes: [UInt8], allocationLength: Int) -> CommandOutcome {
        let n = min(bytes.count, max(0, allocationLength))
        return .good(dataInLength: dataIn.write(bytes.prefix(n)))
    }
}

/// `SCSICommand.blocking`: whether the handler may wait for the store, and whether it would have.
public enum Blocking: UInt8, Sendable, Hashable {
    case mayBlock
    /// Run it only if nothing has to wait (the ring thread's try).
    case mustNotBlock
    /// Set by the handler under `mustNotBlock`: not run, it would have waited.
    case wouldBlock
}

/// What a handler returns when the command did not fail with sense data.
public struct CommandOutcome: Sendable, Hashable {
    public var status: SCSIStatus
    /// Bytes of Data-In produced (0 for other directions).
    public var dataInLength: Int

    public init(status: SCSIStatus, dataInLength: Int = 0) {
        self.status = status
        self.dataInLength = dataInLength
    }

    public static func good(dataInLength: Int = 0) -> CommandOutcome {
        CommandOutcome(status: .good, dataInLength: dataInLength)
    }
    public static let good = CommandOutcome(status: .good)
    public static let conditionMet = CommandOutcome(status: .conditionMet)
    public static let busy = CommandOutcome(status: .busy)
    public static let taskSetFull = CommandOutcome(status: .taskSetFull)
}

/// The completed command: status, sense for CHECK CONDITION, and the Data-In length (READ_LEN).
public struct CommandResult: Sendable, Hashable {
    public var status: SCSIStatus
    public var sense: Sense?
    public var dataInLength: Int

    public init(status: SCSIStatus, sense: Sense? = nil, dataInLength: Int = 0) {
        self.status = status
        self.sense = sense
        self.dataInLength = dataInLength
    }

    public init(_ outcome: CommandOutcome) {
        self.init(status: outcome.status, dataInLength: outcome.dataInLength)
    }

    public static func checkCondition(_ sense: Sense, dataInLength: Int = 0) -> CommandResult {
        CommandResult(status: .checkCondition, sense: sense, dataInLength: dataInLength)
    }
}
