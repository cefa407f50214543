import SCSIEmu

// A restart after the previous daemon died (SIGKILL, crash): the ring still holds what it had queued
// between cmd_tail and cmd_head. With `action/block_dev` = 1 written first, the kernel adds nothing more;
// `queuedCommands` reads those entries, `action/reset_ring` = 1 then completes them all BUSY to the
// initiator (head = tail = 0, target_core_user.c tcmu_reset_ring), and `restartAtKernelIndices` takes
// the new indices before the runner starts.

extension MappedRing {
    /// The CDBs of the CMD entries between the kernel's `cmd_tail` and `cmd_head`, read before the ring is
    /// reset. Entries the old daemon completed but whose `cmd_tail` it never published are among them (a
    /// completion overwrites part of its slot: such an entry reads as its own CDB, or as nothing when the
    /// sense buffer covered `cdb_off`). Call before `start`, on a ring nobody serves.
    public func queuedCommands() -> [CDB] {
        var items: [RingItem] = []
        drain(into: &items)
        return items.compactMap { item in
            switch item {
            case .command(let c): c.cdb
            case .malformed(_, _, let cdb, _): cdb
            case .rejected, .taskManagement: nil
            }
        }
    }

    /// After `action/reset_ring`: the consumer and the completion side start again at the kernel's
    /// `cmd_tail` (0 after a reset), with nothing in flight.
    public func restartAtKernelIndices() {
        let tail = mailbox.loadTail()
        consumer.withLock { c in
            c.position = tail
            c.stopped = nil
        }
        completion.withLock { s in
            s.slots = SlotQueue()
            s.tail = tail
            s.published = tail
        }
    }
}
