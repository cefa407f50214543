import Foundation
import Testing
import TestSupport

@testable import SCSIEmu

/// qcow2 images: one built by hand here (every header byte documented), and images made by qemu-img.
@Suite("Block qcow2 store")
struct BlockQCOW2Tests {
    typealias S = BlockTestSupport

    static let compressibleCluster: [UInt8] = (0..<512).map { Array("emud qcow2 ".utf8)[$0 % 11] }

    /// A version 3 image, cluster_bits 9 (512-byte clusters), 1 MiB virtual size, 16-bit refcounts:
    ///   cluster 0: header; 1: L1 table (32 entries); 2: refcount table; 3: refcount block;
    ///   4: the L2 table of L1[0]; 5: data of guest cluster 1; 6: compressed data of guest cluster 2.
    ///   Guest cluster 3 has the all-zeros flag; everything else is unallocated.
    static func handBuiltImage() -> (image: [UInt8], guest: [UInt8]) {
        var img = [UInt8](repeating: 0, count: 7 * 512)
        func put64(_ v: UInt64, _ o: Int) { img.setBigEndian(v, at: o) }
        func put32(_ v: UInt32, _ o: Int) { img.setBigEndian(v, at: o) }
        put32(0x5146_49FB, 0)  // magic "QFI\xFB"
        put32(3, 4)  // version
        put64(0, 8)  // backing_file_offset: none
        put32(0, 16)  // backing_file_size
        put32(9, 20)  // cluster_bits: 512-byte clusters
        put64(1 << 20, 24)  // size: 1 MiB
        put32(0, 32)  // crypt_method: none
        put32(32, 36)  // l1_size: 1 MiB / (64 entries × 512 bytes)
        put64(512, 40)  // l1_table_offset: cluster 1
        put64(1024, 48)  // refcount_table_offset: cluster 2
        put32(1, 56)  // refcount_table_clusters
        put32(0, 60)  // nb_snapshots
        put64(0, 64)  // snapshots_offset
        put64(0, 72)  // incompatible_features
        put64(0, 80)  // compatible_features
        put64(0, 88)  // autoclear_features
        put32(4, 96)  // refcount_order: 16-bit refcounts
        put32(104, 100)  // header_length; bytes 104–111 are the end-of-extensions marker (zeros)
        put64(2048 | 1 << 63, 512)  // L1[0] → L2 table at cluster 4, COPIED
        put64(1536, 1024)  // refcount table[0] → refcount block at cluster 3
        for c in 0..<7 { img.setBigEndian(UInt16(1), at: 1536 + c * 2) }  // clusters 0–6: refcount 1
        let l2 = 2048
        put64(2560 | 1 << 63, l2 + 8)  // guest cluster 1 → host cluster 5, COPIED
        let compressed = qcow2Deflate(compressibleCluster)!
        precondition(compressed.count <= 512)
        put64(3072 | 1 << 62, l2 + 16)  // guest cluster 2: compressed at 3072, 0 additional sectors
        put64(1, l2 + 24)  // guest cluster 3: all-zeros flag, no host cluster
        let data = S.pattern(512, seed: 1)
        img.replaceSubrange(2560..<3072, with: data)
        img.replaceSubrange(3072..<(3072 + compressed.count), with: compressed)
        var guest = [UInt8](repeating: 0, count: 4 * 512)
        guest.replaceSubrange(512..<1024, with: data)
        guest.replaceSubrange(1024..<1536, with: compressibleCluster)
        return (img, guest)
    }

    /// Reads through a scatter-gather buffer of odd-sized segments (700 bytes, or ~64 KiB for big reads).
    static func readAll(_ store: some BackingStore, _ count: Int, at offset: UInt64 = 0) throws -> [UInt8] {
        let b = OwnedDataBuffer(count: count, segmentSize: count > 1 << 20 ? 65_543 : 700)
        try store.read(into: b.view, 0..<count, at: offset)
        return b.bytes
    }

    static func write(_ store: some BackingStore, _ bytes: [UInt8], at offset: UInt64) throws {
        let b = OwnedDataBuffer(bytes, segmentSize: 1000)
        try store.write(from: b.view, 0..<bytes.count, at: offset)
    }

    @Test func handBuiltImageReadsDataCompressedZeroAndUnallocatedClusters() throws {
        let dir = try S.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("hand.qcow2").path
        let (img, guest) = Self.handBuiltImage()
        try Data(img).write(to: URL(fileURLWithPath: path))
        let store = try QCOW2Store(path: path)
        defer { store.close() }
        #expect(store.size == 1 << 20)
        #expect(store.header.refcountOrder == 4)
        #expect(try Self.readAll(store, 4 * 512) == guest)
        #expect(try Self.readAll(store, 512, at: 900 * 512) == [UInt8](repeating: 0, count: 512))
        #expect(try store.allocationStatus(at: 0) == AllocationRun(mapped: false, length: 512))
        #expect(try store.allocationStatus(at: 512) == AllocationRun(mapped: true, length: 1024))
        #expect(try store.allocationStatus(at: 1536).mapped == false)
    }

