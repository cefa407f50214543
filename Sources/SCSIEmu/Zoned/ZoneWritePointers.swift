import Sense
import Synchronization

/// The zoned disk's write-pointer policy on the shared engine (ZBC-2 §4.4, as scsi_debug checks zone
/// write pointers inside its one write path): the zone state lives in a `ZonedStore` behind a mutex.
/// A write runs its zone checks, the data and the write-pointer advance under it, so they move together;
/// a read takes only the zone checks and the unwritten ranges under it and does its I/O outside.
public final class ZoneWritePointers: WritePointerPolicy {
    let store: Mutex<ZonedStore>

    init(_ store: ZonedStore) { self.store = Mutex(store) }

    public func admitRead(lba: UInt64, blocks: UInt64) throws(Sense) -> [Range<UInt64>] {
        try store.withLock { s throws(Sense) in try s.prepareRead(lba: lba, blocks: blocks) }
    }

    public func write(lba: UInt64, blocks: UInt64, durable: Bool, land: () throws(Sense) -> Void) throws(Sense) {
        try store.withLock { s throws(Sense) in try s.write(lba: lba, blocks: blocks, durable: durable, land: land) }
    }

    public func synchronize() throws(Sense) {
        try store.withLock { s throws(Sense) in try s.synchronize() }
    }
}
