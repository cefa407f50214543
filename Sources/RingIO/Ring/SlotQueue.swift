/// The slots between `cmd_tail` and the consumer's private tail, oldest first.
///
/// A slot is either waiting for a completion (a CMD entry in flight) or already done (PAD, TMR, an entry
/// answered in place). `cmd_tail` may move over done slots at the front; with OOOC any completion goes
/// into the first waiting slot. A growable circular buffer: no allocation once it has grown to the
/// ring's usual depth.
struct SlotQueue {
    struct Slot {
        var offset: UInt32
        var length: UInt32
        var done: Bool
        /// The command whose CDB this slot holds now (OOOC moves CDBs between slots: MappedRing+PendingCDBs).
        var owner: UInt16 = 0
        /// Where that CDB lies (map offset) and how many bytes the entry has from there; 0: unknown.
        var cdb: UInt32 = 0
        var cdbRoom: UInt32 = 0
    }

    private var storage: [Slot]
    private var front = 0
    private(set) var count = 0

    init(capacity: Int = 256) {
        storage = Array(repeating: Slot(offset: 0, length: 0, done: true), count: max(capacity, 4))
    }

    var isEmpty: Bool { count == 0 }

    mutating func append(_ slot: Slot) {
        if count == storage.count { grow() }
        storage[(front + count) % storage.count] = slot
        count += 1
    }

    var first: Slot? { count == 0 ? nil : storage[front] }

    /// The slot `i` places after the first.
    subscript(i: Int) -> Slot {
        get { storage[(front + i) % storage.count] }
        set { storage[(front + i) % storage.count] = newValue }
    }

    /// How far after the first the waiting slot holding `owner`'s CDB is; nil when none.
    func index(ofOwner owner: UInt16) -> Int? {
        for i in 0..<count where !self[i].done && self[i].owner == owner { return i }
        return nil
    }

    @discardableResult
    mutating func removeFirst() -> Slot {
        precondition(count > 0)
        let s = storage[front]
        front = (front + 1) % storage.count
        count -= 1
        return s
    }

    /// Marks the waiting slot at `offset` done; false when there is none.
    mutating func markDone(offset: UInt32) -> Bool {
        for i in 0..<count {
            let j = (front + i) % storage.count
            if storage[j].offset == offset, !storage[j].done {
                storage[j].done = true
                return true
            }
        }
        return false
    }

    private mutating func grow() {
        var bigger = [Slot](repeating: Slot(offset: 0, length: 0, done: true), count: storage.count * 2)
        for i in 0..<count { bigger[i] = storage[(front + i) % storage.count] }
        storage = bigger
        front = 0
    }
}
