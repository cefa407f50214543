import Foundation
import Sense
import Testing
import TestSupport

@testable import SCSIEmu

/// Shared helpers of the Block tests: temp files, external tools, data patterns.
enum BlockTestSupport {
    /// A fresh per-test temporary directory (removed by the caller).
    static func temporaryDirectory() throws -> URL { try TemporaryDirectory("block").url }

    static let qemuImg: String? = ["/usr/bin/qemu-img", "/usr/local/bin/qemu-img"].first {
        FileManager.default.isExecutableFile(atPath: $0)
    }

    /// Runs a tool; returns its exit status and combined output.
    @discardableResult
    static func run(_ tool: String, _ args: [String]) throws -> (status: Int32, output: String) {
        let r = try runTool(tool, args, combined: true)
        return (r.status, r.out)
    }

    /// `count` bytes of a recognisable pattern seeded by `seed`.
    static func pattern(_ count: Int, seed: UInt8) -> [UInt8] { TestPattern.bytes(count, seed: seed) }
}

/// Which store a disk test runs on.
enum StoreKind: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case memory, file
    var testDescription: String { rawValue }
}

/// A disk under test: the device, its store, and a temp directory for file stores.
final class BlockTestDisk: @unchecked Sendable {
    let device: BlockDevice
    let store: any BackingStore
    let directory: URL?
    /// The scatter-gather segment size the buffers are split into (odd on purpose).
    var segmentSize = 700

    init(_ kind: StoreKind, blocks: UInt64 = 2048, blockSize: UInt32 = 512, configure: (inout BlockDeviceConfiguration) -> Void = { _ in }) throws {
        var c = BlockDeviceConfiguration()
        c.blockSize = blockSize
        c.serial = "0123456789abcdef"
        c.configString = "file//tmp/disk.img"
        c.maxTransferBlocks = 1024
        configure(&c)
        let bytes = blocks * UInt64(blockSize)
        switch kind {
        case .memory:
            directory = nil
            store = try MemoryStore(size: bytes)
        case .file:
            let dir = try BlockTestSupport.temporaryDirectory()
            directory = dir
            store = try FileStore(path: dir.appendingPathComponent("disk.img").path, size: bytes)
        }
        device = try BlockDevice(store: store, configuration: c)
    }

    deinit {
        device.close()
        if let directory { try? FileManager.default.removeItem(at: directory) }
    }

    /// Runs one CDB with `dataOut` (or a Data-In buffer of `dataIn` bytes); returns the result and the
    /// Data-In bytes produced.
    @discardableResult
    func run(_ cdb: [UInt8], dataOut: [UInt8] = [], dataIn: Int = 0) -> (result: CommandResult, data: [UInt8]) {
        let o = TestSupport.run(
            device, cdb, dataOut: dataOut.isEmpty ? nil : dataOut, capacity: dataIn, segmentSize: segmentSize)
        return (o.result, o.data)
    }

    /// Writes blocks with WRITE(16); expects GOOD.
    func write(_ lba: UInt64, _ bytes: [UInt8], fua: Bool = false) {
        let bs = Int(device.blockSize), most = Int(device.engine.maxTransferBlocks) * bs
        for start in stride(from: 0, to: bytes.count, by: most) {
            let piece = Array(bytes[start..<min(bytes.count, start + most)])
            let at = lba + UInt64(start / bs)
            let r = run(BlockCDB.rw16(0x8A, at, UInt32(piece.count / bs), flags: fua ? 0x08 : 0), dataOut: piece)
            #expect(r.result.status == .good, "WRITE(16) at \(at): \(String(describing: r.result.sense))")
        }
    }

    /// Reads blocks with READ(16).
    func read(_ lba: UInt64, _ blocks: UInt32) -> [UInt8] {
        var out: [UInt8] = []
        var done: UInt32 = 0
        while done < blocks {
            let n = min(blocks - done, device.engine.maxTransferBlocks)
            let r = run(BlockCDB.rw16(0x88, lba + UInt64(done), n), dataIn: Int(n) * Int(device.blockSize))
            #expect(r.result.status == .good, "READ(16) at \(lba): \(String(describing: r.result.sense))")
            out += r.data
            done += n
        }
        return out
    }
}

/// The shared CDB builders, under the name the Block tests know.
typealias BlockCDB = TestCDB
