import FuzzSupport
import SCSIEmu

/// The MMC drive's CDB dispatch (`fbo/`). Byte 0 (mod 4): blank DVD-RAM (rw), DVD-ROM (ro), CD-ROM
/// profile, empty tray; a fresh 1 MiB image each input. The rest is a `CommandProgram`.
enum FuzzTarget {
    static func run(_ bytes: [UInt8]) {
        let path = FuzzDevice.path("disc.img")
        FuzzDevice.writeFile(path, (0..<8192).map { UInt8(truncatingIfNeeded: $0 &* 7) }, truncateTo: 1 << 20)
        let options = ["profile-dvdram", "ro", "ro/profile-cdrom", "empty"][Int((bytes.first ?? 0) % 4)]
        guard let device = FuzzDevice.open("fbo/\(options)/\(path)", size: 1 << 20, blockSize: 2048) else {
            fuzzFailure("the drive did not open")
        }
        defer { device.close() }
        CommandProgram.run(Array(bytes.dropFirst()), on: device)
    }
}
