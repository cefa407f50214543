/// Which way a command's data moves (SAM-6 §5.4.3), as the command table declares it. The dispatcher
/// hands a handler only the buffers its row's direction names (`SCSICommand.dataOut` / `dataIn`).
public enum DataDirection: Sendable, Hashable {
    case none
    /// Data-Out: initiator → device (WRITE, MODE SELECT, parameter lists).
    case toDevice
    /// Data-Out only when the CDB asks for it (VERIFY with BYTCHK ≠ 0, WRITE SAME with NDOB = 0): the
    /// handler reads the CDB and checks the Data-Out length it expects, or expects none.
    case maybeToDevice
    /// Data-In: device → initiator (READ, INQUIRY, …).
    case fromDevice
    /// Both (XDWRITEREAD-style commands; the ring puts the Data-In iovecs after the Data-Out ones).
    case bidirectional

    /// Whether a handler of this row may read Data-Out.
    @inlinable public var hasDataOut: Bool { self == .toDevice || self == .maybeToDevice || self == .bidirectional }
    /// Whether a handler of this row may write Data-In.
    @inlinable public var hasDataIn: Bool { self == .fromDevice || self == .bidirectional }
}
