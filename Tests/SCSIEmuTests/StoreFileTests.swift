import Foundation
import SystemCalls
import Testing
import TestSupport

@testable import SCSIEmu

/// The backing stores' file layer on real files: vectored I/O across scatter-gather segments, the end of
/// the file, holes, and failures that name the call, the file and the errno.
@Suite struct StoreFileTests {
    typealias S = BlockTestSupport

    /// A fresh file holding `bytes`, in a directory the caller removes.
    static func file(_ bytes: [UInt8]) throws -> (dir: URL, path: String) {
        let dir = try S.temporaryDirectory()
        let path = dir.appendingPathComponent("store.img").path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return (dir, path)
    }

    @Test func readsStopAtTheEndOfTheFileOrZeroFillPastIt() throws {
        let content = S.pattern(1000, seed: 3)
        let (dir, path) = try Self.file(content)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = try StoreFile<SystemCallError>(path: path, access: .readOnly)
        #expect(file.kind == .regular)
        #expect(try file.size() == 1000)

        // 3 segments of 512 bytes; the file ends inside the second.
        let buffer = OwnedDataBuffer([UInt8](repeating: 0xFF, count: 1536), segmentSize: 512)
        #expect(try file.read(into: buffer.view, 0..<1536, at: 0) == 1000)
        #expect(Array(buffer.bytes[0..<1000]) == content)
        #expect(Array(buffer.bytes[1000...]) == [UInt8](repeating: 0xFF, count: 536))

        try file.readZeroFilled(into: buffer.view, 100..<1536, at: 900)
        #expect(Array(buffer.bytes[100..<200]) == Array(content[900..<1000]))
        #expect(Array(buffer.bytes[200...]) == [UInt8](repeating: 0, count: 1336))
        #expect(try file.readBytes(count: 8, at: 996) == Array(content[996...]) + [0, 0, 0, 0])

        // One segment (readZeroFilled's one-pread path): inside the file; then across its end, where the
        // short pread hands over to the loop, which zero-fills.
        let one = OwnedDataBuffer([UInt8](repeating: 0xFF, count: 600))
        try file.readZeroFilled(into: one.view, 0..<600, at: 100)
        #expect(one.bytes == Array(content[100..<700]))
        try file.readZeroFilled(into: one.view, 0..<600, at: 700)
        #expect(one.bytes == Array(content[700...]) + [UInt8](repeating: 0, count: 300))
        try file.readZeroFilled(into: one.view, 50..<100, at: 0)
        #expect(Array(one.bytes[50..<100]) == Array(content[0..<50]))
    }

    @Test(arguments: [false, true])
    func writesCoverEverySegmentDurableOrNot(durable: Bool) throws {
        let (dir, path) = try Self.file([UInt8](repeating: 0, count: 64))
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = try StoreFile<SystemCallError>(path: path, access: .readWrite)
        let data = S.pattern(100, seed: 9)
        let buffer = OwnedDataBuffer(data, segmentSize: 7)  // 15 iovecs
        try file.write(from: buffer.view, 10..<100, at: 40, durable: durable)
        let onDisk = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        #expect(onDisk == [UInt8](repeating: 0, count: 40) + Array(data[10..<100]))
    }

    @Test func punchedHolesReadAsZerosAndSeekFindsThem() throws {
        let (dir, path) = try Self.file([UInt8](repeating: 0xAA, count: 64 << 10))
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = try StoreFile<SystemCallError>(path: path, access: .readWrite)
        try file.dataSync()
        #expect(try file.punchHole(at: 16 << 10, length: 32 << 10))
        #expect(try file.size() == 64 << 10)  // KEEP_SIZE
        #expect(try file.readBytes(count: 32 << 10, at: 16 << 10) == [UInt8](repeating: 0, count: 32 << 10))
        #expect(try file.readBytes(count: 4, at: (16 << 10) - 2) == [0xAA, 0xAA, 0, 0])
        #expect(try file.seek(toNext: .hole, from: 0) == .offset(16 << 10))
        #expect(try file.seek(toNext: .data, from: 16 << 10) == .offset(48 << 10))
        #expect(try file.seek(toNext: .data, from: 64 << 10) == SeekResult.none)

        #expect(try file.zeroRange(at: 0, length: 4096))
        #expect(try file.readBytes(count: 4097, at: 0) == [UInt8](repeating: 0, count: 4096) + [0xAA])
        try file.writeZeros(at: 60 << 10, length: 4096)
        #expect(try file.readBytes(count: 4096, at: 60 << 10) == [UInt8](repeating: 0, count: 4096))
    }

    @Test func failuresNameTheCallTheFileAndTheErrno() throws {
        let dir = try S.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let missing = dir.appendingPathComponent("missing.img").path
        #expect(throws: SystemCallError(errno: .noSuchFileOrDirectory, operation: "open \(missing)")) {
            try StoreFile<SystemCallError>(path: missing, access: .readWrite)
        }
        #expect(throws: SystemCallError(errno: .noSuchFileOrDirectory, operation: "access \(missing)")) {
            try checkStoreFileExists(missing)
        }
        // Created when asked to.
        #expect(try StoreFile<SystemCallError>(path: missing, access: .readWriteCreating).size() == 0)

        // /dev/full: a character device whose writes fail with ENOSPC, which Block reports as no space.
        let full = try StoreFile<StoreError>(path: "/dev/full", access: .readWrite)
        #expect(full.kind == .other)
        let block = OwnedDataBuffer(count: 512)
        #expect(throws: StoreError.noSpace) { try full.write(from: block.view, 0..<512, at: 0) }
        let raw = try StoreFile<SystemCallError>(path: "/dev/full", access: .readWrite)
        #expect(throws: SystemCallError(errno: .noSpace, operation: "pwritev /dev/full")) {
            try raw.write(from: block.view, 0..<512, at: 0)
        }
    }
}
