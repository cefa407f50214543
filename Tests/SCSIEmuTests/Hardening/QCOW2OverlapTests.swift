import Foundation
import Logging
import Sense
import Testing
import TestSupport

@testable import SCSIEmu

/// Issue 13, qcow2 overwriting its own metadata: an L2 entry (COPIED) that points at an L1 table, an L2
/// table, the refcount table or a refcount block. A guest WRITE there must be refused with MEDIUM ERROR,
/// the image marked corrupt (incompatible feature bit 1, as QEMU marks it), and no metadata byte changed.
@Suite("qcow2 metadata overlap", .enabled(if: BlockTestSupport.qemuImg != nil, "qemu-img is not installed (apt-get install qemu-utils)"))
struct QCOW2OverlapTests {
    typealias S = BlockTestSupport

    enum Target: String, CaseIterable { case l1Table, l2Table, refcountTable, refcountBlock }

    static func open(_ path: String, readOnly: Bool = false) throws -> BlockDevice {
        let config = (readOnly ? "ro@" : "") + path
        let d = try QcowHandler().open(HostileSizeTests.parameters(config, size: 16 << 20))
        return try #require(d as? BlockDevice)
    }

    static func u64(_ f: FileHandle, _ at: UInt64) throws -> UInt64 {
        try f.seek(toOffset: at)
        return [UInt8](try f.read(upToCount: 8) ?? Data()).bigEndianValue(at: 0, width: 8)
    }

    static func bytes(_ f: FileHandle, _ at: UInt64, _ n: Int) throws -> [UInt8] {
        try f.seek(toOffset: at)
        return [UInt8](try f.read(upToCount: n) ?? Data())
    }

    /// "N errors were found on the image." (0 when clean).
    static func errors(_ path: String) throws -> (count: Int, output: String) {
        let r = try S.run(S.qemuImg!, ["check", path])
        let line = r.output.split(separator: "\n").first { $0.contains("errors were found") } ?? ""
        return (Int(line.split(separator: " ").first ?? "") ?? 0, r.output)
    }

    @Test(arguments: Target.allCases)
    func dataWriteOntoMetadataIsRefusedAndTheImageMarkedCorrupt(target: Target) throws {
        let dir = try S.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("disk.qcow2").path
        #expect(try S.run(S.qemuImg!, ["create", "-q", "-f", "qcow2", "-o", "cluster_size=65536", path, "16M"]).status == 0)
        let data = S.pattern(4096, seed: 3)
        do {
            let d = try Self.open(path)
            #expect(run(d, TestCDB.rw10(0x2A, 0, 8), dataOut: data).status == .good)
            d.close()
        }
        #expect(try Self.errors(path).count == 0)

        // Guest cluster 1 (LBA 128…255) → COPIED | a metadata cluster.
        let f = try FileHandle(forUpdating: URL(fileURLWithPath: path))
        let l1 = try Self.u64(f, 40), reftable = try Self.u64(f, 48)
        let l2 = try Self.u64(f, l1) & 0x00FF_FFFF_FFFF_FE00
        let block = try Self.u64(f, reftable) & ~0x1FF
        let host: UInt64 = switch target {
        case .l1Table: l1
        case .l2Table: l2
        case .refcountTable: reftable
        case .refcountBlock: block
        }
        try f.seek(toOffset: l2 + 8)
        try f.write(contentsOf: BlockCDB.be(host | 1 << 63, 8))
        let metadata = try [0, l1, l2, reftable, block].map { try Self.bytes(f, $0, 65536) }
        try f.close()
        let crafted = try Self.errors(path)
        #expect(crafted.count > 0, "\(crafted.output)")

        let d = try Self.open(path)
        let refused = run(d, TestCDB.rw10(0x2A, 128, 8), dataOut: S.pattern(4096, seed: 9))
        #expect(refused.status == .checkCondition)
        #expect(refused.sense == Sense(.mediumError, .mediumFormatCorrupted))
        // Marked corrupt: no further write goes anywhere; reads still serve the data.
        #expect(run(d, TestCDB.rw10(0x2A, 0, 8), dataOut: data).sense == Sense(.mediumError, .mediumFormatCorrupted))
        #expect(run(d, TestCDB.rw10(0x28, 0, 8)).data == data)
        d.close()

        let g = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
        let after = try [0, l1, l2, reftable, block].map { try Self.bytes(g, $0, 65536) }
        try g.close()
        // Not one metadata byte changed but the header's corrupt bit (incompatible_features bit 1).
        #expect(after[0][72..<80].elementsEqual(BlockCDB.be(2, 8)))
        var header = after[0]
        header.replaceSubrange(72..<80, with: metadata[0][72..<80])
        #expect(header == metadata[0])
        #expect(Array(after.dropFirst()) == Array(metadata.dropFirst()))
        #expect(try Self.errors(path).count == crafted.count)
        let info = try S.run(S.qemuImg!, ["info", "--output=json", path]).output
        #expect(info.contains("\"corrupt\": true"), "\(info)")

        // Opening read-write is refused, read-only is allowed (as QEMU).
        #expect(throws: HandlerError.self) { try Self.open(path) }
        do {
            _ = try Self.open(path)
        } catch let e as HandlerError {
            #expect(e.message.contains("corrupt"))
        }
        let ro = try Self.open(path, readOnly: true)
        #expect(run(ro, TestCDB.rw10(0x28, 0, 8)).data == data)
        ro.close()
    }

    /// An L1 entry pointing at an L2 table past the end of the file: the first allocation would take that
    /// very cluster for data. It is refused and the image marked corrupt; the file keeps its length.
    @Test func allocationOntoATablePastTheEndIsRefused() throws {
        let dir = try S.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("disk.qcow2").path
        #expect(try S.run(S.qemuImg!, ["create", "-q", "-f", "qcow2", "-o", "cluster_size=65536", path, "16M"]).status == 0)
        let f = try FileHandle(forUpdating: URL(fileURLWithPath: path))
        let end = try f.seekToEnd()
        let l1 = try Self.u64(f, 40)
        try f.seek(toOffset: l1)
        try f.write(contentsOf: BlockCDB.be((end + 65535) / 65536 * 65536 | 1 << 63, 8))
        try f.close()
        let d = try Self.open(path)
        let r = run(d, TestCDB.rw10(0x2A, 0, 8), dataOut: S.pattern(4096, seed: 1))
        #expect(r.sense == Sense(.mediumError, .mediumFormatCorrupted))
        d.close()
        let header = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
        defer { try? header.close() }
        #expect(try Self.u64(header, 72) == 2)
        #expect(try header.seekToEnd() == end)
    }
}
