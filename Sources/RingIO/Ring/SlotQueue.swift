/// The slots between `cmd_tail` and the consumer's private tail, oldest first.
///
/// A slot is either waiting for a completion (a CMD entry in flight) or already done (PAD, TMR, an entry
/// answered in place). `cmd_tail` may move over done slots at the front; with OOOC any completion goes
/// into the first waiting slot. A growable circular buffer: no allocation once it has grown to the
/// ring's usual depth. Its capacity is a power of two, so an index wraps with a mask, not a division.
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
    /// `storage.count - 1` (the count is a power of two).
    private var mask: Int
    private var front = 0
    private(set) var count = 0

    init(capacity: Int = 256) {
        var n = 4
        while n < capacity { n *= 2 }
        storage = Array(repeating: Slot(offset: 0, length: 0, done: true), count: n)
        mask = n - 1
    }

    var isEmpty: Bool { count == 0 }

    /// Always inlined into the drain: once per entry (as a call, ≈ 32 instructions more per command).
    @inline(__always)
    mutating func append(_ slot: Slot) {
        if count == storage.count { grow() }
        storage[(front + count) & mask] = slot
        count += 1
    }

    var first: Slot? { count == 0 ? nil : storage[front] }

    /// The slot `i` places after the first.
    subscript(i: Int) -> Slot {
        get { storage[(front + i) & mask] }
        set { storage[(front + i) & mask] = newValue }
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
        front = (front + 1) & mask
        count -= 1
        return s
    }

    /// Marks the waiting slot at `offset` done; false when there is none.
    mutating func markDone(offset: UInt32) -> Bool {
        for i in 0..<count {
            let j = (front + i) & mask
            if storage[j].offset == offset, !storage[j].done {
                storage[j].done = true
                return true
            }
        }
        return false
    }

    private mutating func grow() {
        var bigger = [Slot](repeating: Slot(offset: 0, length: 0, done: true), count: storage.count * 2)
        for i in 0..<count { bigger[i] = storage[(front + i) & mask] }
        storage = bigger
        mask = bigger.count - 1
        front = 0
    }
}
