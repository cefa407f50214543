import Sense

/// A disc: an image file (or block device) served as 2048-byte logical blocks by a `BlockEngine`, with
/// its profile. The drive's medium policy (`OpticalDevice.mediaEngine()`) hands this engine to the media
/// rows while the disc is in the closed tray and no format runs.
///
/// The capacity comes from the image's own size (not the kernel's dev_size, tcmu-runner #661). A
/// rewritable DVD-RAM image is created when missing and grown (sparse) to `minimumBytes`; ROM images must
/// exist and are write-protected (the engine's store is read-only: DATA PROTECT 27/00). An image that
/// ends before its capacity (shrunk underneath us) reads as MEDIUM ERROR 11/00 carrying the first LBA
/// missing, never GOOD with stale data.
public final class OpticalMedium: Sendable {
    public static let blockSize = 2048

    public let path: String
    /// The profile the disc was opened as; a recordable disc's current one is its layout's (`profile`).
    public let openedProfile: MediumProfile
    public let engine: BlockEngine
    /// A recordable disc's layout and record (nil for ROM and DVD-RAM).
    public let recording: DiscRecording?
    /// The CUE/BIN disc behind `engine`, when the image is a CUE sheet (audio and raw sectors).
    public let cd: CDImage?

    /// The current profile: a DVD-RW's changes with FORMAT UNIT and BLANK.
    public var profile: MediumProfile { recording?.layout.profile ?? openedProfile }

    /// Opens the image for `profile`.
    /// - Parameters:
    ///   - readOnly: the `ro` option: open read-only and write-protect the medium.
    ///   - minimumBytes: grow a writable image to at least this size (the LUN's configured size).
    ///   - maxTransferBlocks: the MAXIMUM TRANSFER LENGTH enforced (0: none; MMC reports none).
    /// - Throws: `.image` naming the call and path, `.unusableImage` for an image that is no disc (see
    ///   `checkSize`). A refused open removes the file it created.
    ///   - blank: a recordable profile only: start a new blank disc of `blankBlocks` (default: the image's
    ///     size, else the profile's nominal capacity), discarding the image's data and record.
    public convenience init(
        path: String, profile: MediumProfile, readOnly: Bool, minimumBytes: UInt64 = 0, maxTransferBlocks: UInt32 = 0,
        blank: Bool = false, blankBlocks: UInt32? = nil
    ) throws(OpticalControlError) {
        if profile.isRecordable {
            try self.init(
                recordable: path, profile: profile, readOnly: readOnly, maxTransferBlocks: maxTransferBlocks,
                blank: blank, blankBlocks: blankBlocks)
            return
        }
        let writable = profile.isRewritable && !readOnly
        let store: FileStore
        do { store = try FileStore(path: path, readOnly: !writable, endIsError: true) } catch { throw .image(error) }
        do throws(OpticalControlError) {
            let size = store.size
            let wanted = Self.grownSize(size, writable: writable, minimumBytes: minimumBytes)
            try Self.checkSize(path: path, size: wanted, existing: size)
            if wanted > size {
                do { try store.resize(to: wanted) } catch { throw .image(error) }
            }
        } catch {
            store.removeIfCreated()
            throw error
        }
        self.init(
            path: path, openedProfile: profile, recording: nil,
            engine: BlockEngine(
                store: store, blockSize: UInt32(Self.blockSize),
                blockCount: min(store.size / UInt64(Self.blockSize), UInt64(UInt32.max)),
                maxTransferBlocks: maxTransferBlocks, readOnly: !writable))
    }

    init(
        path: String, openedProfile: MediumProfile, recording: DiscRecording?, engine: BlockEngine, cd: CDImage? = nil
    ) {
        self.path = path
        self.openedProfile = openedProfile
        self.recording = recording
        self.engine = engine
        self.cd = cd
    }

    /// Opens a CUE sheet and its BIN files as a CD-ROM (profile 0008h), read-only.
    /// - Throws: `.image` when a file cannot be opened, `.unusableImage` naming the sheet's bad line.
    public convenience init(cueSheetAt path: String) throws(OpticalControlError) {
        let image = try CDImage(sheetPath: path)
        self.init(
            path: path, openedProfile: .cdROM, recording: nil,
            engine: BlockEngine(
                store: CDImageStore(image: image), blockSize: UInt32(Self.blockSize),
                blockCount: UInt64(image.blockCount), readOnly: true,
                writePointers: CDTrackReadPolicy(layout: image.layout)),
            cd: image)
    }

    /// Whether `path` names a CUE sheet (by its `.cue` extension, any case).
    public static func isCueSheet(_ path: String) -> Bool { path.lowercased().hasSuffix(".cue") }

    /// Opens `path` as the disc: a CUE sheet as a CD-ROM, any other image as `profile` (see `init`).
    public static func open(
        path: String, profile: MediumProfile, readOnly: Bool, minimumBytes: UInt64, blank: Bool = false,
        blankBlocks: UInt32? = nil
    ) throws(OpticalControlError) -> OpticalMedium {
        if isCueSheet(path) { return try OpticalMedium(cueSheetAt: path) }
        return try OpticalMedium(
            path: path, profile: profile, readOnly: readOnly, minimumBytes: minimumBytes, blank: blank,
            blankBlocks: blankBlocks)
    }

    /// Writes get DATA PROTECT 27/00: a ROM profile, or `ro`.
    public var writeProtected: Bool { engine.isReadOnly }
    public var blockCount: UInt32 { UInt32(engine.blockCount) }

    /// Runs the checks `init` makes, without creating or changing any file: the image opens as the profile
    /// and `ro` ask (a missing DVD-RAM image: its directory takes new files) and is a disc (`checkSize`).
    /// - Parameter minimumBytes: the LUN's size when known; nil skips the checks that depend on it.
    public static func check(
        path: String, profile: MediumProfile, readOnly: Bool, minimumBytes: UInt64?
    ) throws(OpticalControlError) {
        let writable = profile.isRewritable && !readOnly
        let opened: StoreFile<StoreError>?
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
        let opened: StoreFile<StoreError>?
        do { opened = try .openWithoutCreating(path: path, access: .readOnly) } catch { throw .image(error) }
        guard let opened else { return nil }
        defer { opened.close(syncing: false) }
        let bytes = try size(of: opened) / UInt64(blockSize) * UInt64(blockSize)
        return bytes > 0 ? bytes : nil
    }

    private static func size(of file: StoreFile<StoreError>) throws(OpticalControlError) -> UInt64 {
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

    /// Reads one block into a new array (READ CD's framed sectors). - Throws: MEDIUM ERROR 11/00.
    func readBlock(_ lba: UInt64) throws(Sense) -> [UInt8] {
        let block = OwnedDataBuffer(count: Self.blockSize)
        try engine.storeIO(at: lba, writing: false) { () throws(StoreError) in
            try engine.store.read(into: block.view, 0..<Self.blockSize, at: engine.byteOffset(lba))
        }
        return block.bytes
    }

    /// Writes zeros over `count` bytes from `offset` (FORMAT UNIT). - Throws: MEDIUM ERROR 0C/00.
    func zero(offset: UInt64, count: Int) throws(Sense) {
        try engine.storeIO(at: offset / UInt64(Self.blockSize), writing: true) { () throws(StoreError) in
            try engine.store.writeZeroes(at: offset, length: UInt64(count), deallocate: false)
        }
    }
}
