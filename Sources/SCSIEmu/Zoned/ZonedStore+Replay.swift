/// A WRITE sent again after the daemon was killed.
///
/// When emud dies, the kernel keeps the commands that were in the ring; the restarted daemon resets the
/// ring (`action/reset_ring`), which completes each of them with BUSY, and the initiator sends them again
/// (vm/lib/kill.sh). A write the old daemon had already carried out — data written, write pointer
/// advanced and, for FUA, committed — but not yet completed therefore arrives a second time, at what is
/// now below the write pointer: ZBC-2 would answer UNALIGNED WRITE COMMAND (or INVALID FIELD IN CDB for a
/// zone it filled), and the initiator would report an I/O error for data that is safely on the medium.
///
/// So a write is taken as that replay, and completed GOOD without writing, when all of these hold:
/// its zone is sequential write required and has not been written since the image was opened (only the
/// first write per zone after a restart can be a replay: mq-deadline sends one write per zone at a time),
/// it ends exactly at the zone's write pointer (its end when FULL), and the medium already holds exactly
/// its data. Anything else keeps its ZBC error.
extension ZonedStore {
    func isReplayOfLandedWrite(lba: UInt64, blocks: UInt64, from buffer: DataBuffer) -> Bool {
        let layout = machine.geometry.layout
        guard blocks > 0, lba < layout.capacity else { return false }
        let zone = machine.zoneIndex(of: lba)
        let z = machine.zones[zone]
        guard z.type == .sequentialWriteRequired, !zonesWrittenSinceOpen.contains(zone) else { return false }
        let dataEnd = z.condition == .full ? layout.end(of: zone) : z.writePointer
        guard lba >= layout.start(of: zone), lba <= dataEnd, dataEnd - lba == blocks,
            z.condition != .readOnly, z.condition != .offline
        else { return false }
        let bytes = Int(blocks * blockSize)
        guard bytes <= buffer.count,
            let stored = try? medium.read(count: bytes, at: dataOffset + lba * blockSize)
        else { return false }
        return buffer.firstMismatch(from: 0, against: stored) == nil
    }
}
