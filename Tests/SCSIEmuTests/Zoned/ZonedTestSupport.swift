import SCSIEmu
import Sense
import Synchronization
import SystemCalls
import TestSupport

/// An in-memory medium that models a volatile write cache: writes land in `pending` until `sync()`
/// moves them to `durable`; `crash(keeping:)` applies a chosen subset of the pending writes, each whole,
/// lost or torn at a 512-byte boundary, and forgets the rest.
final class CrashMedium: BackingStore {
    struct State {
        var durable: [UInt64: [UInt8]] = [:]  // 4 KiB pages
        var durableLength: UInt64 = 0
        var pending: [(offset: UInt64, bytes: [UInt8])] = []  // zero-length bytes = punch marker not used
        var pendingZero: [(offset: UInt64, length: UInt64)] = []
        var length: UInt64 = 0
        var syncs = 0
        /// Medium operations so far, and the one at which the process "dies": from then on writes and
        /// punches are dropped and syncs fail, so nothing after the cut is acknowledged.
        var operations = 0
        var dieAt = Int.max
        var dead: Bool { operations >= dieAt }
    }
    let state = Mutex(State())
    static let page: UInt64 = 4096

    init() {}

    /// A medium holding exactly the durable content of another.
    init(durableOf other: CrashMedium) {
        other.state.withLock { o in
            state.withLock { s in
                s.durable = o.durable
                s.durableLength = o.durableLength
                s.length = o.durableLength
            }
        }
    }

    var size: UInt64 { state.withLock { $0.length } }
    var isReadOnly: Bool { false }
    var discardGranularity: UInt64 { Self.page }
    var description: String { "crash medium" }
    func resize(to length: UInt64) throws(StoreError) {
        state.withLock { s in
            s.pending.removeAll()  // ftruncate ordering is not modelled: format syncs right after
            if length < s.durableLength { s.durable = s.durable.filter { $0.key * Self.page < length } }
            s.length = length
            s.durableLength = length
        }
    }

    /// The bytes a reader sees now (pending writes over durable).
    private func view(_ s: State, _ offset: UInt64, _ count: Int) -> [UInt8] {
        var out = Self.bytes(s.durable, offset, count)
        for w in s.pending { Self.overlay(&out, offset, w.offset, w.bytes) }
        return out
    }

    static func bytes(_ pages: [UInt64: [UInt8]], _ offset: UInt64, _ count: Int) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: count)
        var pos = 0
        while pos < count {
            let abs = offset + UInt64(pos)
            let p = abs / page, inPage = Int(abs % page)
            let n = min(count - pos, Int(page) - inPage)
            if let data = pages[p] { out.replaceSubrange(pos..<(pos + n), with: data[inPage..<(inPage + n)]) }
            pos += n
        }
        return out
    }

    static func overlay(_ out: inout [UInt8], _ offset: UInt64, _ at: UInt64, _ bytes: [UInt8]) {
        let lo = max(offset, at), hi = min(offset + UInt64(out.count), at + UInt64(bytes.count))
        guard lo < hi else { return }
        for k in lo..<hi { out[Int(k - offset)] = bytes[Int(k - at)] }
    }

    static func store(_ pages: inout [UInt64: [UInt8]], _ at: UInt64, _ bytes: [UInt8]) {
        var pos = 0
        while pos < bytes.count {
            let abs = at + UInt64(pos)
            let p = abs / page, inPage = Int(abs % page)
            let n = min(bytes.count - pos, Int(page) - inPage)
            var data = pages[p] ?? [UInt8](repeating: 0, count: Int(page))
            data.replaceSubrange(inPage..<(inPage + n), with: bytes[pos..<(pos + n)])
            pages[p] = data.allSatisfy { $0 == 0 } ? nil : data
            pos += n
        }
    }

    func read(into buffer: DataBuffer, _ range: Range<Int>, at offset: UInt64) throws(StoreError) {
        let bytes = state.withLock { view($0, offset, range.count) }
        buffer.write(bytes, at: range.lowerBound)
    }
    func write(from buffer: DataBuffer, _ range: Range<Int>, at offset: UInt64) throws(StoreError) {
        write(buffer.bytes(from: range.lowerBound, length: range.count), at: offset)
    }
    func writeDurable(from buffer: DataBuffer, _ range: Range<Int>, at offset: UInt64) throws(StoreError) {
        try write(from: buffer, range, at: offset)
        try flush()
    }
    func discard(at offset: UInt64, length: UInt64) throws(StoreError) { zero(length: length, at: offset) }
    func writeZeroes(at offset: UInt64, length: UInt64, deallocate: Bool) throws(StoreError) { zero(length: length, at: offset) }
    func allocationStatus(at offset: UInt64) throws(StoreError) -> AllocationRun { AllocationRun(mapped: true, length: 1) }
    func prefetch(at offset: UInt64, length: UInt64) {}
    func close() {}
    func write(_ bytes: [UInt8], at offset: UInt64) {
        state.withLock { s in
            s.operations += 1
            guard !s.dead else { return }
            s.pending.append((offset, bytes))
            s.length = max(s.length, offset + UInt64(bytes.count))
            s.durableLength = max(s.durableLength, offset + UInt64(bytes.count))  // size changes are not modelled
        }
    }
    func zero(length: UInt64, at offset: UInt64) {
        // Punching is a metadata operation of the file system: modelled as an immediate durable zeroing
        // of whole pages (and pending bytes), the worst case for the store.
        state.withLock { s in
            s.operations += 1
            guard !s.dead else { return }
            var p = (offset + Self.page - 1) / Self.page
            while (p + 1) * Self.page <= offset + length {
                s.durable[p] = nil
                p += 1
            }
            let chunk = Int(min(length, 1 << 22)); let zeros = [UInt8](repeating: 0, count: chunk)
            for k in stride(from: UInt64(0), to: length, by: Int(chunk)) {
                let n = Int(min(UInt64(zeros.count), length - k))
                Self.store(&s.durable, offset + k, Array(zeros[0..<n]))
            }
            for i in s.pending.indices {
                var b = s.pending[i].bytes
                let lo = max(offset, s.pending[i].offset), hi = min(offset + length, s.pending[i].offset + UInt64(b.count))
                if lo < hi { for k in lo..<hi { b[Int(k - s.pending[i].offset)] = 0 } }
                s.pending[i].bytes = b
            }
        }
    }
    func flush() throws(StoreError) {
        let dead = state.withLock { s in
            s.operations += 1
            return s.dead
        }
        if dead { throw .system(operation: "fdatasync", errno: .ioError) }
        state.withLock { s in
            for w in s.pending { Self.store(&s.durable, w.offset, w.bytes) }
            s.pending.removeAll()
            s.syncs += 1
        }
    }

    /// Simulates a crash: each pending write is kept, lost or torn according to `fate`
    /// (0 lost, 1 kept, 2 torn after a random number of 512-byte sectors).
    func crash(_ fate: (Int) -> (Int, Int)) {
        state.withLock { s in
            for (i, w) in s.pending.enumerated() {
                let (kind, sectors) = fate(i)
                switch kind {
                case 1: Self.store(&s.durable, w.offset, w.bytes)
                case 2: Self.store(&s.durable, w.offset, Array(w.bytes.prefix(sectors * 512)))
                default: break
                }
            }
            s.pending.removeAll()
        }
    }
}

