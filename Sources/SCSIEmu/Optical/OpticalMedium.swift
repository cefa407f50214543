import Sense

/// A disc: an image file (or block device) read as 2048-byte logical blocks, with its profile.
///
/// The capacity comes from the image's own size (not the kernel's dev_size, tcmu-runner #661). A
/// rewritable DVD-RAM image is created when missing and grown (sparse) to `minimumBytes`; ROM images must
/// exist. I/O failures become MEDIUM ERROR sense carrying the failing LBA; an image that ends before its
/// capacity (shrunk underneath us) is UNRECOVERED READ ERROR, never GOOD with stale data.
public final class OpticalMedium: Sendable {
    public static let blockSize = 2048

    public let path: String
    public let profile: MediumProfile
    /// Writes get DATA PROTECT 27/00: a ROM profile, or `ro`.
    public let writeProtected: Bool
    public let blockCount: UInt32
    let file: StoreFile<SystemCallError>

    /// Opens the image for `profile`.
    /// - Parameters:
    ///   - readOnly: the `ro` option: open read-only and write-protect the medium.
    ///   - minimumBytes: grow a writable image to at least this size (the LUN's configured size).
    /// - Throws: `SystemCallError` naming the call and path.
    public init(path: String, profile: MediumProfile, readOnly: Bool, minimumBytes: UInt64 = 0) throws(SystemCallError) {
        let writable = profile.isRewritable && !readOnly
        let file = try StoreFile<SystemCallError>(path: path, access: writable ? .readWriteCreating : .readOnly)
        var size = try file.size()
        let wanted = minimumBytes / UInt64(Self.blockSize) * UInt64(Self.blockSize)
        if writable, size < wanted {
            try file.truncate(to: wanted)
            size = wanted
        }
        self.path = path
        self.profile = profile
        self.writeProtected = !writable
        self.blockCount = UInt32(min(size / UInt64(Self.blockSize), UInt64(UInt32.max)))
        self.file = file
    }

    public var state: GetConfiguration.MediumState {
        GetConfiguration.MediumState(profile: profile, writable: !writeProtected, blockCount: blockCount)
    }

    public var disc: ReadDVDStructure.Disc {
        ReadDVDStructure.Disc(profile: profile, writeProtected: writeProtected, blockCount: blockCount)
    }

    /// ILLEGAL REQUEST 21/00 unless `lba ..< lba + blocks` lies on the disc.
    public func checkRange(lba: UInt64, blocks: UInt64) throws(Sense) {
        guard lba <= UInt64(blockCount), blocks <= UInt64(blockCount) - lba else {
            throw Sense(.illegalRequest, .logicalBlockAddressOutOfRange)
        }
    }

    /// Reads `blocks` blocks from `lba` into the start of `buffer` (as much as it holds); returns the bytes.
    /// - Throws: MEDIUM ERROR 11/00 with INFORMATION = the first block not read.
    public func read(lba: UInt64, blocks: UInt64, into buffer: DataBuffer) throws(Sense) -> Int {
        let want = min(Int(blocks) * Self.blockSize, buffer.count)
        let got: Int
        do {
            got = try file.read(into: buffer, 0..<want, at: lba * UInt64(Self.blockSize))
        } catch {
            throw Sense(.mediumError, .unrecoveredReadError, information: lba)
        }
        guard got == want else {
            throw Sense(.mediumError, .unrecoveredReadError, information: lba + UInt64(got / Self.blockSize))
        }
        return got
    }

    /// Reads one block into a new array. - Throws: as `read(lba:blocks:into:)`.
    public func readBlock(_ lba: UInt64) throws(Sense) -> [UInt8] {
        let block = OwnedDataBuffer(count: Self.blockSize)
        _ = try read(lba: lba, blocks: 1, into: block.view)
        return block.bytes
    }

    /// Writes `blocks` blocks at `lba` from the start of `buffer`.
    /// - Throws: DATA PROTECT 27/00 when write-protected; MEDIUM ERROR 0C/00 with INFORMATION = `lba`.
    public func write(lba: UInt64, blocks: UInt64, from buffer: DataBuffer) throws(Sense) {
        guard !writeProtected else { throw Sense(.dataProtect, .writeProtected) }
        let want = min(Int(blocks) * Self.blockSize, buffer.count)
        do { try file.write(from: buffer, 0..<want, at: lba * UInt64(Self.blockSize)) } catch {
            throw Sense(.mediumError, .writeError, information: lba)
        }
    }

    /// Writes zeros over `count` bytes from `offset` (FORMAT UNIT). - Throws: MEDIUM ERROR 0C/00.
    func zero(offset: UInt64, count: Int, using zeros: [UInt8]) throws(Sense) {
        do { try file.writeBytes(count == zeros.count ? zeros : Array(zeros.prefix(count)), at: offset) } catch {
            throw Sense(.mediumError, .writeError, information: offset / UInt64(Self.blockSize))
        }
    }

    /// Flushes written data. - Throws: MEDIUM ERROR 0C/00.
    public func synchronize() throws(Sense) {
        guard !writeProtected else { return }
        do { try file.dataSync() } catch { throw Sense(.mediumError, .writeError) }
    }
}
