#if canImport(Glibc)
import Glibc
#endif
import SystemCalls

/// Why a sysfs/configfs file could not be read or written: the path and the errno.
public struct ControlFileError: Error, Sendable, Hashable, CustomStringConvertible {
    public var path: String
    public var errno: Errno

    public init(path: String, errno: Errno) {
        self.path = path
        self.errno = errno
    }

    /// The positive errno value (ENOENT when the kernel lacks the file).
    public var code: Int32 { errno.rawValue }

    public var description: String { "\(path): \(errno)" }
}

/// Small sysfs and configfs files under a root directory ("/" in the daemon, a temp dir in tests).
///
/// Kernel attribute files report a size of 4096 whatever they hold, so reads go until EOF rather than
/// trusting `st_size`; writes are one `write` of the whole value, as configfs stores expect.
public struct ControlFiles: Sendable {
    /// The directory paths are resolved under, without a trailing '/' ("" for the real root).
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
        do throws(Errno) {
            let fd = try FileDescriptor.open(p, flags: O_RDONLY)
            var bytes: [UInt8] = []
            var chunk = [UInt8](repeating: 0, count: 4096)
            while bytes.count < 65536 {
                let n = try chunk.withUnsafeMutableBytes { buf in
                    Result { () throws(Errno) in try fd.read(into: buf) }
                }.get()
                if n == 0 { break }
                bytes.append(contentsOf: chunk[0..<n])
            }
            return String(decoding: bytes, as: UTF8.self)
        } catch {
            throw ControlFileError(path: p, errno: error)
        }
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
        do throws(Errno) {
            let fd = try FileDescriptor.open(p, flags: O_WRONLY)
            let bytes = Array(value.utf8)
            _ = try bytes.withUnsafeBytes { buf in Result { () throws(Errno) in try fd.write(from: buf) } }.get()
        } catch {
            throw ControlFileError(path: p, errno: error)
        }
    }

    /// Whether `relative` exists (a device node, a sysfs directory…). The C function is `access` with F_OK.
    public func exists(_ relative: String) -> Bool { access(path(relative), F_OK) == 0 }

    /// The names in a directory, sorted, without "." and "..".
    public func list(_ relative: String) throws(ControlFileError) -> [String] {
        let p = path(relative)
        do throws(Errno) { return try Syscalls.listDirectory(p).sorted() } catch {
            throw ControlFileError(path: p, errno: error)
        }
    }
}
