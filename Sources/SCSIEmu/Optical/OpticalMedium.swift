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
    public let profile: MediumProfile
    public let engine: BlockEngine

    /// Opens the image for `profile`.
    /// - Parameters:
    ///   - readOnly: the `ro` option: open read-only and write-protect the medium.
    ///   - minimumBytes: grow a writable image to at least this size (the LUN's configured size).
    ///   - maxTransferBlocks: the MAXIMUM TRANSFER LENGTH enforced (0: none; MMC reports none).
    /// - Throws: `StoreError` naming the call and its errno.
    public init(
        path: String, profile: MediumProfile, readOnly: Bool, minimumBytes: UInt64 = 0, maxTransferBlocks: UInt32 = 0
    ) throws(StoreError) {
        let writable = profile.isRewritable && !readOnly
        let store = try FileStore(path: path, readOnly: !writable, endIsError: true)
        let wanted = minimumBytes / UInt64(Self.blockSize) * UInt64(Self.blockSize)
        if writable, store.size < wanted { try store.resize(to: wanted) }
        self.path = path
        self.profile = profile
        self.engine = BlockEngine(
            store: store, blockSize: UInt32(Self.blockSize),
            blockCount: min(store.size / UInt64(Self.blockSize), UInt64(UInt32.max)),
            maxTransferBlocks: maxTransferBlocks, readOnly: !writable)
    }

    /// Writes get DATA PROTECT 27/00: a ROM profile, or `ro`.
    public var writeProtected: Bool { engine.isReadOnly }
    public var blockCount: UInt32 { UInt32(engine.blockCount) }

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
