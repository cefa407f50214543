import SCSIEmu

/// Sees every command a `RingServiceLoop` executes, after the device ran it and before its completion is
/// published (capture: `emud serve --capture DIR`). Called on the thread that ran the command: the
/// ring thread or an I/O worker, so possibly concurrently; an observer serializes itself.
public protocol CommandObserver: AnyObject, Sendable {
    func commandCompleted(_ command: ObservedCommand)
}

/// One executed command as the runner saw it.
public struct ObservedCommand {
    public var cdb: CDB
    /// The `iov_cnt` buffer's bytes before the device ran (the Data-Out when the command writes).
    public var dataBefore: [UInt8]
    /// The `iov_cnt` iovecs (Data-Out, or the Data-In of a one-way read), after the device ran.
    public var data: DataBuffer
    /// The Data-In iovecs of a bidirectional command (empty otherwise).
    public var bidiIn: DataBuffer
    /// What the device answered.
    public var result: CommandResult
    /// What goes into the ring (status, sense as encoded, READ_LEN).
    public var completion: RingCompletion

    public init(
        cdb: CDB, dataBefore: [UInt8], data: DataBuffer, bidiIn: DataBuffer, result: CommandResult,
        completion: RingCompletion
    ) {
        self.cdb = cdb
        self.dataBefore = dataBefore
        self.data = data
        self.bidiIn = bidiIn
        self.result = result
        self.completion = completion
    }
}
