/// Where a zoned image lives: byte-addressed storage with an explicit durability point.
///
/// `ZonedFile` is the real one; tests use a simulated medium that loses every write not yet followed by
/// `sync()` (or tears it) to check the store's crash safety.
public protocol ZonedMedium: AnyObject, Sendable {
    /// The current length in bytes.
    func length() throws(MediumError) -> UInt64
    /// Sets the length (new bytes read as zeros).
    func setLength(_ length: UInt64) throws(MediumError)
    /// Reads `range` of `buffer` from `offset`; bytes past the end of the medium read as zeros.
    func read(into buffer: DataBuffer, range: Range<Int>, at offset: UInt64) throws(MediumError)
    /// Writes `range` of `buffer` at `offset`.
    func write(from buffer: DataBuffer, range: Range<Int>, at offset: UInt64) throws(MediumError)
    func read(count: Int, at offset: UInt64) throws(MediumError) -> [UInt8]
    func write(_ bytes: [UInt8], at offset: UInt64) throws(MediumError)
    /// Makes `length` bytes at `offset` read as zeros, releasing their space where possible.
    func zero(length: UInt64, at offset: UInt64) throws(MediumError)
    /// Makes every completed write durable (fdatasync).
    func sync() throws(MediumError)
    /// Whether the medium holds no data at all (no data extent: a sparse file made by `truncate -s`):
    /// nobody's data, so opening formats it.
    func holdsNoData() throws(MediumError) -> Bool
}

extension ZonedMedium {
    /// Media that cannot tell holes from data count as holding data (only an empty one is blank).
    public func holdsNoData() throws(MediumError) -> Bool { false }
}

/// A failed medium operation: which system call, on which file, and its errno.
public typealias MediumError = SystemCallError
