import Sense
import Synchronization

/// A recordable disc's write-pointer policy on the shared `BlockEngine` (MMC-6 §4.5): the disc layout
/// under one lock, persisted in its `DiscRecord` after every change.
///
/// - Sequential media read only what was recorded (elsewhere ILLEGAL REQUEST 21/00, as READ CAPACITY
///   ends at the last recorded block) and write only at a track's NWA (21/02, `DiscLayout.write`).
/// - Overwrite media (DVD+RW, DVD-RW RO, BD-RE) read and write anywhere; the first write formats.
///
/// The record is rewritten (not synced) after each write, so a kill -9 loses nothing the page cache
/// holds; FUA, SYNCHRONIZE CACHE and every CLOSE/RESERVE/BLANK/FORMAT flush the image, then the record.
public final class DiscRecording: WritePointerPolicy {
    struct State: Sendable {
        var layout: DiscLayout
        var generation: UInt64
        var slot: Int
        /// The disc status changed since the drive last asked (a GESN media event is due).
        var changed = false
        /// The CD session SEND CUE SHEET announced, until it closes. Its tracks are in the record (marked
        /// `fromCueSheet`), the cue sheet itself only here, as in a drive's memory: a restart or reload in
        /// the middle of it finds the marked tracks and leaves the disc as an interrupted burn
        /// (`DiscLayout.abandonSessionAtOnce`).
        var sessionAtOnce: SessionAtOnce?
        /// A test write in progress (page 05h TEST WRITE, MMC-6 §7.5.4.2): the disc as the simulated burn
        /// has left it so far. Writes, SEND CUE SHEET and CLOSE TRACK act on it and nothing else — no data
        /// lands, nothing is committed; it ends when its session closes (the disc as it was), at any real
        /// change, and with the drive (a reload or restart finds the recorded disc).
        var simulated: DiscLayout?
        /// The last write was a CD track at once (page 05h WRITE TYPE 1): SYNCHRONIZE CACHE then ends the
        /// track being written (MMC-6 §4.5.3.2: the drive writes its run-out once the host flushes), as
        /// wodim -tao expects between tracks (it sends no CLOSE TRACK).
        var trackAtOnce = false
    }

    let state: Mutex<State>
    let record: any BackingStore
    let image: any BackingStore
    /// A CD's burned CD-DA sectors, 2352 bytes at LBA × 2352 (`<image>.cdda`, sparse); nil on DVD/BD.
    let audio: (any BackingStore)?
    /// The last sector READ CD read (READ SUB-CHANNEL's current position, MMC-6 §6.28.3.2).
    let headPosition = Atomic<UInt32>(0)

    /// Opens the record at `recordPath` (created with `blank` when missing or holding no valid slot).
    public init(recordPath: String, image: any BackingStore, audio: (any BackingStore)? = nil, blank: DiscLayout) throws(StoreError) {
        let record = try FileStore(path: recordPath, readOnly: false)
        let slots = UInt64(2 * DiscRecord.slotBytes)
        if record.size < slots { try record.resize(to: slots) }
        self.record = record
        self.image = image
        self.audio = audio
        if let found = DiscRecord.load(record) {
            state = Mutex(State(layout: found.layout, generation: found.generation, slot: found.slot))
            try state.withLock { s throws(StoreError) in
                var l = s.layout
                l.abandonSessionAtOnce()
                guard l != s.layout else { return }
                s.layout = l
                try commit(&s, durable: true)
            }
        } else {
            state = Mutex(State(layout: blank, generation: 0, slot: 1))
            try state.withLock { s throws(StoreError) in try commit(&s, durable: true) }
        }
    }

    /// The disc as the drive reports it: a test write in progress shows its simulated tracks and NWA.
    public var layout: DiscLayout { state.withLock { $0.simulated ?? $0.layout } }
    /// The disc as recorded (what `emud ctl status` and export show; a test write never changes it).
    public var recordedLayout: DiscLayout { state.withLock { $0.layout } }

    /// Commits `s` after a layout change; a store failure is MEDIUM ERROR / write fault.
    func commitChange(_ s: inout State, durable: Bool, firstBlock: UInt64? = nil) throws(Sense) {
        do throws(StoreError) { try commit(&s, durable: durable) } catch { throw error.sense(writing: true, firstBlock: firstBlock) }
    }

