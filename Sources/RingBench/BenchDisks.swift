import Foundation
import RingIO
import SCSIEmu
import SystemCalls

/// The disks the benchmark drives: emud's real `BlockDevice` (512-byte blocks, thin, write cache on)
/// over a memory, raw-file or qcow2 store, and the bare syscall loops that are the floor for the file.
enum BenchDisks {
    static let imageBytes = 64 << 20
    static var units4K: Int { imageBytes / 4096 }
    static let rawPath = BenchPaths.scratch("raw.img")
    static let qcowPath = BenchPaths.scratch("image.qcow2")

    static func disk(on store: any BackingStore) throws -> BlockDevice {
        try BlockDevice(store: store, configuration: BlockDeviceConfiguration())
    }

    /// A memory disk whose every byte was written (reads copy real pages, not the shared zero page).
    static func memory() throws -> BlockDevice {
        let store = try MemoryStore(size: UInt64(imageBytes))
        let chunk = OwnedDataBuffer([UInt8](repeating: 0xA5, count: 1 << 20))
        for i in 0..<(imageBytes >> 20) { try store.write(from: chunk.view, 0..<(1 << 20), at: UInt64(i << 20)) }
        return try disk(on: store)
    }

    /// Writes the raw image (every byte, so it is all in the page cache) and reads it once.
    static func makeRawImage() throws {
        let file = try FileDescriptor.open(rawPath, flags: O_RDWR | O_CREAT | O_TRUNC)
        let fd = file.rawValue  // `file` closes it on return
        let chunk = [UInt8](repeating: 0x5A, count: 1 << 20)
        for i in 0..<(imageBytes >> 20) {
            _ = try chunk.withUnsafeBytes { (b) throws(Errno) -> Int in try Syscalls.pwrite(fd, from: b, offset: Int64(i << 20)) }
        }
        try FileFloor(path: rawPath).warm()
    }

    static func file() throws -> BlockDevice {
        try disk(on: FileStore(path: rawPath, size: UInt64(imageBytes)))
    }

    /// A fully allocated qcow2 copy of the raw image (qemu-img convert, 64 KiB clusters), or nil without
    /// qemu-img.
    static func qcow2() throws -> BlockDevice? {
        let tool = ["/usr/bin/qemu-img", "/usr/local/bin/qemu-img"].first { FileManager.default.isExecutableFile(atPath: $0) }
        guard let tool else { return nil }
        try? FileManager.default.removeItem(atPath: qcowPath)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: tool)
        p.arguments = ["convert", "-f", "raw", "-O", "qcow2", rawPath, qcowPath]
        try p.run()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else { return nil }
        try FileFloor(path: qcowPath).warm()
        return try disk(on: QCOW2Store(path: qcowPath))
    }

    static func removeImages() {
        try? FileManager.default.removeItem(atPath: rawPath)
        try? FileManager.default.removeItem(atPath: qcowPath)
    }
}

/// A bare `pread`/`pwrite` loop of 4 KiB over the same offsets as the emud workload: the floor.
struct FileFloor {
    let path: String

    /// Reads the whole file once, so it is in the page cache.
    func warm() throws {
        let fd = try FileDescriptor.open(path, flags: O_RDONLY)
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 4096)
        defer { buffer.deallocate() }
        var offset: Int64 = 0
        while try fd.read(into: buffer, at: offset) > 0 { offset += 1 << 20 }
    }

    /// ns per 4 KiB call over `count` calls at the workload's offsets (mean, and the median of batches
    /// of 32 as for the ring).
    func measure(write: Bool, count: Int) throws -> FloorSample {
        let file = try FileDescriptor.open(path, flags: O_RDWR)
        let fd = file.rawValue  // `file` closes it on return
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 4096, alignment: 4096)
        defer { buffer.deallocate() }
        buffer.initializeMemory(as: UInt8.self, repeating: 0xC3)
        let units = BenchDisks.units4K
        return try FloorSample.timing(count) { (i) throws(Errno) in
            let offset = Int64(i &* 7919 % units * 4096)
            if write {
                _ = try Syscalls.pwrite(fd, from: UnsafeRawBufferPointer(buffer), offset: offset)
            } else {
                _ = try Syscalls.pread(fd, into: buffer, offset: offset)
            }
        }
    }
}

