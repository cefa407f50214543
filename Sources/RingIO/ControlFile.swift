#if canImport(Glibc)
import Glibc
#endif

/// Why a sysfs/configfs file could not be read or written: the path and the errno.
public struct ControlFileError: Error, Sendable, Hashable, CustomStringConvertible {
    public var path: String
    /// A positive errno value (ENOENT when the kernel lacks the file).
    public var code: Int32

    public init(path: String, code: Int32) {
        self.path = path
        self.code = code
    }

    public var description: String {
        let text = strerror(code).map { String(cString: $0) } ?? "errno \(code)"
        return "\(path): \(text)"
    }
}

/// Small sysfs and configfs files under a root directory ("/" in the daemon, a temp dir in tests).
///
/// Kernel attribute files report a size of 4096 whatever they hold, so reads go until EOF rather than
/// trusting `st_size`; writes are one `write` of the whole value, as configfs stores expect.
public struct ControlFiles: Sendable {
    /// The directory paths are resolved under, ending without '/' ("" for the real root).
    public let root: String

    /// - Parameter root: "/" for the live system, or a directory holding a fake `sys/` tree.
    public init(root: String = "/") {
        var r = root
        while r.hasSuffix("/") { r.removeLast() }
        self.root = r
    }

    /// The absolute path of `relative` (`sys/class/uio`) under the root.
    public func path(_ relative: String) -> String { root + "/" + relative }

    /// Reads a whole file as text (at most 64 KiB).
    public func read(_ relative: String) throws(ControlFileError) -> String {
        let p = path(relative)
        let fd = Glibc.open(p, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw ControlFileError(path: p, code: errno) }
        defer { _ = Glibc.close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while bytes.count < 65536 {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw ControlFileError(path: p, code: errno)
            }
            if n == 0 { break }
            bytes.append(contentsOf: chunk[0..<n])
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Reads a one-line file without its trailing newline.
    public func readLine(_ relative: String) throws(ControlFileError) -> String {
        var s = try read(relative)
        while s.hasSuffix("\n") { s.removeLast() }
        return s
    }

    /// Writes `value` to an existing file (no create, no truncate: sysfs and configfs attributes).
    public func write(_ value: String, to relative: String) throws(ControlFileError) {
        let p = path(relative)
        let fd = Glibc.open(p, O_WRONLY | O_CLOEXEC)
        guard fd >= 0 else { throw ControlFileError(path: p, code: errno) }
        defer { _ = Glibc.close(fd) }
        let bytes = Array(value.utf8)
        while true {
            let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            if n >= 0 { return }
            if errno != EINTR { throw ControlFileError(path: p, code: errno) }
        }
    }

    /// Whether the file or directory exists.
    public func exists(_ relative: String) -> Bool {
        access(path(relative), F_OK) == 0
    }

    /// The names in a directory, sorted, without "." and "..".
    public func list(_ relative: String) throws(ControlFileError) -> [String] {
        let p = path(relative)
        guard let dir = opendir(p) else { throw ControlFileError(path: p, code: errno) }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted()
    }
}
