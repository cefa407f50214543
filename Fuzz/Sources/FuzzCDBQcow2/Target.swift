import FuzzSupport
import SCSIEmu

/// The SBC disk's CDB dispatch over a qcow2 image: each input starts from a fresh copy of an image
/// `qemu-img` made (4 KiB clusters, 1 MiB, some clusters written: FUZZ_QCOW2_IMAGE, or made at the first
/// input). Byte 0 bit 0: read-only; the rest is a `CommandProgram`.
enum FuzzTarget {
    static let pristine: String = QemuImage.pristineQcow2()

    static func run(_ bytes: [UInt8]) {
        let path = FuzzDevice.path("disk.qcow2")
        FuzzDevice.copyFile(pristine, to: path)
        let ro = (bytes.first ?? 0) & 1 != 0
        guard let device = FuzzDevice.open("qcow/\(ro ? "ro" : "rw")@\(path)", size: 1 << 20) else {
            fuzzFailure("the qcow2 disk did not open")
        }
        defer { device.close() }
        CommandProgram.run(Array(bytes.dropFirst()), on: device)
    }
}
