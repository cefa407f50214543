import Foundation
import Logging
import Testing

@testable import SCSIEmu

#if canImport(Glibc)
import Glibc
#endif

/// `HandlerRegistry.checkConfig` (behind `emud check-config` and D-Bus CheckConfig) runs every check
/// opening would make, on real files, and creates or changes none; a refused open leaves no file behind.
@Suite("Check config against the files")
struct CheckConfigTests {
    typealias S = BlockTestSupport
    let dir: String

    init() throws { dir = try S.temporaryDirectory().path }

    /// "ok", or the one line `emud check-config` prints after the config string (`field: reason`).
    func check(_ configString: String, size: UInt64? = nil) -> String {
        do throws(ConfigError) {
            try HandlerRegistry.standard.checkConfig(configString, deviceSize: size)
            return "ok"
        } catch {
            return error.description
        }
    }

    func write(_ name: String, _ bytes: [UInt8]) throws -> String {
        let path = "\(dir)/\(name)"
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    func exists(_ path: String) -> Bool { FileManager.default.fileExists(atPath: path) }

    func cleanup() { try? FileManager.default.removeItem(atPath: dir) }

    /// Runs `body` with this thread's file-system uid set to nobody, so that permission bits apply even
    /// when the tests run as root (setfsuid is per thread; it also drops CAP_DAC_OVERRIDE for the thread).
    func asNobody<T>(_ body: () -> T) -> T {
        guard geteuid() == 0 else { return body() }
        typealias SetFSUID = @convention(c) (UInt32) -> Int32
        guard let symbol = dlsym(dlopen(nil, RTLD_NOW), "setfsuid") else { return body() }
        let setfsuid = unsafeBitCast(symbol, to: SetFSUID.self)
        _ = setfsuid(65534)
        defer { _ = setfsuid(0) }
        return body()
    }

    @Test func missingDirectoryIsNamedAndNothingIsCreated() {
        defer { cleanup() }
        #expect(check("file/\(dir)/nodir/x.img") == "path: directory \(dir)/nodir: No such file or directory")
        #expect(check("fbo/\(dir)/nodir/x.iso") == "path: fbo: cannot open image: directory \(dir)/nodir: No such file or directory")
        #expect(check("zbc/\(dir)/nodir/z.raw") == "path: zbc image: directory \(dir)/nodir: No such file or directory")
        #expect(!exists("\(dir)/nodir"))
    }

    @Test func checkCreatesNoFileWhereOpenWould() throws {
        defer { cleanup() }
        #expect(check("file/\(dir)/new.img", size: 1 << 20) == "ok")
        #expect(check("fbo/\(dir)/new.iso", size: 1 << 20) == "ok")  // DVD-RAM: open creates it
        #expect(check("zbc/zsize-1@\(dir)/new.raw", size: 16 << 20) == "ok")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == [])
    }

    @Test func unreadableAndUnwritableFilesAreRefused() throws {
        defer { cleanup() }
        let locked = try write("locked.img", [UInt8](repeating: 1, count: 4096))
        let readOnly = try write("readonly.img", [UInt8](repeating: 1, count: 4096))
        chmod(locked, 0)
        chmod(readOnly, 0o444)
        #expect(asNobody { check("file/ro@\(locked)") } == "path: open \(locked): Permission denied")
        #expect(asNobody { check("file/\(readOnly)") } == "path: open \(readOnly): Permission denied")
        #expect(asNobody { check("file/ro@\(readOnly)") } == "ok")
        #expect(asNobody { check("fbo/ro/\(locked)") } == "path: fbo: cannot open image: open \(locked): Permission denied")
        chmod(dir, 0o555)
        defer { chmod(dir, 0o755) }
        #expect(asNobody { check("file/\(dir)/new.img") } == "path: create \(dir)/new.img: Permission denied")
    }

    @Test func qcowImagesAreCheckedAsOpenChecksThem() throws {
        defer { cleanup() }
        let raw = try write("raw.qcow2", [UInt8](repeating: 0, count: 4096))
        #expect(check("qcow/\(raw)") == "path: \(raw): qcow2 header field magic = 0: not a qcow2 image")
        var image = BlockQCOW2Tests.handBuiltImage().image
        image.setBigEndian(UInt64(200), at: 8)
        image.setBigEndian(UInt32(8), at: 16)
        image.replaceSubrange(200..<208, with: Array("base.img".utf8))
        let backed = try write("backed.qcow2", image)
        #expect(
            check("qcow/\(backed)")
                == "path: \(backed): backing file 'base.img' (backing chains are not supported; flatten with 'qemu-img convert')")
        #expect(check("qcow/\(dir)/missing.qcow2") == "path: open \(dir)/missing.qcow2: No such file or directory")

        var good = BlockQCOW2Tests.handBuiltImage().image
        good.setBigEndian(UInt64(1), at: 88)  // autoclear bits: open clears them, a check must not
        let path = try write("good.qcow2", good)
        #expect(check("qcow/\(path)", size: 1 << 20) == "ok")
        #expect(check("qcow/\(path)", size: 2 << 20) == "path: \(path): virtual size 1048576 bytes, smaller than the device (2097152 bytes)")
        #expect(try Array(Data(contentsOf: URL(fileURLWithPath: path))) == good)
    }

