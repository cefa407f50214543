import Logging
import Sense
import Synchronization
import SystemCalls

/// The zoned disk's write-pointer policy on the shared engine (ZBC-2 §4.4, as scsi_debug checks zone
/// write pointers inside its one write path): the zone state lives in a `ZonedStore` behind a mutex (a
/// `PthreadMutex`: the I/O workers write to a zone at once, and ThreadSanitizer sees no edge through
/// `Mutex`'s futex, `.sanitizers/tsan.supp`).
/// A write runs its zone checks, the data and the write-pointer advance under it, so they move together;
/// a read takes only the zone checks and the unwritten ranges under it and does its I/O outside.
public final class ZoneWritePointers: WritePointerPolicy {
    let store: PthreadMutex<ZonedStore>
    /// The writes queued when the previous daemon died (`resume(after:)`); taken under `store`'s lock.
    let interrupted = Mutex(InterruptedWrites())
    /// Until when a write ahead of a write pointer is held (`holdAhead`); nil: not now (no restart, or
    /// the window has closed).
    let reorderDeadline = Mutex<ContinuousClock.Instant?>(nil)
    /// When the last restart was remembered (for the log's "+s after the restart"); cleared with
    /// `reorderDeadline` when the window closes.
    let restartedAt = Mutex<ContinuousClock.Instant?>(nil)
    /// Where the restart recovery says what it did with each write it did not simply run.
    let logger: Logger?

    init(_ store: ZonedStore, logger: Logger? = nil) {
        self.store = PthreadMutex(store)
        self.logger = logger
    }

    public func admitRead(lba: UInt64, blocks: UInt64) throws(Sense) -> [Range<UInt64>] {
        try store.withLock { s throws(Sense) in try s.prepareRead(lba: lba, blocks: blocks) }
    }

    /// A write the zone refuses (ILLEGAL REQUEST: UNALIGNED WRITE COMMAND, or INVALID FIELD IN CDB once
    /// the write filled the zone) is answered GOOD, without writing, when it is
    /// the retry of a write queued when the previous daemon died that this zone already holds: one of
    /// the remembered `InterruptedWrites`, wholly below the write pointer of one sequential write required
    /// zone, and the medium there equal to its Data-Out. (The dead daemon carried it out and committed
    /// the pointer, but its GOOD never reached the kernel: the ring reset made it BUSY, and the initiator
    /// sent it again.) Any other refused write keeps its sense.
    public func write(
        lba: UInt64, blocks: UInt64, durable: Bool, holdsData: () -> Bool, land: () throws(Sense) -> Void
    ) throws(Sense) {
        try store.withLock { s throws(Sense) in
            do throws(Sense) { try s.write(lba: lba, blocks: blocks, durable: durable, land: land) } catch {
                guard error.key == .illegalRequest,
                    interrupted.withLock({ $0.contains(lba: lba, blocks: blocks) }),
                    s.machine.holdsWritten(lba: lba, blocks: blocks), holdsData()
                else { throw error }
                _ = interrupted.withLock { $0.claim(lba: lba, blocks: blocks) }
                logRecovery(lba: lba, blocks: blocks, s.machine, "GOOD without writing (a queued write the zone holds)")
            }
        }
    }

    public func synchronize() throws(Sense) {
        try store.withLock { s throws(Sense) in try s.synchronize() }
    }

    /// Remembers the writes queued when the previous daemon died (replacing any earlier set) and opens
    /// the window in which retries may arrive out of order.
    func remember(_ writes: InterruptedWrites) {
        store.withLock { s in
            interrupted.withLock { $0 = writes }
            let now = ContinuousClock.now
            reorderDeadline.withLock { $0 = writes.reorderWindow > .zero ? now + writes.reorderWindow : nil }
            restartedAt.withLock { $0 = writes.reorderWindow > .zero ? now : nil }
            for e in writes.pending.keys.sorted(by: { $0.lba < $1.lba }) {
                logRecovery(lba: e.lba, blocks: e.blocks, s.machine, "queued when the previous daemon stopped")
            }
        }
    }

    /// One line per write the restart recovery touched: its extent, its zone's start, write pointer and
    /// condition at that moment, and the answer (notice level: rare, and what a failed recovery is
    /// diagnosed from).
    func logRecovery(lba: UInt64, blocks: UInt64, _ m: ZoneStateMachine, _ what: String) {
        guard let logger, lba < m.layout.capacity else { return }
        let i = m.layout.zoneIndex(of: lba), z = m.zones[i]
        let since = restartedAt.withLock { $0 }.map { t -> String in
            let ms = (ContinuousClock.now - t).components
            return " +\(ms.seconds).\(String(ms.attoseconds / 1_000_000_000_000_000 + 1000).dropFirst()) s after the restart"
        } ?? ""
        logger.notice(
            "zone recovery\(since): write lba \(hex(lba)) +\(blocks) in zone \(i) (start \(hex(m.layout.start(of: i))), wp \(hex(z.writePointer)), \(z.condition)): \(what)")
    }

    private func hex(_ v: UInt64) -> String { "0x" + String(v, radix: 16) }

    /// Within the window after a restart (`InterruptedWrites.reorderWindow`), a write refused with
    /// UNALIGNED WRITE COMMAND because it lies ahead of the write pointer of a sequential write required
    /// zone (wholly inside that zone, which is not FULL, READ ONLY or OFFLINE) waits inside the device
    /// until the window's end, the instant returned: it is a retry that overtook the writes before it
    /// (sd requeues BUSY answers in an order that never converges at QD16 with FUA writes; vm/README.md,
    /// session 6), and the ring runs it again when the pointer reaches it (`mayRunHeldWrite`). Anything
    /// else keeps its sense (nil). Once the window has closed it is forgotten: no restart state, no log
    /// line, a write ahead of the pointer is UNALIGNED WRITE COMMAND as on a drive.
    public func holdAhead(refused: Sense, lba: UInt64, blocks: UInt64) -> ContinuousClock.Instant? {
        guard let deadline = openWindow() else { return nil }
        return store.withLock { s -> ContinuousClock.Instant? in
            // The lock was let go between the refusal and here: a write on another thread may have moved
            // the pointer exactly to this LBA (ahead then, at it now). Held, it runs at once.
            let hold = refused.key == .illegalRequest && refused.code == .unalignedWriteCommand
                && s.machine.liesAheadOfWritePointer(lba: lba, blocks: blocks, orAt: true)
            logRecovery(lba: lba, blocks: blocks, s.machine, hold ? "held until the write pointer reaches it" : "refused: \(refused)")
            return hold ? deadline : nil
        }
    }

    /// Whether a held write no longer lies ahead of its zone's write pointer (the pointer reached it, or
    /// the zone changed: a re-run gives the answer of the moment).
    public func mayRunHeldWrite(lba: UInt64, blocks: UInt64) -> Bool {
        store.withLock { s in !s.machine.liesAheadOfWritePointer(lba: lba, blocks: blocks) }
    }

    /// The window's end while it is open; closes it (nil) once past.
    func openWindow(now: ContinuousClock.Instant = .now) -> ContinuousClock.Instant? {
        reorderDeadline.withLock { d -> ContinuousClock.Instant? in
            guard let deadline = d else { return nil }
            guard now < deadline else {
                d = nil
                restartedAt.withLock { $0 = nil }
                return nil
            }
            return deadline
        }
    }
}
