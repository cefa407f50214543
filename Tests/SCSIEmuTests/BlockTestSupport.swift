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
