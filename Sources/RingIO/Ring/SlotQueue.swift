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