    @Test func discImagesMustHoldWholeBlocks() throws {
        defer { cleanup() }
        let empty = try write("empty.iso", [])
        let odd = try write("odd.iso", [UInt8](repeating: 0, count: 2049))
        let iso = try write("disc.iso", [UInt8](repeating: 0, count: 4096))
        #expect(check("fbo/ro/\(empty)") == "path: fbo: image \(empty): empty (0 bytes): a disc image holds at least one 2048-byte block")
        #expect(check("fbo/ro/\(odd)") == "path: fbo: image \(odd): 2049 bytes is not a multiple of 2048 (not a disc image of 2048-byte blocks)")
        #expect(check("fbo/ro/\(iso)") == "ok")
        #expect(check("fbo/ro/\(dir)/none.iso") == "path: fbo: cannot open image: open \(dir)/none.iso: No such file or directory")
        // Open refuses them the same way.
        #expect(throws: OpticalControlError.unusableImage(path: empty, reason: "empty (0 bytes): a disc image holds at least one 2048-byte block")) {
            _ = try OpticalMedium(path: empty, profile: .dvdROM, readOnly: true)
        }
    }

    @Test func zonedPathsMustBeAbsolute() {
        defer { cleanup() }
        #expect(check("zbc/zsize-4@rel.raw") == "path: 'rel.raw' is not absolute")
        #expect(check("zbc/rel.raw") == "path: expected zbc/<options>@<path> or zbc/<absolute path>")
    }

    func zbcParameters(_ config: String, size: UInt64) -> DeviceOpenParameters {
        DeviceOpenParameters(
            config: config, fullConfigString: "zbc/\(config)", deviceName: "z0", hba: "1", sizeInBytes: size,
            blockSize: 512, maxSectors: 128, unitSerial: "", logger: Logger(label: "test"))
    }

    @Test func truncatedZonedImageIsFormattedNotRefused() throws {
        defer { cleanup() }
        let path = "\(dir)/z.raw"
        #expect(FileManager.default.createFile(atPath: path, contents: nil))
        #expect(truncate(path, 16 << 20) == 0)  // what `truncate -s 16M` makes: no data extent
        #expect(check("zbc/zsize-1@\(path)", size: 16 << 20) == "ok")
        let device = try ZBCHandler().open(zbcParameters("zsize-1@\(path)", size: 16 << 20))
        #expect((device as? ZonedDevice)?.geometry.layout.zoneCount == 16)
        device.close()
        let head = try Array(Data(contentsOf: URL(fileURLWithPath: path)).prefix(8))
        #expect(head == ZonedMetadata.magic)

        // A file holding any data is someone's: refused, naming what to do.
        let data = try write("data.raw", [UInt8](repeating: 7, count: 4096))
        #expect(
            check("zbc/zsize-1@\(data)", size: 16 << 20)
                == "path: zbc image refused: the image (4096 bytes) holds no valid emud zoned metadata; add `format` to reformat it (its data is lost)")
    }

    @Test func zonedImageWithOtherGeometryIsRefusedNamingTheOption() throws {
        defer { cleanup() }
        let path = "\(dir)/z.raw"
        try ZBCHandler().open(zbcParameters("zsize-1@\(path)", size: 16 << 20)).close()
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(check("zbc/zsize-1@\(path)", size: 16 << 20) == "ok")
        #expect(
            check("zbc/zsize-2@\(path)", size: 16 << 20)
                == "path: zbc image refused: zsize: existing image has zone size 1 MiB, options ask for 2 MiB; add `format` to reformat (its data is lost)")
        #expect(
            check("zbc/model-HA@\(path)")
                == "path: zbc image refused: model: existing image has model HM, options ask for HA; add `format` to reformat (its data is lost)")
        #expect(
            check("zbc/zsize-1@\(path)", size: 32 << 20)
                == "path: zbc image refused: size: existing image holds 16777216 bytes of logical blocks, the device size is 33554432; add `format` to reformat (its data is lost)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
    }

    @Test func refusedOpensLeaveNoFileBehind() {
        defer { cleanup() }
        let zoned = "\(dir)/z.raw"
        #expect(throws: HandlerError.self) { try ZBCHandler().open(zbcParameters("zsize-1@\(zoned)", size: 100)) }
        #expect(!exists(zoned))
        let disc = "\(dir)/disc.img"
        #expect(throws: OpticalControlError.self) {
            _ = try OpticalMedium(path: disc, profile: .dvdRAM, readOnly: false, minimumBytes: 1000)
        }
        #expect(!exists(disc))
        let disk = "\(dir)/disk.img"
        let p = DeviceOpenParameters(
            config: disk, fullConfigString: "file/\(disk)", deviceName: "d0", hba: "0", sizeInBytes: 1 << 20,
            blockSize: 3000, maxSectors: 128, unitSerial: "", logger: Logger(label: "test"))
        #expect(throws: HandlerError.self) { try FileHandler().open(p) }
        #expect(!exists(disk))
    }
}
