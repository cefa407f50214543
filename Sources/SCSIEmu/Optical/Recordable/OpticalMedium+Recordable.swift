/// Opening a recordable disc (CD-R/RW, DVD±R/RW, BD-R/RE): the image holds the data at LBA × 2048, its
/// `<image>.disc` record (`DiscRecord`) the layout, and on a CD `<image>.cdda` the burned CD-DA sectors at
/// LBA × 2352 (sparse: nothing is allocated until audio is burned). A missing image, or `blank`, starts a blank disc of
/// `blankBlocks` (else the image's whole blocks, else the profile's nominal capacity), created sparse.
extension OpticalMedium {
    convenience init(
        recordable path: String, profile: MediumProfile, readOnly: Bool, maxTransferBlocks: UInt32,
        blank: Bool, blankBlocks: UInt32?
    ) throws(OpticalControlError) {
        let existing = try Self.existingBlocksBytes(path: path, readOnly: readOnly)
        let store: FileStore
        do { store = try FileStore(path: path, readOnly: readOnly, endIsError: false) } catch { throw .image(error) }
        let recordPath = DiscRecord.path(forImage: path)
        let capacity = blankBlocks ?? existing.map { UInt32(clamping: $0 / UInt64(Self.blockSize)) } ?? profile.nominalBlocks
        let recording: DiscRecording
        var audio: FileStore?
        do throws(StoreError) {
            if profile.isCD {
                let audioPath = path + ".cdda"
                audio = readOnly
                    ? try? FileStore(path: audioPath, readOnly: true, endIsError: false)
                    : try FileStore(path: audioPath, readOnly: false, endIsError: false)
            }
            if blank {
                try store.resize(to: 0)
                try audio?.resize(to: 0)
                if let old = try? FileStore(path: recordPath, readOnly: false) { try old.resize(to: 0); old.close() }
            }
            let bytes = UInt64(capacity) * UInt64(Self.blockSize)
            if !readOnly, store.size < bytes { try store.resize(to: bytes) }
            let audioBytes = UInt64(capacity) * UInt64(CDSector.rawSize)
            if !readOnly, let a = audio, a.size < audioBytes { try a.resize(to: audioBytes) }
            recording = try DiscRecording(
                recordPath: recordPath, image: store, audio: audio, blank: DiscLayout(blank: profile, capacity: capacity))
        } catch {
            audio?.removeIfCreated()
            store.removeIfCreated()
            throw .image(error)
        }
        let blocks = UInt64(recording.layout.capacity)
        self.init(
            path: path, openedProfile: profile, recording: recording,
            engine: BlockEngine(
                store: store, blockSize: UInt32(Self.blockSize), blockCount: blocks,
                maxTransferBlocks: maxTransferBlocks, readOnly: readOnly, writePointers: recording))
    }

    /// The whole-block bytes of an existing image; nil when none is there (a writable one is created).
    static func existingBlocksBytes(path: String, readOnly: Bool) throws(OpticalControlError) -> UInt64? {
        let opened: StoreFile<StoreError>?
        do { opened = try .openWithoutCreating(path: path, access: readOnly ? .readOnly : .readWriteCreating) } catch {
            throw .image(error)
        }
        guard let opened else { return nil }
        defer { opened.close(syncing: false) }
        let size: UInt64
        do { size = try opened.size() } catch { throw .image(error) }
        let bytes = size / UInt64(blockSize) * UInt64(blockSize)
        return bytes > 0 ? bytes : nil
    }
}