    @Test func handBuiltImageWritesPassQemuImgCheck() throws {
        let dir = try S.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("hand.qcow2").path
        var (img, guest) = Self.handBuiltImage()
        try Data(img).write(to: URL(fileURLWithPath: path))
        img = []
        let store = try QCOW2Store(path: path)
        // Partial write into the compressed cluster (copy on write), into the zero cluster, into a new
        // L2 table (guest cluster 64 lives under L1[1]) and across the data cluster's boundary.
        let writes: [(UInt64, [UInt8])] = [
            (1024 + 100, S.pattern(50, seed: 2)), (1536 + 10, S.pattern(30, seed: 3)),
            (64 * 512 + 7, S.pattern(1000, seed: 4)), (900, S.pattern(300, seed: 5)),
        ]
        guest += [UInt8](repeating: 0, count: (1 << 20) - guest.count)
        for (off, bytes) in writes {
            try Self.write(store, bytes, at: off)
            guest.replaceSubrange(Int(off)..<(Int(off) + bytes.count), with: bytes)
        }
        #expect(try Self.readAll(store, 1 << 20) == guest)
        try store.discard(at: 512, length: 512)
        guest.replaceSubrange(512..<1024, with: [UInt8](repeating: 0, count: 512))
        #expect(try store.allocationStatus(at: 512).mapped == false)
        #expect(try Self.readAll(store, 1 << 20) == guest)
        store.close()
        if let qemuImg = S.qemuImg {
            let check = try S.run(qemuImg, ["check", path])
            #expect(check.status == 0, "\(check.output)")
            let raw = dir.appendingPathComponent("out.raw").path
            #expect(try S.run(qemuImg, ["convert", "-O", "raw", path, raw]).status == 0)
            #expect(try [UInt8](Data(contentsOf: URL(fileURLWithPath: raw))) == guest)
        }
        let reopened = try QCOW2Store(path: path, readOnly: true)
        defer { reopened.close() }
        #expect(try Self.readAll(reopened, 1 << 20) == guest)
    }

    @Test(.enabled(if: BlockTestSupport.qemuImg != nil, "qemu-img is not installed (apt-get install qemu-utils)"))
    func qemuImgCreatedImageStaysConsistentAfterOurWrites() throws {
        let qemuImg = S.qemuImg!
        let dir = try S.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("made.qcow2").path
        let size = 64 << 20
        #expect(try S.run(qemuImg, ["create", "-q", "-f", "qcow2", path, "\(size)"]).status == 0)
        let store = try QCOW2Store(path: path)
        var expected = [UInt8](repeating: 0, count: size)
        let writes: [(Int, Int, UInt8)] = [
            (0, 4096, 1), (65536 - 512, 1024, 2), (3 << 20, 200_000, 3), (40 << 20, 65536, 4), (5000 * 512, 512, 5),
        ]
        for (off, n, seed) in writes {
            let bytes = S.pattern(n, seed: seed)
            try Self.write(store, bytes, at: UInt64(off))
            expected.replaceSubrange(off..<(off + n), with: bytes)
        }
        try store.discard(at: 40 << 20, length: 65536)
        expected.replaceSubrange((40 << 20)..<((40 << 20) + 65536), with: [UInt8](repeating: 0, count: 65536))
        #expect(try store.allocationStatus(at: 40 << 20).mapped == false)
        #expect(try Self.readAll(store, size) == expected)
        store.close()
        let check = try S.run(qemuImg, ["check", path])
        #expect(check.status == 0, "\(check.output)")
        let raw = dir.appendingPathComponent("made.raw").path
        #expect(try S.run(qemuImg, ["convert", "-O", "raw", path, raw]).status == 0)
        #expect(try [UInt8](Data(contentsOf: URL(fileURLWithPath: raw))) == expected)
    }

    @Test(.enabled(if: BlockTestSupport.qemuImg != nil, "qemu-img is not installed (apt-get install qemu-utils)"))
    func readsClustersCompressedByQemuImg() throws {
        let qemuImg = S.qemuImg!
        let dir = try S.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let raw = dir.appendingPathComponent("in.raw").path
        let qcow = dir.appendingPathComponent("c.qcow2").path
        var content = [UInt8](repeating: 0, count: 1 << 20)
        for i in stride(from: 0, to: content.count, by: 4096) where (i / 4096) % 3 != 2 {
            content.replaceSubrange(i..<(i + 4096), with: Array(String(repeating: "block \(i / 4096) ", count: 1000).utf8.prefix(4096)))
        }
        try Data(content).write(to: URL(fileURLWithPath: raw))
        #expect(try S.run(qemuImg, ["convert", "-c", "-f", "raw", "-O", "qcow2", raw, qcow]).status == 0)
        let store = try QCOW2Store(path: qcow)
        #expect(try Self.readAll(store, content.count) == content)
        // Overwrite part of a compressed cluster: copy on write, the old cluster's refcount drops.
        let patch = S.pattern(3000, seed: 9)
        try Self.write(store, patch, at: 70_000)
        content.replaceSubrange(70_000..<73_000, with: patch)
        #expect(try Self.readAll(store, content.count) == content)
        store.close()
        let check = try S.run(qemuImg, ["check", qcow])
        #expect(check.status == 0, "\(check.output)")
    }