/// The second file floor: the same bare `pread` loop, into 32 rotating 4 KiB blocks of one 128 KiB
/// buffer instead of one L1-hot 4 KiB buffer. The ring reads each command into the data-area block the
/// kernel handed out (lowest free first, so command `i` of a batch of 32 gets block `i`), and the kernel's
/// copy into a block that is not in L1 costs more than into the same buffer every time: this floor pays
/// that too, so READ ÷ this floor is emud's share alone. `FileFloor` (the pread floor) stays as it was:
/// issue 16's aim is stated against it.
struct DataAreaFloor {
    let path: String
    static let blocks = RingHarness.batchSize

    /// ns per 4 KiB `pread` over `count` calls at the workload's offsets, call `i` into block `i mod 32`.
    func measure(count: Int) throws -> FloorSample {
        let file = try FileDescriptor.open(path, flags: O_RDWR)  // as the pread floor's
        let fd = file.rawValue  // `file` closes it on return
        let area = UnsafeMutableRawBufferPointer.allocate(byteCount: Self.blocks * 4096, alignment: 4096)
        defer { area.deallocate() }
        area.initializeMemory(as: UInt8.self, repeating: 0)
        let units = BenchDisks.units4K
        return try FloorSample.timing(count) { (i) throws(Errno) in
            let block = UnsafeMutableRawBufferPointer(rebasing: area[(i % Self.blocks * 4096)...].prefix(4096))
            _ = try Syscalls.pread(fd, into: block, offset: Int64(i &* 7919 % units * 4096))
        }
    }
}

/// A bare 4 KiB memcpy loop between a 64 MiB buffer, at the workload's offsets, and 32 rotating 4 KiB
/// blocks (what the kernel's lowest-free-first data-area allocation gives a batch of 32): the memory
/// disk's floor.
final class MemoryFloor {
    var image = [UInt8](repeating: 0xA5, count: BenchDisks.imageBytes)
    var blocks = [UInt8](repeating: 0, count: 32 * 4096)

    /// ns per 4 KiB copy over `count` copies (`write`: from the blocks into the image).
    func measure(write: Bool, count: Int) -> FloorSample {
        let units = BenchDisks.units4K
        return image.withUnsafeMutableBytes { image in
            blocks.withUnsafeMutableBytes { blocks in
                FloorSample.timing(count) { i in
                    let a = UnsafeMutableRawBufferPointer(rebasing: image[(i &* 7919 % units * 4096)...].prefix(4096))
                    let b = UnsafeMutableRawBufferPointer(rebasing: blocks[(i % 32 * 4096)...].prefix(4096))
                    if write { a.copyMemory(from: UnsafeRawBufferPointer(b)) } else { b.copyMemory(from: UnsafeRawBufferPointer(a)) }
                }
            }
        }
    }
}

/// One run of a floor loop: the mean, and the median of batches of 32 (as `Sample`).
struct FloorSample {
    var ns: Double
    var p50Ns: Double

    static func timing<E: Error>(_ count: Int, _ body: (Int) throws(E) -> Void) throws(E) -> FloorSample {
        let batch = RingHarness.batchSize
        var perBatch: [Double] = []
        perBatch.reserveCapacity(count / batch + 1)
        var total = Duration.zero
        var i = 0
        while i < count {
            let t0 = clock.now
            for _ in 0..<batch {
                try body(i)
                i += 1
            }
            let elapsed = clock.now - t0
            total += elapsed
            perBatch.append(nanoseconds(elapsed) / Double(batch))
        }
        return FloorSample(ns: nanoseconds(total) / Double(i), p50Ns: medianBatch(perBatch))
    }
}
