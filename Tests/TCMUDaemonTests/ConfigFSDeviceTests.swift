import TCMUDaemon
import Testing

@Suite struct ConfigFSDeviceTests {
    let sysfs = FakeSysfs()

    @Test func readsAttributesInfoSizeAndSerial() throws {
        sysfs.addDevice(minor: 0, hba: "4", name: "disk", config: "file//v/Size: 9", size: 123_456_512,
                        blockSize: 4096, maxSectors: 1024, serial: "abc-123")
        let dev = ConfigFSDevice(files: sysfs.files, name: try UIODeviceName(parsing: "tcm-user/4/disk/file//x"))
        #expect(try dev.attributes() == ConfigFSDeviceAttributes(
            blockSize: 4096, maxSectors: 1024, sizeInBytes: 123_456_512, unitSerial: "abc-123"))
    }

    @Test func missingSerialIsEmptyButBadNumbersNameTheAttribute() throws {
        sysfs.addDevice(minor: 0, name: "d", config: "file//x")
        let dev = ConfigFSDevice(files: sysfs.files, name: try UIODeviceName(parsing: "tcm-user/1/d/file//x"))
        sysfs.remove("sys/kernel/config/target/core/user_1/d/wwn/vpd_unit_serial")
        #expect(try dev.attributes().unitSerial == "")
        sysfs.write("sys/kernel/config/target/core/user_1/d/attrib/hw_max_sectors", "lots\n")
        #expect { try dev.attributes() } throws: { ($0 as? ConfigFSError)?.attribute == "attrib/hw_max_sectors" }
        sysfs.write("sys/kernel/config/target/core/user_1/d/attrib/hw_max_sectors", "128\n")
        sysfs.write("sys/kernel/config/target/core/user_1/d/info", "Status: ACTIVATED SectorSize: 512\n")
        #expect { try dev.attributes() } throws: { ($0 as? ConfigFSError)?.attribute == "info" }
    }

    @Test func actionsWriteTheValue() throws {
        sysfs.addDevice(minor: 0, name: "d", config: "file//x")
        let dev = ConfigFSDevice(files: sysfs.files, name: try UIODeviceName(parsing: "tcm-user/1/d/file//x"))
        try dev.setAction("block_dev", 1)
        #expect(sysfs.read("sys/kernel/config/target/core/user_1/d/action/block_dev") == "1")
        #expect { try dev.setAction("free_kept_buf", 1) } throws: { ($0 as? ControlFileError)?.code == 2 }
    }

    @Test func moduleParametersOnlyWhenPresent() {
        let params = TCMUModuleParameters(files: sysfs.files)
        #expect(params.blockNetlink() == false)
        sysfs.write("sys/module/target_core_user/parameters/block_netlink", "0")
        sysfs.write("sys/module/target_core_user/parameters/reset_netlink", "0")
        #expect(params.blockNetlink() == true)
        #expect(sysfs.read("sys/module/target_core_user/parameters/block_netlink") == "1")
        #expect(sysfs.read("sys/module/target_core_user/parameters/reset_netlink") == "1")
        params.unblockNetlink()
        #expect(sysfs.read("sys/module/target_core_user/parameters/block_netlink") == "0")
    }

    @Test func discoveryListsOnlyTcmuDevicesByMinor() {
        sysfs.addDevice(minor: 10, name: "b", config: "zbc/model-HM@/z")
        sysfs.addDevice(minor: 2, name: "a", config: "file//a")
        sysfs.write("sys/class/uio/uio3/name", "uio_pci_generic\n")
        sysfs.write("sys/class/uio/uio5/name", "tcm-user/1/c/file//c\n")
        sysfs.write("sys/class/uio/uio5/maps/map0/size", "huge\n")
        let found = UIODiscovery(files: sysfs.files).scan()
        #expect(found.count == 3)
        #expect((try? found[0].get())?.minor == 2)
        #expect((try? found[0].get())?.mapSize == 0x4080_0000)
        #expect((try? found[0].get())?.devicePath == "dev/uio2")
        #expect((try? found[2].get())?.name.configString == "zbc/model-HM@/z")
        guard case .failure(.badMapSize(5, "huge")) = found[1] else {
            Issue.record("uio5: \(found[1])")
            return
        }
    }
}
