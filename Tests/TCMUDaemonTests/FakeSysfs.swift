import Foundation
import TCMUDaemon
import TestSupport

/// A throwaway root directory holding a fake `/sys` (uio class + configfs + module parameters).
final class FakeSysfs {
    let directory = try! TemporaryDirectory("sysfs")
    var root: String { directory.path }
    var files: ControlFiles { ControlFiles(root: root) }

    deinit { directory.remove() }

    func write(_ relative: String, _ text: String) { directory.write(relative, text) }
    func read(_ relative: String) -> String? { directory.read(relative) }

    func remove(_ relative: String) { try? FileManager.default.removeItem(atPath: root + "/" + relative) }

    /// A TCMU device as the kernel shows it: uio<minor> + configfs user_<hba>/<dev>.
    func addDevice(
        minor: UInt32, hba: String = "1", name: String, config: String, size: UInt64 = 1 << 20,
        blockSize: Int = 512, maxSectors: Int = 128, serial: String = "5c9a0f2e-1b"
    ) {
        write("sys/class/uio/uio\(minor)/name", "tcm-user/\(hba)/\(name)/\(config)\n")
        write("sys/class/uio/uio\(minor)/maps/map0/size", "0x0000000040800000\n")
        let dir = "sys/kernel/config/target/core/user_\(hba)/\(name)"
        write("\(dir)/attrib/hw_block_size", "\(blockSize)\n")
        write("\(dir)/attrib/hw_max_sectors", "\(maxSectors)\n")
        write("\(dir)/info", "Status: ACTIVATED  Max Queue Depth: 0  SectorSize: 512  HwMaxSectors: 128\n"
            + "        Config: \(config) Size: \(size) MaxDataAreaMB: 1024 DataPagesPerBlk: 1 CmdRingSizeMB: 8\n")
        write("\(dir)/wwn/vpd_unit_serial", "T10 VPD Unit Serial Number: \(serial)\n")
        write("\(dir)/action/block_dev", "")
        write("\(dir)/action/reset_ring", "")
    }
}
