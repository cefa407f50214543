import FuzzSupport
import SCSIEmu

/// The SBC disk's CDB dispatch over its two plain stores. Byte 0: bit 0 store (memory, `file/`), bit 1
/// block size (512, 4096), bit 2 thin provisioning; the rest is a `CommandProgram`.
enum FuzzTarget {
    static func run(_ bytes: [UInt8]) {
        let mode = bytes.first ?? 0
        let blockSize: UInt32 = mode & 2 == 0 ? 512 : 4096
        let size: UInt64 = 1 << 20
        let device: (any EmulatedDevice)?
        if mode & 1 == 0 {
            var c = BlockDeviceConfiguration()
            c.blockSize = blockSize
            c.blockCount = size / UInt64(blockSize)
            c.maxTransferBlocks = 2048
            c.thinProvisioning = mode & 4 != 0
            c.serial = "fuzz-serial"
            c.configString = "file/memory"
            device = (try? MemoryStore(size: size)).flatMap { try? BlockDevice(store: $0, configuration: c) }
        } else {
            let path = FuzzDevice.path("disk.img")
            FuzzDevice.remove(path)
            device = FuzzDevice.open("file/\(mode & 4 != 0 ? "thin" : "thick")@\(path)", size: size, blockSize: blockSize)
        }
        guard let device else { fuzzFailure("the disk did not open") }
        defer { device.close() }
        CommandProgram.run(Array(bytes.dropFirst()), on: device)
    }
}
