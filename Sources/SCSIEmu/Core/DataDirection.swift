/// Which way a command's data moves (SAM-6 §5.4.3), as the command table declares it.
public enum DataDirection: Sendable, Hashable {
    case none
    /// Data-Out: initiator → device (WRITE, MODE SELECT, parameter lists).
    case toDevice
    /// Data-In: device → initiator (READ, INQUIRY, …).
    case fromDevice
    /// Both (XDWRITEREAD-style commands; the ring puts the Data-In iovecs after the Data-Out ones).
    case bidirectional
}
