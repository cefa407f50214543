/// A zoned image file: a regular file opened read-write (created when missing), through the stores'
/// file layer (`StoreFile`). Data moves straight between the file and the command's memory.
public final class ZonedFile: ZonedMedium {
    public let path: String
    private let file: StoreFile<MediumError>

    /// Opens (or creates, mode 0600) `path`. The caller decides whether an empty file gets formatted.
    public convenience init(path: String) throws(MediumError) {
        self.init(try StoreFile(path: path, access: .readWriteCreating))
    }

    private init(_ file: StoreFile<MediumError>) {
        self.file = file
        self.path = file.path
    }

    /// Opens `path` read-write as `init(path:)` does, without creating it: nil when it is missing and
    /// could be created (see `StoreFile.openWithoutCreating`).
    public static func openWithoutCreating(path: String) throws(MediumError) -> ZonedFile? {
        try StoreFile<MediumError>.openWithoutCreating(path: path, access: .readWriteCreating).map(ZonedFile.init)
    }

    /// Closes the file and removes it when `init(path:)` created it (the undo of a refused open).
    public func removeIfCreated() { file.removeIfCreated() }

    /// Closes the file without syncing (after a check that wrote nothing).
    public func close() { file.close(syncing: false) }

    public func holdsNoData() throws(MediumError) -> Bool { try file.holdsNoData() }

    public func length() throws(MediumError) -> UInt64 { try file.size() }

    public func setLength(_ length: UInt64) throws(MediumError) { try file.truncate(to: length) }

    public func read(into buffer: DataBuffer, range: Range<Int>, at offset: UInt64) throws(MediumError) {
        try file.readZeroFilled(into: buffer, range, at: offset)
    }

    public func write(from buffer: DataBuffer, range: Range<Int>, at offset: UInt64) throws(MediumError) {
        try file.write(from: buffer, range, at: offset)
    }

    public func read(count: Int, at offset: UInt64) throws(MediumError) -> [UInt8] {
        try file.readBytes(count: count, at: offset)
    }

    public func write(_ bytes: [UInt8], at offset: UInt64) throws(MediumError) {
        try file.writeBytes(bytes, at: offset)
    }

    /// Punches a hole (the space goes back to the file system), or writes zeros where it cannot.
    public func zero(length: UInt64, at offset: UInt64) throws(MediumError) {
        guard length > 0 else { return }
        if try file.punchHole(at: offset, length: length) { return }
        try file.writeZeros(at: offset, length: length)
    }

    public func sync() throws(MediumError) { try file.dataSync() }
}