    @Test func badImagesAreRefusedNamingTheField() throws {
        let dir = try S.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("bad.qcow2").path
        func refusal(_ patch: (inout [UInt8]) -> Void) throws -> String {
            var img = Self.handBuiltImage().image
            patch(&img)
            try Data(img).write(to: URL(fileURLWithPath: path))
            do {
                _ = try QCOW2Store(path: path)
                return "opened"
            } catch {
                return "\(error)"
            }
        }
        #expect(try refusal { $0[0] = 0 }.contains("magic"))
        #expect(try refusal { $0.setBigEndian(UInt32(22), at: 20) }.contains("cluster_bits = 22"))
        #expect(try refusal { $0.setBigEndian(UInt64(1), at: 72) }.contains("dirty"))
        #expect(try refusal { $0.setBigEndian(UInt64(2), at: 72) }.contains("corrupt"))
        #expect(try refusal { $0.setBigEndian(UInt64(1 << 9), at: 72) }.contains("unknown incompatible feature bit 9"))
        #expect(try refusal { $0.setBigEndian(UInt32(1), at: 32) }.contains("crypt_method"))
        #expect(try refusal { $0.setBigEndian(UInt32(1), at: 36) }.contains("l1_size = 1"))
        #expect(try refusal { $0.setBigEndian(UInt32(7), at: 96) }.contains("refcount_order = 7"))
        #expect(try refusal { img in
            img.setBigEndian(UInt64(200), at: 8)
            img.setBigEndian(UInt32(8), at: 16)
            img.replaceSubrange(200..<208, with: Array("base.img".utf8))
        }.contains("backing file 'base.img'"))
    }

    @Test func diskOverQcow2UnmapsWholeClustersAndReportsThem() throws {
        let dir = try S.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("disk.qcow2").path
        try Data(Self.handBuiltImage().image).write(to: URL(fileURLWithPath: path))
        let store = try QCOW2Store(path: path)
        var c = BlockDeviceConfiguration()
        c.maxTransferBlocks = 256
        let device = try BlockDevice(store: store, configuration: c)
        defer { device.close() }
        func run(_ cdb: [UInt8], _ out: [UInt8] = [], dataIn: Int = 0) -> (CommandResult, [UInt8]) {
            let b = out.isEmpty ? OwnedDataBuffer(count: dataIn, segmentSize: 300) : OwnedDataBuffer(out, segmentSize: 300)
            var cmd = SCSICommand(cdb: CDB(cdb)!, data: b.view)
            let r = device.execute(&cmd)
            return (r, Array(b.bytes.prefix(r.dataInLength)))
        }
        // B0: OPTIMAL UNMAP GRANULARITY = one 512-byte cluster.
        #expect(device.vpdPage(0xB0)?.bigEndianValue(at: 28, width: 4) == 1)
        let data = S.pattern(16 * 512, seed: 7)
        #expect(run(BlockCDB.rw16(0x8A, 100, 16), data).0.status == .good)
        let list: [UInt8] = [0, 22, 0, 16, 0, 0, 0, 0] + BlockCDB.be(104, 8) + BlockCDB.be(4, 4) + [0, 0, 0, 0]
        #expect(run([0x42, 0, 0, 0, 0, 0, 0, 0, 24, 0], list).0 == CommandResult(status: .good))
        let status = run([0x9E, 0x12] + BlockCDB.be(100, 8) + BlockCDB.be(56, 4) + [0, 0], dataIn: 56).1
        #expect(status == [0, 0, 0, 52, 0, 0, 0, 0]
            + BlockCDB.be(100, 8) + BlockCDB.be(4, 4) + [0, 0, 0, 0]
            + BlockCDB.be(104, 8) + BlockCDB.be(4, 4) + [1, 0, 0, 0]
            + BlockCDB.be(108, 8) + BlockCDB.be(8, 4) + [0, 0, 0, 0])
        var expected = data
        expected.replaceSubrange(2048..<4096, with: [UInt8](repeating: 0, count: 2048))
        #expect(run(BlockCDB.rw16(0x88, 100, 16), dataIn: 16 * 512).1 == expected)
        // WRITE SAME with UNMAP over clusters, then qemu-img check.
        #expect(run([0x93, 0x08] + BlockCDB.be(108, 8) + BlockCDB.be(8, 4) + [0, 0], [UInt8](repeating: 0, count: 512)).0.status == .good)
        device.close()
        if let qemuImg = S.qemuImg {
            let check = try S.run(qemuImg, ["check", path])
            #expect(check.status == 0, "\(check.output)")
        }
    }
}
