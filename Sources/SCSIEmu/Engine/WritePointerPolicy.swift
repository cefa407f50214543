import Sense

/// Rules that tie writes to a write pointer: the zoned disk's zones (ZBC-2 §4.4, `ZoneWritePointers`), a
/// recordable disc's sequential recording (MMC-6 §4.5, `DiscRecording`: writes at the next writable
/// address, reads below it), a CUE/BIN disc's audio tracks (`CDTrackReadPolicy`). The
/// `BlockEngine` asks it before every read and lets it wrap every write, so the data and the pointers
/// move together under the policy's own lock.
public protocol WritePointerPolicy: AnyObject, Sendable {
    /// Refuses a read the pointers forbid (range already checked, `blocks > 0`), or returns the LBA ranges
    /// of it that must read as zeros (never written, or written by a write the pointers do not cover).
    func admitRead(lba: UInt64, blocks: UInt64) throws(Sense) -> [Range<UInt64>]
    /// Runs a write (range and Data-Out already checked, `blocks > 0`): checks the pointers, calls `land`
    /// to move the data to the store, then advances them; with `durable`, data and pointers are durable
    /// before it returns. `holdsData` says whether the medium already holds exactly the Data-Out at these
    /// LBAs (asked only for a write the pointers refuse; see `InterruptedWrites`).
    func write(
        lba: UInt64, blocks: UInt64, durable: Bool, holdsData: () -> Bool, land: () throws(Sense) -> Void
    ) throws(Sense)
    /// Makes data and pointer state durable (SYNCHRONIZE CACHE, a stop, close).
    func synchronize() throws(Sense)
    /// Until when a write that `write` refused waits inside the device for the pointer to reach it,
    /// instead of its sense (nil, the default: never). A zoned disk holds a write ahead of its zone's
    /// write pointer for a while after a restart, when the initiator's retries arrive out of order
    /// (`ZoneWritePointers.holdAhead`); the ring runs it again once `mayRunHeldWrite` says so.
    func holdAhead(refused: Sense, lba: UInt64, blocks: UInt64) -> ContinuousClock.Instant?
    /// Whether a held write may run again: its extent no longer lies ahead of a write pointer.
    func mayRunHeldWrite(lba: UInt64, blocks: UInt64) -> Bool
}

extension WritePointerPolicy {
    public func holdAhead(refused: Sense, lba: UInt64, blocks: UInt64) -> ContinuousClock.Instant? { nil }
    public func mayRunHeldWrite(lba: UInt64, blocks: UInt64) -> Bool { true }
}
