import SCSIEmu
import Sense
import SystemCalls

/// Why a TCMU map cannot be used as a command ring.
public enum RingOpenError: Error, Hashable, Sendable, CustomStringConvertible {
    case mapTooSmall(Int)
    case unsupportedVersion(UInt16)
    /// `cmdr_off`/`cmdr_size` do not describe a ring after the mailbox and inside the map.
    case badRingGeometry(offset: Int, size: Int, mapSize: Int)
    /// `cmd_head` or `cmd_tail` is not an aligned offset inside the ring.
    case badIndex(head: UInt32, tail: UInt32)

    public var description: String {
        switch self {
        case let .mapTooSmall(n): "map of \(n) bytes is smaller than the mailbox"
        case let .unsupportedVersion(v): "mailbox version \(v), expected \(TCMUABI.mailboxVersion)"
        case let .badRingGeometry(o, s, m): "command ring at \(o) size \(s) does not fit a \(m)-byte map"
        case let .badIndex(h, t): "cmd_head \(h) / cmd_tail \(t) not aligned inside the ring"
        }
    }
}

/// One device's TCMU map as the user side sees it (mailbox, command ring, data area): validates the mailbox at open, walks entries from a private
/// tail to the acquire-loaded `cmd_head` (`drain`), writes completions (`complete`) and publishes
/// `cmd_tail` with a release store (`publish`).
///
/// Threading: `drain` is called by the ring thread only; `complete` and `publish` may be called from any
/// thread (I/O workers). The consumer state and the completion state each live only inside their lock
/// (`PthreadMutex`, which ThreadSanitizer sees: `make tsan` checks this type with no suppression), and
/// `drain` takes the completion lock inside the consumer lock, never the other way round. The mapping
/// lives as long as this object, so the `DataBuffer` views of in-flight commands stay valid while the
/// runner holds the ring.
public final class MappedRing: @unchecked Sendable {
    let region: MappedRegion
    public let mailbox: Mailbox
    /// Start of the data area in the map (right after the command ring).
    public let dataAreaOffset: Int

    struct ConsumerState {
        /// The next entry to read (ring offset).
        var position: UInt32
        /// Set when the kernel's `cmd_head` itself is corrupt: the ring is not read any further.
        var stopped: String?
    }

    struct CompletionState {
        var slots = SlotQueue()
        /// The private `cmd_tail` (ring offset), published by `publish`.
        var tail: UInt32
        var published: UInt32
        let ringSize: UInt32
    }

    let consumer: PthreadMutex<ConsumerState>
    let completion: PthreadMutex<CompletionState>

    /// Takes ownership of a mapped TCMU region and checks its mailbox.
    /// - Throws: `RingOpenError` when the version is not 2, the ring does not fit after the mailbox and
    ///   inside the map, or the indices are not aligned offsets inside the ring.
    public init(region: consuming MappedRegion) throws(RingOpenError) {
        guard region.count >= TCMUABI.MailboxField.size else { throw .mapTooSmall(region.count) }
        let mb = Mailbox(region: region)
        guard mb.version == TCMUABI.mailboxVersion else { throw .unsupportedVersion(mb.version) }
        let off = mb.commandRingOffset, size = mb.commandRingSize
        guard off >= TCMUABI.MailboxField.size, size >= TCMUABI.EntryField.size, size % TCMUABI.entryAlignment == 0,
            size <= region.count - off, size <= Int(UInt32.max / 2)
        else { throw .badRingGeometry(offset: off, size: size, mapSize: region.count) }
        let head = mb.loadHead(), tail = mb.loadTail()
        guard head % 8 == 0, tail % 8 == 0, Int(head) < size, Int(tail) < size else {
            throw .badIndex(head: head, tail: tail)
        }
        self.mailbox = mb
        self.dataAreaOffset = off + size
        self.region = region
        self.consumer = PthreadMutex(ConsumerState(position: tail))
        self.completion = PthreadMutex(CompletionState(tail: tail, published: tail, ringSize: UInt32(size)))
    }

    /// The kernel's capabilities (mailbox flags).
    public var capabilities: TCMUABI.Capabilities { mailbox.capabilities }
    public var ringSize: Int { mailbox.commandRingSize }

    /// Whether the kernel has queued entries the consumer has not read yet.
    public var hasPendingEntries: Bool {
        let head = mailbox.loadHead()
        return consumer.withLock { $0.position != head && $0.stopped == nil }
    }

    /// Why the consumer stopped reading this ring (a corrupt `cmd_head`), if it did.
    public var stoppedReason: String? { consumer.withLock { $0.stopped } }

    // MARK: - Completion

    /// Writes a completion. With OOOC it goes into the oldest slot still waiting, carrying `completion.id`
    /// (the kernel finds the command by id); without OOOC into the command's own `slot`, and `cmd_tail`
    /// moves only over a completed prefix. Call `publish` afterwards (once per batch).
    /// - Returns: false when no slot was waiting (a completion for a command not in flight; nothing written).
    @discardableResult
    public func complete(_ c: RingCompletion, slot: UInt32) -> Bool {
        let ooo = mailbox.capabilities.contains(.outOfOrderCompletion)
        return completion.withLock { s in
            guard let at = claimSlot(id: c.id, slot: slot, outOfOrder: ooo, &s) else { return false }
            write(c, intoSlot: at)
            return true
        }
    }

