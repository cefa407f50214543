import Foundation
import Sense
import Testing

@testable import SCSIEmu

/// Shared helpers of the Block tests: temp files, external tools, data patterns.
enum BlockTestSupport {
    /// A fresh path in a per-test temporary directory (removed by the caller with `cleanup`).
    static func temporaryDirectory() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("emud-block-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    static let qemuImg: String? = ["/usr/bin/qemu-img", "/usr/local/bin/qemu-img"].first {
        FileManager.default.isExecutableFile(atPath: $0)
    }

    /// Runs a tool; returns its exit status and combined output.
    @discardableResult
    static func run(_ tool: String, _ args: [String]) throws -> (status: Int32, output: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: tool)
        p.arguments = args
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardError = pipe
        try p.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    /// `count` bytes of a recognisable pattern seeded by `seed`.
    static func pattern(_ count: Int, seed: UInt8) -> [UInt8] {
        (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ Int(seed) &* 7 &+ ($0 >> 9)) ^ seed }
    }
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
        let buffer = dataOut.isEmpty ? OwnedDataBuffer(count: dataIn, segmentSize: segmentSize)
            : OwnedDataBuffer(dataOut, segmentSize: segmentSize)
        var cmd = SCSICommand(cdb: CDB(cdb)!, data: buffer.view)
        let result = device.execute(&cmd)
        return (result, Array(buffer.bytes.prefix(result.dataInLength)))
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

/// CDB builders for the tests (big-endian fields written out).
enum BlockCDB {
    static func be(_ v: UInt64, _ width: Int) -> [UInt8] {
        (0..<width).map { UInt8(truncatingIfNeeded: v >> UInt64((width - 1 - $0) * 8)) }
    }
    /// READ/WRITE/VERIFY(16)-style: op, flags, LBA 2–9, length 10–13, group, control.
    static func rw16(_ op: UInt8, _ lba: UInt64, _ blocks: UInt32, flags: UInt8 = 0) -> [UInt8] {
        [op, flags] + be(lba, 8) + be(UInt64(blocks), 4) + [0, 0]
    }
    /// READ/WRITE/VERIFY(10)-style: op, flags, LBA 2–5, group, length 7–8, control.
    static func rw10(_ op: UInt8, _ lba: UInt32, _ blocks: UInt16, flags: UInt8 = 0) -> [UInt8] {
        [op, flags] + be(UInt64(lba), 4) + [0] + be(UInt64(blocks), 2) + [0]
    }
    /// READ/WRITE/VERIFY(12)-style: op, flags, LBA 2–5, length 6–9, group, control.
    static func rw12(_ op: UInt8, _ lba: UInt32, _ blocks: UInt32, flags: UInt8 = 0) -> [UInt8] {
        [op, flags] + be(UInt64(lba), 4) + be(UInt64(blocks), 4) + [0, 0]
    }
}
