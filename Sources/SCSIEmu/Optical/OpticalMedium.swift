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
    /// - Throws: `.image` naming the call and path, `.unusableImage` for an image that is no disc (see
    ///   `checkSize`). A refused open removes the file it created.
    public init(
        path: String, profile: MediumProfile, readOnly: Bool, minimumBytes: UInt64 = 0
    ) throws(OpticalControlError) {
        let writable = profile.isRewritable && !readOnly
        let file: StoreFile<SystemCallError>
        do { file = try StoreFile(path: path, access: writable ? .readWriteCreating : .readOnly) } catch {
            throw .image(error)
        }
        var size: UInt64
        do throws(OpticalControlError) {
            size = try Self.size(of: file)
            let wanted = Self.grownSize(size, writable: writable, minimumBytes: minimumBytes)
            try Self.checkSize(path: path, size: wanted, existing: size)
            if wanted > size {
                do { try file.truncate(to: wanted) } catch { throw .image(error) }
                size = wanted
            }
        } catch {
            file.removeIfCreated()
            throw error
        }
        self.path = path
        self.profile = profile
        self.writeProtected = !writable
        self.blockCount = UInt32(min(size / UInt64(Self.blockSize), UInt64(UInt32.max)))
        self.file = file
    }

    /// Runs the checks `init` makes, without creating or changing any file: the image opens as the profile
    /// and `ro` ask (a missing DVD-RAM image: its directory takes new files) and is a disc (`checkSize`).
    /// - Parameter minimumBytes: the LUN's size when known; nil skips the checks that depend on it.
    public static func check(
        path: String, profile: MediumProfile, readOnly: Bool, minimumBytes: UInt64?
    ) throws(OpticalControlError) {
        let writable = profile.isRewritable && !readOnly
        let opened: StoreFile<SystemCallError>?
        do { opened = try .openWithoutCreating(path: path, access: writable ? .readWriteCreating : .readOnly) } catch {
            throw .image(error)
        }
        var size: UInt64 = 0
        if let opened {
            defer { opened.close(syncing: false) }
            size = try Self.size(of: opened)
        }
        guard minimumBytes != nil || size > 0 || !writable else { return }  // grown to a size not known yet
        let wanted = grownSize(size, writable: writable, minimumBytes: minimumBytes ?? 0)
        try checkSize(path: path, size: wanted, existing: size)
    }

    /// The whole 2048-byte blocks of an existing image, in bytes (nil: none there, or none whole).
    public static func existingSize(path: String) throws(OpticalControlError) -> UInt64? {
        let opened: StoreFile<SystemCallError>?
        do { opened = try .openWithoutCreating(path: path, access: .readOnly) } catch { throw .image(error) }
        guard let opened else { return nil }
        defer { opened.close(syncing: false) }
        let bytes = try size(of: opened) / UInt64(blockSize) * UInt64(blockSize)
        return bytes > 0 ? bytes : nil
    }

    private static func size(of file: StoreFile<SystemCallError>) throws(OpticalControlError) -> UInt64 {
        do { return try file.size() } catch { throw .image(error) }
    }

    /// The size a writable image is grown to: at least `minimumBytes` rounded down to whole blocks.
    private static func grownSize(_ size: UInt64, writable: Bool, minimumBytes: UInt64) -> UInt64 {
        let wanted = minimumBytes / UInt64(blockSize) * UInt64(blockSize)
        return writable ? max(size, wanted) : size
    }

    /// Refuses what is no disc: an image of `size` bytes (after growing) holding no 2048-byte block, or an
    /// existing image whose length is not a whole number of blocks (not an ISO 9660/UDF image: a partial
    /// last block could be neither read nor written).
    static func checkSize(path: String, size: UInt64, existing: UInt64) throws(OpticalControlError) {
        let b = UInt64(blockSize)
        if size < b {
            throw .unusableImage(
                path: path,
                reason: existing == 0 && size == 0
                    ? "empty (0 bytes): a disc image holds at least one 2048-byte block"
                    : "\(size) bytes, less than one 2048-byte block")
        }
        if existing % b != 0 {
            throw .unusableImage(
                path: path, reason: "\(existing) bytes is not a multiple of 2048 (not a disc image of 2048-byte blocks)")
        }
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
