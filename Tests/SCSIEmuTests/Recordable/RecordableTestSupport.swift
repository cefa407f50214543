import Foundation
import Sense
import Testing
import TestSupport

@testable import SCSIEmu

/// A directory for a burn image and its `.disc` record, removed when released.
final class BurnImage {
    let dir: String
    var path: String { dir + "/burn.img" }
    var recordPath: String { path + ".disc" }

    init() {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("burn-\(UUID().uuidString)").path
        try! FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: dir) }

    /// A drive with `fbo/<options>/<path>` (e.g. "profile-dvd+r/capacity-1024/").
    func drive(_ options: String) -> OpticalDevice {
        let d = try! OpticalDevice(config: try! OpticalConfig(parsing: "fbo/\(options)/\(path)"), background: ManualBackground())
        drainUnitAttentions(d)
        return d
    }

    var record: [UInt8] { [UInt8](FileManager.default.contents(atPath: recordPath) ?? Data()) }
}

enum Burn {
    static let invalidAddressForWrite = Sense(.illegalRequest, .invalidAddressForWrite)
    static let outOfRange = Sense(.illegalRequest, .logicalBlockAddressOutOfRange)

    /// WRITE(10) of `blocks` pattern blocks at `lba`.
    static func write(_ d: OpticalDevice, lba: UInt32, blocks: UInt16) -> Outcome {
        let data = (0..<Int(blocks)).flatMap { OpticalImage.pattern(Int(lba) + $0) }
        return run(d, [0x2A, 0] + be32(lba) + [0] + be16(blocks) + [0], dataOut: data)
    }

    static func readDiscInformation(_ d: OpticalDevice) -> [UInt8] { run(d, [0x51, 0, 0, 0, 0, 0, 0, 0, 34, 0]).data }
    static func trackInformation(_ d: OpticalDevice, type: UInt8, _ n: UInt32) -> Outcome {
        run(d, [0x52, type] + be32(n) + [0, 0, 48, 0])
    }
    /// CLOSE TRACK SESSION with `function` on `number`.
    static func close(_ d: OpticalDevice, _ function: UInt8, number: UInt16 = 0) -> Outcome {
        run(d, [0x5B, 0, function, 0] + be16(number) + [0, 0, 0, 0])
    }
    static func toc(_ d: OpticalDevice, format: UInt8) -> Outcome {
        run(d, [0x43, 0, format, 0, 0, 0, 0, 0x03, 0x00, 0])
    }
    static func readCapacity(_ d: OpticalDevice) -> [UInt8] { run(d, [0x25, 0, 0, 0, 0, 0, 0, 0, 0, 0]).data }
    static func status(_ d: OpticalDevice) -> String { d.statusReport }
}
