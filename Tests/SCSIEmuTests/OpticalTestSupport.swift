import Foundation
import Sense
import Synchronization
import Testing
import TestSupport

@testable import SCSIEmu

/// A temporary image file, removed when released. Block `lba` holds `OpticalImage.pattern(lba)`.
final class OpticalImage {
    let path: String

    init(blocks: Int) {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("optical-\(UUID().uuidString).img").path
        var bytes: [UInt8] = []
        bytes.reserveCapacity(blocks * 2048)
        for lba in 0..<blocks { bytes += Self.pattern(lba) }
        FileManager.default.createFile(atPath: path, contents: Data(bytes))
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    /// Byte j of block lba: (lba·7 + j) mod 256, so every block and offset differs from its neighbours.
    static func pattern(_ lba: Int) -> [UInt8] { TestPattern.blocks(from: lba, count: 1, blockSize: 2048) }

    var contents: [UInt8] { [UInt8](FileManager.default.contents(atPath: path) ?? Data()) }

    func truncate(toBlocks n: Int) {
        let h = FileHandle(forWritingAtPath: path)!
        try! h.truncate(atOffset: UInt64(n * 2048))
        try! h.close()
    }
}

/// Background work that runs only when the test says so.
final class ManualBackground: BackgroundWork {
    let queued = Mutex<[@Sendable () -> Void]>([])
    func run(_ work: @escaping @Sendable () -> Void) { queued.withLock { $0.append(work) } }
    var count: Int { queued.withLock { $0.count } }
}

/// A drive on `image` with the given `fbo/` option words (e.g. "ro/", "profile-cdrom/").
func opticalDevice(
    _ options: String = "", image: OpticalImage, background: ManualBackground = ManualBackground(),
    formatChunkBytes: Int = 4 * 2048
) -> OpticalDevice {
    let config = try! OpticalConfig(parsing: "fbo/\(options)/\(image.path)")
    return try! OpticalDevice(config: config, background: background, formatChunkBytes: formatChunkBytes)
}

/// Runs a command into a Data-In buffer pre-filled with `fill`; returns the result and the whole buffer.
func runFilled(_ d: OpticalDevice, _ cdb: [UInt8], capacity: Int, fill: UInt8 = 0xEE) -> (CommandResult, [UInt8]) {
    let buffer = OwnedDataBuffer([UInt8](repeating: fill, count: capacity))
    return withExtendedLifetime(buffer) {
        var c = SCSICommand(cdb: CDB(cdb)!, data: buffer.view)
        return (d.execute(&c), buffer.bytes)
    }
}

/// Runs TEST UNIT READY and returns the sense (nil for GOOD).
func testUnitReady(_ d: OpticalDevice) -> Sense? { run(d, [0x00, 0, 0, 0, 0, 0]).sense }

/// Removes pending unit attentions.
func drainUnitAttentions(_ d: OpticalDevice) { while d.unit.takeUnitAttention() != nil {} }

let tur: [UInt8] = [0x00, 0, 0, 0, 0, 0]
let ejectCDB: [UInt8] = [0x1B, 0, 0, 0, 0x02, 0]  // LOEJ=1 START=0
let loadCDB: [UInt8] = [0x1B, 0, 0, 0, 0x03, 0]  // LOEJ=1 START=1
func preventCDB(_ field: UInt8) -> [UInt8] { [0x1E, 0, 0, 0, field, 0] }
/// GESN polled, `classes` requested, allocation length `alloc`.
func gesnCDB(_ classes: UInt8, alloc: UInt16 = 8) -> [UInt8] {
    [0x4A, 0x01, 0, 0, classes, 0, 0, UInt8(alloc >> 8), UInt8(alloc & 0xFF), 0]
}
