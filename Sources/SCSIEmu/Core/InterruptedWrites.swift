/// The WRITEs that were queued in a device's ring when the daemon before us died (SIGKILL, crash), read
/// from the ring before it is reset: the kernel completes them BUSY and the initiator sends them again.
///
/// A write the dead daemon had already carried out comes back as a second copy. For a plain disk that is
/// harmless (the same data lands twice); a sequential write required zone refuses it (its write pointer
/// already moved past it: UNALIGNED WRITE COMMAND), so a zoned device asks here whether a refused write is
/// such a retry. Each remembered write answers once.
///
/// The retries also come back out of order (Linux 6.1): the ring reset completes the commands BUSY in
/// command-id order, not ring order; sd requeues each at the head of the block layer's requeue list; and
/// a FUA write bypasses mq-deadline (blk_insert_flush inserts it straight into the dispatch list), so its
/// zone write lock does not keep one write per zone in flight. Commands the kernel answers BUSY while
/// the device is blocked for the restart come back the same way. A zoned device therefore holds a write
/// ahead of a write pointer, for `reorderWindow` after a restart, until the writes before it have landed
/// (`ZoneWritePointers.holdAhead`, the ring's reorder buffer): answering it BUSY would send it back into
/// the same reordering (vm/README.md, session 6).
public struct InterruptedWrites: Sendable, Hashable {
    /// A WRITE's extent as its CDB gives it.
    public struct Extent: Sendable, Hashable {
        public let lba: UInt64
        public let blocks: UInt64
    }

    /// Extents not yet claimed by a retry (a write may be queued twice: a count).
    public private(set) var pending: [Extent: Int] = [:]

    /// WRITE(6/10/12/16) and WRITE AND VERIFY(10/12/16) (SBC-4 §5.40–5.46): the opcodes whose retry can
    /// meet a write pointer the first attempt moved.
    public static let writeOpcodes: Set<UInt8> = [0x0A, 0x2A, 0xAA, 0x8A, 0x2E, 0xAE, 0x8E]

    /// How long after a restart out-of-order retries are expected (a write ahead of its pointer is held
    /// that long at most); zero when this is no restart. 30 s is TCMU's default `cmd_time_out` and sd's
    /// command timeout: a retry still missing by then has failed.
    public let reorderWindow: Duration

    /// No restart: nothing was queued, nothing comes back.
    public init() { reorderWindow = .zero }

    /// A restart: keeps the extents of the write commands among `cdbs` (other commands are not
    /// remembered); retries may arrive out of order for `reorderWindow`.
    public init(cdbs: [CDB], reorderWindow: Duration = .seconds(30)) {
        self.reorderWindow = reorderWindow
        for cdb in cdbs where Self.writeOpcodes.contains(cdb.opcode) {
            let (lba, blocks) = cdb.lbaAndLength
            guard blocks > 0 else { continue }
            pending[Extent(lba: lba, blocks: UInt64(blocks)), default: 0] += 1
        }
    }

    public var isEmpty: Bool { pending.isEmpty }
    public var count: Int { pending.values.reduce(0, +) }

    /// Whether a write of this extent was queued when the previous daemon died (and has not been claimed).
    public func contains(lba: UInt64, blocks: UInt64) -> Bool { pending[Extent(lba: lba, blocks: blocks)] != nil }

    /// Claims one remembered write of this extent; false when there is none.
    public mutating func claim(lba: UInt64, blocks: UInt64) -> Bool {
        let key = Extent(lba: lba, blocks: blocks)
        guard let n = pending[key] else { return false }
        pending[key] = n > 1 ? n - 1 : nil
        return true
    }
}
