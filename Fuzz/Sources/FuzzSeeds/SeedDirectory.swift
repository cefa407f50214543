import FuzzSupport

#if canImport(Glibc)
import Glibc
#endif

/// OUT/<target>/seed-N files.
final class SeedDirectory {
    let root: String
    var counts: [String: Int] = [:]

    init(_ root: String) {
        self.root = root
        mkdir(root, 0o755)
    }

    func add(_ target: String, _ bytes: [UInt8]) {
        mkdir("\(root)/\(target)", 0o755)
        let n = counts[target, default: 0]
        counts[target] = n + 1
        FuzzDevice.writeFile("\(root)/\(target)/seed-\(n)", bytes)
    }
}

/// The *.corpus files under a directory, recursively, in name order.
enum CorpusFiles {
    static func find(_ dir: String) -> [String] {
        guard let d = opendir(dir) else { return [] }
        defer { closedir(d) }
        var found: [String] = []
        while let entry = readdir(d) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix(while: { $0 != 0 }), as: UTF8.self) }
            if name == "." || name == ".." { continue }
            let path = "\(dir)/\(name)"
            if entry.pointee.d_type == UInt8(DT_DIR) {
                found += find(path)
            } else if name.hasSuffix(".corpus") {
                found.append(path)
            }
        }
        return found.sorted()
    }
}

/// A zoned image in emud's format: made by the zbc handler, a few zones written, its metadata bytes.
enum ZonedSeed {
    static func make(_ options: String) -> [UInt8] {
        let path = FuzzDevice.path("seed.zbc")
        FuzzDevice.remove(path)
        let lba: UInt32 = options.contains("lba-4096") ? 4096 : 512
        guard let device = FuzzDevice.open("zbc/\(options)@\(path)", size: 8 << 20, blockSize: lba) else {
            fuzzFailure("zbc/\(options) did not open")
        }
        let zone = UInt64((options.contains("zsize-2") ? 2 : 1) << 20) / UInt64(lba)
        var program: [UInt8] = []
        for z: UInt64 in [2, 3] {
            let lbaBytes = (0..<8).map { UInt8(truncatingIfNeeded: (z * zone) >> (56 - 8 * UInt64($0))) }
            program += CommandProgram.encode(
                cdb: [0x8A, 0] + lbaBytes + [0, 0, 0, 2, 0, 0], dataOut: [UInt8](repeating: 0x42, count: Int(lba) * 2),
                dataInLength: 0)
        }
        CommandProgram.run(program, on: device)
        device.close()
        let bytes = FuzzDevice.readFile(path) ?? []
        return Array(bytes.prefix(1 << 20))  // the metadata; the data area follows at 1 MiB
    }
}

/// Seeds no fixture holds.
enum HandWritten {
    static let configStrings = [
        "file//var/lib/disk.img", "file/ro@/srv/disk.img", "file/thin@/srv/d.img;tcmur_cmd_time_out=30",
        "qcow//srv/vm.qcow2", "qcow/ro/thick@/srv/vm.qcow2", "fbo//srv/disc.iso", "fbo/ro/profile-cdrom//srv/cd.iso",
        "fbo/empty", "fbo/profile-dvdram//srv/ram.img", "zbc/model-HM/zsize-64/conv-4/open-8@/srv/z.img",
        "zbc/model-HA/lba-4096/zsize-16/urswrz-1/ro-5/offline-6/rwp-7/format@/srv/z.img", "f/x", "zbc/@",
    ]
    static let tcmuConf = [
        "# tcmu.conf\nlog_level = 3\nlog_dir = /var/log\n", "log_level=5\n", "log_dir = \"/var/log/tcmu\" # quoted\n",
        "log_level = 9\n", "enable_log = 1\nlog_dir='/x'\n", "\n\n# only comments\n",
    ]
    static let controlRequests: [[UInt8]] = [
        "\u{0}zbc0 zone 3", "\u{0}zbc0 open 2", "\u{0}zbc0 force 2 readonly", "\u{0}zbc0 clear 2", "\u{0}zbc0 help",
        "\u{0}zbc0 status", "\u{1}dvd0 eject", "\u{1}dvd0 status", "\u{1}dvd0 insert \"a b\"", "list", "help",
        "ok\nline two\n", "error no such device\n",
    ].map { Array($0.utf8) }
    static let ringPrograms: [[UInt8]] = [
        [1, 0, 1, 2, 1, 3, 2, 2],
        [0, 2, 0, 4, 1, 2, 3, 4, 2, 1, 4, 2],
        [1, 4, 3, 2, 0, 3, 24, 8, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 0, 2],
        [0, 1, 48, 16] + [UInt8](repeating: 0xEE, count: 16) + [2, 1, 0, 2],
    ]
}