// MARK: - CDB builders

func be(_ v: UInt64, _ width: Int) -> [UInt8] { TestCDB.be(v, width) }

func reportZonesCDB(lba: UInt64 = 0, alloc: UInt32 = 64 * 64, option: UInt8 = 0, partial: Bool = false) -> [UInt8] {
    [0x95, 0x00] + be(lba, 8) + be(UInt64(alloc), 4) + [(partial ? 0x80 : 0) | option, 0x00]
}

func zoneOutCDB(_ action: ZoneOutAction, lba: UInt64 = 0, count: UInt16 = 0, all: Bool = false) -> [UInt8] {
    [0x94, action.rawValue] + be(lba, 8) + [0, 0] + be(UInt64(count), 2) + [all ? 1 : 0, 0x00]
}

func write16CDB(lba: UInt64, blocks: UInt32, fua: Bool = false) -> [UInt8] { TestCDB.write16(lba: lba, blocks: blocks, fua: fua) }
func read16CDB(lba: UInt64, blocks: UInt32) -> [UInt8] { TestCDB.read16(lba: lba, blocks: blocks) }
let sync16CDB = TestCDB.synchronizeCache16

/// A small device: 16 zones of 1 MiB (2048 × 512-byte blocks), 2 conventional, at most 3 open.
func makeZonedDevice(
    _ options: String = "model-HM/zsize-1/conv-2/open-3", zones: UInt64 = 16, medium: CrashMedium = CrashMedium()
) throws -> ZonedDevice {
    try ZonedDevice(
        config: try ZoneConfig(parsing: "zbc/\(options)@/unused"), deviceSize: zones << 20, medium: medium)
}

let zoneBlocks: UInt64 = 2048

/// Writes `blocks` blocks of a pattern naming each LBA at `lba`.
@discardableResult
func writeBlocks(_ d: ZonedDevice, _ lba: UInt64, _ blocks: UInt32, fua: Bool = false, tag: UInt8 = 0xA5) -> Outcome {
    run(d, write16CDB(lba: lba, blocks: blocks, fua: fua), dataOut: pattern(lba, blocks, tag: tag))
}

func pattern(_ lba: UInt64, _ blocks: UInt32, tag: UInt8 = 0xA5) -> [UInt8] { TestPattern.lbaTagged(lba, blocks, tag: tag) }

func condition(_ d: ZonedDevice, _ zone: Int) -> ZoneCondition { d.zoneStateMachine.zones[zone].condition }
