import Foundation

/// A fresh directory under the system's temporary directory, removed by `remove()`.
public struct TemporaryDirectory: Sendable {
    public let path: String
    public var url: URL { URL(fileURLWithPath: path) }

    /// `prefix` names the test family in the directory name (`emud-<prefix>-<uuid>`), for whoever finds
    /// one left behind by a crashed test.
    public init(_ prefix: String = "test") throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("emud-\(prefix)-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    /// The path of `name` inside the directory.
    public func file(_ name: String) -> String { path + "/" + name }

    /// Writes `text` to `relative` inside the directory, making the directories on its way.
    public func write(_ relative: String, _ text: String) {
        let path = file(relative)
        try! FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try! text.write(toFile: path, atomically: false, encoding: .utf8)
    }

    /// The text of `relative` inside the directory; nil when it cannot be read.
    public func read(_ relative: String) -> String? { try? String(contentsOfFile: file(relative), encoding: .utf8) }

    public func remove() { try? FileManager.default.removeItem(atPath: path) }
}
