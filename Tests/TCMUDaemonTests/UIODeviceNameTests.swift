import TCMUDaemon
import Testing

@Suite struct UIODeviceNameTests {
    @Test func splitsOnlyTheFirstThreeSlashes() throws {
        let n = try UIODeviceName(parsing: "tcm-user/3/zdisk/zbc/model-HM/zsize-128/conv-100@/var/local/zbc.raw\n")
        #expect(n.hba == "3")
        #expect(n.deviceName == "zdisk")
        #expect(n.configString == "zbc/model-HM/zsize-128/conv-100@/var/local/zbc.raw")
        #expect(n.hbaDirectory == "user_3")
        #expect(n.description == "tcm-user/3/zdisk/zbc/model-HM/zsize-128/conv-100@/var/local/zbc.raw")
    }

    @Test func keepsAnEmptyFieldInsideTheConfigString() throws {
        let n = try UIODeviceName(parsing: "tcm-user/1/disk0/file//var/disk.img")
        #expect(n.configString == "file//var/disk.img")
    }

    @Test(arguments: [
        "tcm-user/1/disk0", "uio/1/disk0/file//x", "tcm-user//disk0/file//x", "tcm-user/1//file//x", "",
    ])
    func refusesOtherNames(_ name: String) {
        #expect(throws: NetlinkDecodeError.self) { try UIODeviceName(parsing: name) }
    }
}
