import SystemCalls
#if canImport(Glibc)
import Glibc
#endif

/// The LIO target tree in configfs (`/sys/kernel/config/target`): directories the kernel fills in on
/// `mkdir`, attribute files written whole, LUN symlinks. Paths are relative to the tree's root
/// (`core/user_0/dvd0`, `loopback/naa.5001405…/tpgt_1`).
///
/// `emud create/remove/list` go through this protocol only, so tests run them on a fake tree and check
/// every operation, in order.
public protocol TargetTree: Sendable {
    /// What `readLink` answers for `relative` (`/sys/kernel/config/target/core/user_0/dvd0`).
    func absolute(_ relative: String) -> String
    func exists(_ relative: String) -> Bool
    /// True for a symbolic link (not followed).
    func isLink(_ relative: String) -> Bool
    /// Entry names, sorted; [] for a missing directory.
    func list(_ relative: String) -> [String]
    func read(_ relative: String) throws(TargetTreeError) -> String
    /// Writes `value` to an attribute file in one write.
    func write(_ value: String, to relative: String) throws(TargetTreeError)
    func makeDirectory(_ relative: String) throws(TargetTreeError)
    func removeDirectory(_ relative: String) throws(TargetTreeError)
    /// Makes `link` a symbolic link to the object at `target` (both relative to the root).
    func link(_ link: String, to target: String) throws(TargetTreeError)
    func unlink(_ relative: String) throws(TargetTreeError)
    /// Where a link points, relative to the root (nil when it points outside the tree or is no link).
    func linkTarget(_ relative: String) -> String?
}

/// A configfs operation that failed: what was done to which path, and the errno.
public struct TargetTreeError: Error, Sendable, Hashable, CustomStringConvertible {
    public var operation: String
    public var path: String
    public var errno: Errno

    public init(_ operation: String, _ path: String, errno: Errno) {
        self.operation = operation
        self.path = path
        self.errno = errno
    }

    /// The errno's text ("Invalid argument").
    public var reason: String { errno.message }

    public var description: String { "\(operation) \(path): \(reason)" }
}

/// The real tree: a directory (`/sys/kernel/config/target`, or any directory in tests).
public struct TargetDirectory: TargetTree {
    public static let configfsPath = "/sys/kernel/config/target"
    public let root: String

    public init(root: String = TargetDirectory.configfsPath) {
        var r = root
        while r.count > 1, r.hasSuffix("/") { r.removeLast() }
        self.root = r
    }

    public func absolute(_ relative: String) -> String { relative.isEmpty ? root : root + "/" + relative }

    public func exists(_ relative: String) -> Bool {
        var st = stat()
        return lstat(absolute(relative), &st) == 0
    }

    public func isLink(_ relative: String) -> Bool {
        var st = stat()
        return lstat(absolute(relative), &st) == 0 && st.st_mode & S_IFMT == S_IFLNK
    }

    public func list(_ relative: String) -> [String] {
        ((try? Syscalls.listDirectory(absolute(relative))) ?? []).sorted()
    }

    public func read(_ relative: String) throws(TargetTreeError) -> String {
        do { return try ControlFiles(root: "/").read(String(absolute(relative).dropFirst())) } catch {
            throw TargetTreeError("read", absolute(relative), errno: error.errno)
        }
    }

    public func write(_ value: String, to relative: String) throws(TargetTreeError) {
        do { try ControlFiles(root: "/").write(value, to: String(absolute(relative).dropFirst())) } catch {
            throw TargetTreeError("write '\(value.trimmingWhitespace)' to", absolute(relative), errno: error.errno)
        }
    }

    public func makeDirectory(_ relative: String) throws(TargetTreeError) {
        guard mkdir(absolute(relative), 0o755) == 0 else { throw TargetTreeError("mkdir", absolute(relative), errno: .current) }
    }

    public func removeDirectory(_ relative: String) throws(TargetTreeError) {
        guard rmdir(absolute(relative)) == 0 else { throw TargetTreeError("rmdir", absolute(relative), errno: .current) }
    }

    public func link(_ link: String, to target: String) throws(TargetTreeError) {
        guard symlink(absolute(target), absolute(link)) == 0 else {
            throw TargetTreeError("symlink \(absolute(target)) at", absolute(link), errno: .current)
        }
    }

    public func unlink(_ relative: String) throws(TargetTreeError) {
        guard Glibc.unlink(absolute(relative)) == 0 else { throw TargetTreeError("unlink", absolute(relative), errno: .current) }
    }

    public func linkTarget(_ relative: String) -> String? {
        var buffer = [CChar](repeating: 0, count: 4096)
        let n = readlink(absolute(relative), &buffer, buffer.count - 1)
        guard n > 0 else { return nil }
        let target = String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        var resolved = target
        if !target.hasPrefix("/") {  // relative to the link's directory
            var parts = absolute(relative).split(separator: "/").dropLast().map(String.init)
            for part in target.split(separator: "/") {
                if part == ".." { _ = parts.popLast() } else if part != "." { parts.append(String(part)) }
            }
            resolved = "/" + parts.joined(separator: "/")
        }
        let prefix = root + "/"
        return resolved.hasPrefix(prefix) ? String(resolved.dropFirst(prefix.count)) : nil
    }
}
