import Foundation
import Logging
import Sense
import Testing
import TestSupport

@testable import SCSIEmu

/// The `file` and `qcow` handlers: config strings, opening, errors at device add.
@Suite("Block handlers")
struct BlockHandlerTests {
    typealias S = BlockTestSupport

    @Test func configStringsParse() throws {
        let plain = try BlockConfigString(parsing: "/var/disk.img")
        #expect(plain.path == "/var/disk.img" && !plain.readOnly && plain.thinProvisioning)
        let c = try BlockConfigString(parsing: "ro/thick@/images/a@b.qcow2")
        #expect(c.path == "/images/a@b.qcow2" && c.readOnly && !c.thinProvisioning)
        let d = try BlockConfigString(parsing: "rw,thin@/x")
        #expect(d.path == "/x" && !d.readOnly && d.thinProvisioning)
        #expect(try BlockConfigString(parsing: "/odd@name").path == "/odd@name")
    }

    @Test func badConfigStringsNameTheField() {
        func error(_ s: String) -> ConfigError? {
            do {
                _ = try BlockConfigString(parsing: s)
                return nil
            } catch { return error }
        }
        #expect(error("fast@/x")?.field == "fast")
        #expect(error("fast@/x")?.reason.contains("unknown option") == true)
        #expect(error("ro/rw@/x")?.field == "rw")
        #expect(error("ro@")?.field == "path")
        #expect(error("")?.field == "path")
        #expect(error("tmp/disk.img")?.field == "path")
        #expect(throws: ConfigError.self) { try HandlerRegistry.standard.checkConfig("qcow/thin/bogus@/x.qcow2") }
        #expect(throws: Never.self) { try HandlerRegistry.standard.checkConfig("file//var/lib/disk.img") }
    }

    static func parameters(_ config: String, size: UInt64, blockSize: UInt32 = 512) -> DeviceOpenParameters {
        DeviceOpenParameters(
            config: config, fullConfigString: "file/\(config)", deviceName: "d0", hba: "0", sizeInBytes: size,
            blockSize: blockSize, maxSectors: 128, unitSerial: "5001405abcdef01", logger: Logger(label: "test"))
    }

    @Test func fileHandlerOpensAndServesADisk() throws {
        let dir = try S.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("disk.img").path
        let (handler, parsed) = try HandlerRegistry.standard.resolve("file/\(path)")
        #expect(handler.subtype == "file")
        let device = try handler.open(Self.parameters(parsed.config, size: 1 << 20, blockSize: 4096))
        defer { device.close() }
        // The file was created and grown sparsely to the device size.
        #expect(try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int == 1 << 20)
        let out = OwnedDataBuffer(count: 8)
        var cmd = SCSICommand(cdb: CDB([0x25, 0, 0, 0, 0, 0, 0, 0, 0, 0])!, data: out.view)
        #expect(device.execute(&cmd) == CommandResult(status: .good, dataInLength: 8))
        #expect(out.bytes == [0, 0, 0, 255, 0, 0, 0x10, 0])
        #expect(device.isStorageIO(CDB([0x28, 0, 0, 0, 0, 0, 0, 0, 1, 0])!))
        #expect(!device.isStorageIO(CDB([0x12, 0, 0, 0, 36, 0])!))
    }

    @Test func badImagesFailAtAddWithAClearMessage() throws {
        let dir = try S.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let raw = dir.appendingPathComponent("not.qcow2").path
        try Data(repeating: 0x41, count: 4096).write(to: URL(fileURLWithPath: raw))
        func openError(_ h: any DeviceHandler, _ config: String, size: UInt64 = 1 << 20) -> HandlerError? {
            do {
                let d = try h.open(Self.parameters(config, size: size))
                d.close()
                return nil
            } catch { return error }
        }
        let notQcow = openError(QcowHandler(), raw)
        #expect(notQcow?.code == EINVAL)
        #expect(notQcow?.message.contains("magic") == true)
        #expect(notQcow?.message.contains(raw) == true)
        #expect(openError(QcowHandler(), dir.appendingPathComponent("missing.qcow2").path)?.code == ENOENT)
        // A device larger than the image.
        let small = dir.appendingPathComponent("small.qcow2").path
        var (img, _) = BlockQCOW2Tests.handBuiltImage()
        try Data(img).write(to: URL(fileURLWithPath: small))
        img = []
        let tooBig = openError(QcowHandler(), small, size: 2 << 20)
        #expect(tooBig?.message.contains("fewer than 4096") == true)
        #expect(openError(QcowHandler(), small, size: 1 << 20) == nil)
        #expect(openError(FileHandler(), "ro@\(dir.appendingPathComponent("none.img").path)")?.code == ENOENT)
    }
}

@Suite("Block resize")
struct BlockResizeTests {
    @Test func growingTheDeviceExtendsTheFileAndRaisesCapacityChanged() throws {
        let disk = try BlockTestDisk(.file, blocks: 1024)
        try disk.device.resize(toBytes: 4096 * 512)
        #expect(disk.device.blockCount == 4096)
        #expect(disk.store.size == 4096 * 512)
        // The next command reports CAPACITY DATA HAS CHANGED once, then READ CAPACITY sees the new size.
        #expect(disk.run([0x25, 0, 0, 0, 0, 0, 0, 0, 0, 0], dataIn: 8).result
            == .checkCondition(Sense(.unitAttention, .capacityDataHasChanged)))
        #expect(disk.run([0x25, 0, 0, 0, 0, 0, 0, 0, 0, 0], dataIn: 8).data == [0, 0, 0x0F, 0xFF, 0, 0, 0x02, 0])
        disk.write(4095, BlockTestSupport.pattern(512, seed: 1))
        #expect(disk.read(4095, 1) == BlockTestSupport.pattern(512, seed: 1))
    }

    @Test func qcow2ImagesCannotBeResizedInPlace() throws {
        let dir = try BlockTestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("r.qcow2").path
        try Data(BlockQCOW2Tests.handBuiltImage().image).write(to: URL(fileURLWithPath: path))
        let device = try BlockDevice(store: try QCOW2Store(path: path), configuration: BlockDeviceConfiguration())
        defer { device.close() }
        #expect(throws: Sense(.mediumError, .writeError)) { try device.resize(toBytes: 2 << 20) }
        #expect(device.blockCount == 2048)
    }
}
