import Sense

/// A CUE/BIN disc as the store of the drive's `BlockEngine`: 2048-byte logical blocks holding the user
/// data of each data sector, so READ(10)/(12) and READ CAPACITY work as on a data CD (MMC-6 §6.17: a
/// logical block is a sector's user data). Read-only.
final class CDImageStore: BackingStore {
    let image: CDImage

    init(image: CDImage) { self.image = image }

    var size: UInt64 { UInt64(image.blockCount) * 2048 }
    var isReadOnly: Bool { true }
    var discardGranularity: UInt64 { 0 }
    var description: String { "cue \(image.sheetPath)" }

    func read(into buffer: DataBuffer, _ range: Range<Int>, at offset: UInt64) throws(StoreError) {
        try checkRange(offset, UInt64(range.count))
        try image.readUserData(into: buffer, range, at: offset)
    }

    func write(from buffer: DataBuffer, _ range: Range<Int>, at offset: UInt64) throws(StoreError) { throw .readOnly }
    func writeDurable(from buffer: DataBuffer, _ range: Range<Int>, at offset: UInt64) throws(StoreError) {
        throw .readOnly
    }
    func flush() throws(StoreError) {}
    func writeZeroes(at offset: UInt64, length: UInt64, deallocate: Bool) throws(StoreError) { throw .readOnly }
    func discard(at offset: UInt64, length: UInt64) throws(StoreError) { throw .readOnly }
    func allocationStatus(at offset: UInt64) throws(StoreError) -> AllocationRun {
        AllocationRun(mapped: true, length: max(1, size - min(offset, size)))
    }
    func prefetch(at offset: UInt64, length: UInt64) {}
    func resize(to size: UInt64) throws(StoreError) { throw .unsupported("resizing a CUE/BIN disc") }
    func close() { image.close() }
}

/// READ(10)/(12) and VERIFY on a CUE/BIN disc: a range touching an audio track is refused with ILLEGAL
/// MODE FOR THIS TRACK (05/64/00), as a drive answers a 2048-byte read of CD-DA sectors (MMC-6 §6.17.2;
/// audio is read with READ CD). The disc is never written.
final class CDTrackReadPolicy: WritePointerPolicy {
    let layout: CDLayout

    init(layout: CDLayout) { self.layout = layout }

    func admitRead(lba: UInt64, blocks: UInt64) throws(Sense) -> [Range<UInt64>] {
        let end = lba + blocks
        for t in layout.tracks where t.mode == .audio && UInt64(t.pregapStart) < end && lba < UInt64(t.end) {
            throw Sense(.illegalRequest, .illegalModeForThisTrack, information: max(lba, UInt64(t.pregapStart)))
        }
        return []
    }

    func write(
        lba: UInt64, blocks: UInt64, durable: Bool, holdsData: () -> Bool, land: () throws(Sense) -> Void
    ) throws(Sense) {
        throw Sense(.dataProtect, .writeProtected)
    }

    func synchronize() throws(Sense) {}
}