    /// Writes a batch of completions under one lock, in order (each as `complete(_:slot:)`).
    /// - Returns: how many found a waiting slot.
    @discardableResult
    public func complete(_ batch: [(completion: RingCompletion, slot: UInt32)]) -> Int {
        guard !batch.isEmpty else { return 0 }
        let ooo = mailbox.capabilities.contains(.outOfOrderCompletion)
        return completion.withLock { s in
            var written = 0
            // By index: each completion is read where it lies (taking it out of the array retained its sense).
            for i in batch.indices {
                guard let at = claimSlot(id: batch[i].completion.id, slot: batch[i].slot, outOfOrder: ooo, &s)
                else { continue }
                write(batch[i].completion, intoSlot: at)
                written += 1
            }
            return written
        }
    }

    /// Takes the slot command `id`'s completion goes into, or nil when none waits: with OOOC the oldest
    /// waiting slot (the private tail moves over it), else the command's own `slot` (marked done; the tail
    /// moves only over a completed prefix). The caller writes the completion there, under the same lock.
    private func claimSlot(id: UInt16, slot: UInt32, outOfOrder: Bool, _ s: inout CompletionState) -> UInt32? {
        let at: UInt32
        if outOfOrder {
            Self.skipDoneSlots(&s)
            guard let first = s.slots.first, !first.done else { return nil }
            if first.owner != id { keepPendingCDB(completing: id, &s.slots) }
            s.slots.removeFirst()
            s.tail = Self.wrap(first.offset &+ first.length, s.ringSize)
            at = first.offset
        } else {
            guard s.slots.markDone(offset: slot) else { return nil }
            at = slot
        }
        Self.skipDoneSlots(&s)
        return at
    }

    /// Release-stores the private tail into `cmd_tail` if it moved; true when it did (then ring the
    /// doorbell once).
    @discardableResult
    public func publish() -> Bool {
        completion.withLock { s in
            guard s.tail != s.published else { return false }
            mailbox.storeTail(s.tail)
            s.published = s.tail
            return true
        }
    }

    /// The number of slots between `cmd_tail` and the private tail still waiting for a completion.
    public var commandsInFlight: Int {
        completion.withLock { s in
            var n = 0
            var q = s.slots
            while !q.isEmpty { if !q.removeFirst().done { n += 1 } }
            return n
        }
    }

    /// Moves the private tail over the done slots at the front. Always inlined: it runs twice per
    /// completion (as a call, ≈ 28 instructions more per command, session 16).
    @inline(__always)
    static func skipDoneSlots(_ s: inout CompletionState) {
        while let f = s.slots.first, f.done {
            s.slots.removeFirst()
            s.tail = wrap(f.offset &+ f.length, s.ringSize)
        }
    }

    /// A ring offset `x` < 2·`size` brought inside the ring. A slot never runs past the ring end (a PAD
    /// fills it; a bad entry is taken to span at most up to it), so its end is ≤ `size`.
    @inline(__always)
    static func wrap(_ x: UInt32, _ size: UInt32) -> UInt32 { x >= size ? x - size : x }

    /// Fills `rsp` of the entry at ring offset `slot` (never its `len_op`).
    //
    //  4 cmd_id u16 | 7 uflags u8 | 8 scsi_status u8 | 12 read_len u32 | 16 sense_buffer[96]
    /// Always inlined into `complete` (once per completion); the sense, for CHECK CONDITION only, is
    /// written out of line.
    @inline(__always)
    func write(_ c: RingCompletion, intoSlot slot: UInt32) {
        typealias F = TCMUABI.EntryField
        let e = mailbox.commandRingOffset + Int(slot)
        var flags = TCMUABI.UserFlags()
        if c.unknownOperation { flags.insert(.unknownOperation) }
        let readLength = c.dataInLength > 0 && mailbox.capabilities.contains(.readLength)
        if readLength { flags.insert(.readLength) }
        region.store(c.id, at: e + F.commandID)
        region.store(flags.rawValue, at: e + F.userFlags)
        region.store(c.status.rawValue, at: e + F.scsiStatus)
        region.store(readLength ? UInt32(clamping: c.dataInLength) : 0, at: e + F.readLength)
        if c.senseData != nil { writeSense(of: c, entry: e) }
    }

    /// The sense bytes of a completion that has them, into the entry at `e`, the rest of the buffer zeroed.
    @inline(never)
    private func writeSense(of c: RingCompletion, entry e: Int) {
        guard let s = c.senseData else { return }
        let sense = s.encoded(as: c.senseFormat)
        let n = min(sense.count, TCMUABI.senseBufferSize)
        region.write(sense.prefix(n), at: e + TCMUABI.EntryField.senseBuffer)
        region.fill(at: e + TCMUABI.EntryField.senseBuffer + n, count: TCMUABI.senseBufferSize - n)
    }
}
