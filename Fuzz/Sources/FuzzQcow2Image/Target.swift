import FuzzSupport
import SCSIEmu

/// The qcow2 loader (header, L1, L2, refcount table and blocks) on a hostile image file. Byte 0 bit 0:
/// read-only open; the rest is the image. When the image opens, reads, writes, zeroing, discard and
/// allocation queries walk its tables at offsets spread over the virtual disk (at most the first 64 MiB).
enum FuzzTarget {
    static func run(_ bytes: [UInt8]) {
        let path = FuzzDevice.path("image.qcow2")
        FuzzDevice.writeFile(path, Array(bytes.dropFirst()))
        guard let store = try? QCOW2Store(path: path, readOnly: (bytes.first ?? 0) & 1 != 0) else { return }
        defer { store.close() }
        let span = min(store.size, 64 << 20) / 4096 * 4096
        guard span >= 4096 else { return }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 8192, alignment: 16)
        defer { buffer.deallocate() }
        buffer.initializeMemory(as: UInt8.self, repeating: 0x3C)
        let data = DataBuffer(unsafeSegment: buffer)
        let step = max(4096, span / 16 / 4096 * 4096)
        var offset: UInt64 = 0
        var i = 0
        while offset + 4096 <= span {
            _ = try? store.read(into: data, 0..<4096, at: offset)
            _ = try? store.allocationStatus(at: offset)
            switch i % 4 {
            case 1: _ = try? store.write(from: data, 0..<4096, at: offset)
            case 2: _ = try? store.writeZeroes(at: offset, length: 4096, deallocate: i % 8 == 2)
            case 3: _ = try? store.discard(at: offset, length: 4096)
            default: break
            }
            _ = try? store.read(into: data, 4096..<8192, at: offset)
            offset += step
            i += 1
        }
        _ = try? store.flush()
    }
}