    /// Writes the next slot; with `durable`, the image first, then the record, reach the disk.
    func commit(_ s: inout State, durable: Bool) throws(StoreError) {
        if durable {
            try image.flush()
            try audio?.flush()
        }
        let slot = 1 - s.slot
        let bytes = DiscRecord.slot(s.layout, generation: s.generation + 1)
        let used = DiscRecord.headerBytes + DiscRecord.payload(s.layout).count
        try record.writeBytes(Array(bytes[0..<used]), at: UInt64(slot * DiscRecord.slotBytes))
        if durable { try record.flush() }
        s.generation += 1
        s.slot = slot
    }

    /// Runs a layout change (CLOSE, RESERVE, BLANK, FORMAT) and commits it durably; a session at once in
    /// progress ends first, as interrupted (its cue sheet is dropped). With `simulate` (a test write) the
    /// change acts on the simulated disc only and commits nothing; once it closes a session (or finalizes)
    /// the simulation is over and the recorded disc is what the drive reports again.
    public func change<R>(simulate: Bool = false, _ body: (inout DiscLayout) throws(Sense) -> R) throws(Sense) -> R {
        try state.withLock { s throws(Sense) in
            if simulate {
                var l = s.simulated ?? s.layout
                l.abandonSessionAtOnce()
                let result = try body(&l)
                s.sessionAtOnce = nil
                s.simulated = l.closedSessions > (s.simulated ?? s.layout).closedSessions || l.finalized ? nil : l
                return result
            }
            s.simulated = nil
            var l = s.layout
            l.abandonSessionAtOnce()
            let result = try body(&l)
            s.layout = l
            s.changed = true
            s.sessionAtOnce = nil
            try commitChange(&s, durable: true)
            return result
        }
    }

    /// Whether the disc changed since the last call (the drive queues a GESN MediaChanged event).
    public func takeChange() -> Bool {
        state.withLock { s in
            defer { s.changed = false }
            return s.changed
        }
    }

    // MARK: - WritePointerPolicy

    public func admitRead(lba: UInt64, blocks: UInt64) throws(Sense) -> [Range<UInt64>] {
        let (ok, audio) = state.withLock { ($0.layout.isRecorded(lba: lba, blocks: blocks), $0.layout.audioOverlap(lba: lba, blocks: blocks)) }
        if let audio { throw Sense(.illegalRequest, .illegalModeForThisTrack, information: audio) }
        guard ok else { throw Sense(.illegalRequest, .logicalBlockAddressOutOfRange) }
        return []
    }

    /// A retried write is not answered from `holdsData`: a drive writes at the NWA only, so a write the
    /// disc already holds is below the NWA and refused like any other write off the NWA.
    public func write(
        lba: UInt64, blocks: UInt64, durable: Bool, holdsData: () -> Bool, land: () throws(Sense) -> Void
    ) throws(Sense) {
        try state.withLock { s throws(Sense) in
            s.simulated = nil
            var l = s.layout
            let before = l.status
            try l.write(lba: lba, blocks: blocks)
            try land()
            s.layout = l
            if l.status != before { s.changed = true }
            do throws(StoreError) { try commit(&s, durable: durable) } catch { throw error.sense(writing: true, firstBlock: lba) }
        }
    }

    /// Makes everything durable; a session at once whose every block was written closes here (the
    /// drive writes its lead-out once the host flushes, MMC-6 §4.5.3.3).
    public func synchronize() throws(Sense) {
        try state.withLock { s throws(Sense) in
            if s.trackAtOnce, s.sessionAtOnce == nil {
                s.trackAtOnce = false
                var l = s.simulated ?? s.layout
                if let open = l.openTrack, !open.isBlank, !open.reserved {
                    try l.closeTrack(number: open.number)
                    if s.simulated != nil { s.simulated = l } else { s.layout = l; s.changed = true }
                }
            }
            if let sao = s.sessionAtOnce, sao.isComplete, s.simulated != nil {
                s.simulated = nil
                s.sessionAtOnce = nil
                return
            }
            if let sao = s.sessionAtOnce, sao.isComplete {
                var l = s.layout
                try l.closeSession(finalize: sao.finalize)
                s.layout = l
                s.sessionAtOnce = nil
                s.changed = true
            }
            try commitChange(&s, durable: true)
        }
    }

    /// A write under TEST WRITE: checked as a write (`DiscLayout.write`, 21/02 off the NWA) against the
    /// simulated disc, which takes it; no data lands and nothing is committed.
    public func simulateWrite(lba: UInt64, blocks: UInt64, audio: Bool = false) throws(Sense) {
        try state.withLock { s throws(Sense) in
            var l = s.simulated ?? s.layout
            try l.write(lba: lba, blocks: blocks, audio: audio)
            s.simulated = l
        }
    }

    public func close() {
        (record as? FileStore)?.close()
        (audio as? FileStore)?.close()
    }
}
