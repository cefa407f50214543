import FuzzSupport
import SCSIEmu

/// The ZBC disk's CDB dispatch (`zbc/`): 8 MiB, 1 MiB zones, one conventional, at most 2 open, a fresh
/// image each input. Byte 0: bit 0 host-aware, bit 1 4096-byte blocks. The rest is a `CommandProgram`.
enum FuzzTarget {
    static func run(_ bytes: [UInt8]) {
        let path = FuzzDevice.path("zoned.img")
        FuzzDevice.remove(path)
        let mode = bytes.first ?? 0
        let model = mode & 1 == 0 ? "model-HM" : "model-HA"
        let lba: UInt32 = mode & 2 == 0 ? 512 : 4096
        guard let device = FuzzDevice.open(
            "zbc/\(model)/lba-\(lba)/zsize-1/conv-1/open-2@\(path)", size: 8 << 20, blockSize: lba)
        else { fuzzFailure("the zoned disk did not open") }
        defer { device.close() }
        CommandProgram.run(Array(bytes.dropFirst()), on: device)
    }
}
