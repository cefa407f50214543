import FuzzSupport
import SCSIEmu

/// The zoned metadata loader (superblock slots, zone table pages) on a hostile image file. Byte 0 bit 0:
/// repair the CRCs after mutation (so the fuzzer reaches the checks behind them: geometry, write pointers,
/// conditions); the rest is the image's first bytes (the data area stays sparse). An image that opens
/// then serves REPORT ZONES, a write at zone 1's start, a read and a RESET WRITE POINTER ALL.
enum FuzzTarget {
    static func run(_ bytes: [UInt8]) {
        var image = Array(bytes.dropFirst())
        if (bytes.first ?? 0) & 1 != 0 { ZonedImageCRC.repair(&image) }
        let path = FuzzDevice.path("image.zbc")
        FuzzDevice.writeFile(path, image, truncateTo: max(image.count, 9 << 20))
        guard let device = FuzzDevice.open("zbc/@\(path)", size: 8 << 20) else { return }
        defer { device.close() }
        var program: [UInt8] = []
        program += CommandProgram.encode(cdb: [0x95, 0x00] + [UInt8](repeating: 0, count: 8) + [0, 0, 0x10, 0, 0, 0], dataOut: nil, dataInLength: 4096)
        program += CommandProgram.encode(cdb: [0x8A, 0x08, 0, 0, 0, 0, 0, 0, 0x08, 0, 0, 0, 0, 1, 0, 0], dataOut: [UInt8](repeating: 0x77, count: 512), dataInLength: 0)
        program += CommandProgram.encode(cdb: [0x88, 0, 0, 0, 0, 0, 0, 0, 0x08, 0, 0, 0, 0, 1, 0, 0], dataOut: nil, dataInLength: 512)
        program += CommandProgram.encode(cdb: [0x94, 0x04] + [UInt8](repeating: 0, count: 12) + [0x01, 0], dataOut: nil, dataInLength: 0)
        CommandProgram.run(program, on: device)
    }
}

/// Recomputes the CRCs of a zoned image's two metadata slots (layout: ZonedMetadata), as far as the bytes go.
enum ZonedImageCRC {
    static func repair(_ b: inout [UInt8]) {
        let unit = ZonedMetadata.unit
        for slot in 0..<2 {
            let sb = slot * unit
            guard b.count >= sb + ZonedMetadata.superblockLength else { return }
            let pages = min(Int(le(b, sb + 60, 4)), 64)
            var crcs: [UInt32] = []
            for p in 0..<pages {
                let at = ZonedMetadata.tableOffset(slot: slot, pages: pages)
                let start = Int(at) + p * unit
                guard b.count >= start + unit else { break }
                let crc = ZonedMetadata.crc32(b[(start + 4)..<(start + unit)])
                put(&b, start, crc)
                crcs.append(crc)
            }
            put(&b, sb + 72, ZonedMetadata.tableCRC(crcs))
            put(&b, sb + 76, ZonedMetadata.crc32(b[sb..<(sb + 76)]))
        }
    }

    static func le(_ b: [UInt8], _ at: Int, _ n: Int) -> UInt64 {
        (0..<n).reversed().reduce(0) { $0 << 8 | UInt64(b[at + $1]) }
    }

    static func put(_ b: inout [UInt8], _ at: Int, _ v: UInt32) {
        for k in 0..<4 { b[at + k] = UInt8(truncatingIfNeeded: v >> (8 * UInt32(k))) }
    }
}
