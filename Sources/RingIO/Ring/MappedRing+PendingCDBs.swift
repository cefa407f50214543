import SCSIEmu

// With OOOC a completion goes into the oldest waiting slot, whatever command it is for. The CDBs between
// cmd_tail and cmd_head would then not be the commands still pending: the oldest slot's command, still
// running (a write held for its write pointer, a worker's long I/O), has its CDB behind cmd_tail, and the
// completed command's CDB stays ahead of it. The restart reads exactly that range (`queuedCommands`), so
// on such a completion the two slots swap CDBs: the consumed slot then holds the CDB of the command
// completed into it, and the slot still waiting the CDB of the command still pending. The kernel reads
// neither (it reads a completed entry's header and response, never its CDB), and only this process
// writes waiting entries. A swap needs both CDBs to fit both entries (a 16-byte WRITE(16) does not fit
// the 8 bytes after a TEST UNIT READY): otherwise the CDBs stay where they are (the restart then names
// the wrong command for that pair, as before).

extension MappedRing {
    /// The slot of a CMD entry, with its command id and where its CDB lies (when `cdb_off` is inside the entry).
    func pendingCommandSlot(at pos: UInt32, entry e: Int, id: UInt16, length: Int, done: Bool) -> SlotQueue.Slot {
        typealias F = TCMUABI.EntryField
        let cdb = region.load(UInt64.self, at: e + F.cdbOffset) ?? 0
        let inside = cdb >= UInt64(e + F.iovecs) && cdb < UInt64(e + length) && cdb <= UInt64(UInt32.max)
        return SlotQueue.Slot(
            offset: pos, length: UInt32(length), done: done, owner: id, cdb: inside ? UInt32(cdb) : 0,
            cdbRoom: inside ? UInt32(e + length - Int(cdb)) : 0)
    }

    /// Before command `id`'s completion takes the first waiting slot (another command's): swaps the CDBs
    /// of that slot and of the waiting slot holding `id`'s CDB. Under the completion lock.
    func keepPendingCDB(completing id: UInt16, _ slots: inout SlotQueue) {
        guard let j = slots.index(ofOwner: id), j > 0 else { return }
        let a = slots[0], b = slots[j]
        guard a.cdb != 0, b.cdb != 0, let la = cdbLength(at: Int(a.cdb), room: a.cdbRoom),
            let lb = cdbLength(at: Int(b.cdb), room: b.cdbRoom)
        else { return }
        let n = max(la, lb)
        guard n <= Int(min(a.cdbRoom, b.cdbRoom)),
            let bytesA = region.withBytes(at: Int(a.cdb), count: n, { Array($0) }),
            let bytesB = region.withBytes(at: Int(b.cdb), count: n, { Array($0) })
        else { return }
        _ = region.write(bytesB, at: Int(a.cdb))
        _ = region.write(bytesA, at: Int(b.cdb))
        slots[j].owner = a.owner
        slots[0].owner = id
    }

    private func cdbLength(at offset: Int, room: UInt32) -> Int? {
        guard let opcode = region.load(UInt8.self, at: offset) else { return nil }
        let additional = room > 7 ? region.load(UInt8.self, at: offset + 7) : nil
        return CDB.kernelLength(opcode: opcode, additionalLength: additional)
    }
}
