#if canImport(Glibc)
import Glibc
#endif
import Foundation
import SystemCalls

/// A fresh directory (mkdtemp) a replay builds its device in: the header's `create` files are made in
/// it and `@DIR@` in the config string stands for its path. `remove()` deletes it with its contents.
struct CorpusScratchDirectory {
    /// The text a corpus writes for the scratch directory.
    static let placeholder = "@DIR@"

    let path: String

    /// Makes `$TMPDIR/emud-replay-XXXXXX` (or under /tmp).
    static func make() throws(CorpusReplayError) -> CorpusScratchDirectory {
        let base = ProcessInfo.processInfo.environment["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        var template = Array((base + "/emud-replay-XXXXXX").utf8CString)
        guard mkdtemp(&template) != nil else {
            throw CorpusReplayError("cannot make a scratch directory under \(base): \(Errno.current)")
        }
        return CorpusScratchDirectory(path: String(decoding: template.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self))
    }

    /// `text` with every `@DIR@` replaced by this directory's path.
    func substitute(_ text: String) -> String {
        text.replacingOccurrences(of: Self.placeholder, with: path)
    }

    /// Creates a sparse zero-filled file of `file.size` bytes. The path must stay inside the directory
    /// (relative, no `..`); a leading `@DIR@/` is allowed.
    func create(_ file: CorpusFile) throws(CorpusReplayError) {
        var relative = file.path
        if relative.hasPrefix(Self.placeholder + "/") { relative.removeFirst(Self.placeholder.count + 1) }
        let parts = relative.split(separator: "/", omittingEmptySubsequences: false)
        guard !relative.isEmpty, !relative.hasPrefix("/"), !parts.contains(".."), !parts.contains("") else {
            throw CorpusReplayError("create \(file.path): the path must be relative to the scratch directory")
        }
        guard let size = Int64(exactly: file.size) else {
            throw CorpusReplayError("create \(file.path): size \(file.size) too large")
        }
        let full = path + "/" + relative
        if parts.count > 1 {
            let directory = String(full[..<(full.lastIndex(of: "/") ?? full.endIndex)])
            do { try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) } catch {
                throw CorpusReplayError("create \(file.path): \(error)")
            }
        }
        do {
            try FileDescriptor.open(full, flags: O_RDWR | O_CREAT | O_TRUNC, mode: 0o600).truncate(to: size)
        } catch {
            throw CorpusReplayError("create \(file.path) (\(file.size) bytes): \(error)")
        }
    }

    /// Deletes the directory and everything in it.
    func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }
}

/// Why a corpus could not be replayed at all, or an exchange could not be sent.
public struct CorpusReplayError: Error, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
