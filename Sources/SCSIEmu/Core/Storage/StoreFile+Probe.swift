#if canImport(Glibc)
import Glibc
#endif
import SystemCalls

// Opening a store file the way a store would, without creating or changing anything: the check path
// (`emud check-config`, D-Bus CheckConfig, `emud create`) runs the same access rules as the open path.

extension StoreFile {
    /// Opens `path` as `init(path:access:)` does, except that a missing file is never created.
    ///
    /// - Returns: the open file, or nil when `access` is `.readWriteCreating`, the file is missing and
    ///   opening would create it (its directory exists and this process may add files to it).
    /// - Throws: the failure naming what is wrong: `directory /x: No such file or directory`,
    ///   `create /x/y: Permission denied`, `open /x/y: Permission denied`…
    static func openWithoutCreating(path: String, access: Access) throws(Failure) -> StoreFile? {
        let directory = Self.directory(of: path)
        var st = stat()
        guard stat(directory, &st) == 0 else {
            throw Failure(SystemCallError(errno: .current, operation: "directory \(directory)"))
        }
        guard st.st_mode & S_IFMT == S_IFDIR else {
            throw Failure(SystemCallError(errno: .notDirectory, operation: "directory \(directory)"))
        }
        if access == .readWriteCreating, stat(path, &st) != 0, errno == ENOENT {
            // AT_EACCESS: the effective (file-system) ids decide, as they do for open(2).
            guard faccessat(AT_FDCWD, directory, W_OK | X_OK, AT_EACCESS) == 0 else {
                throw Failure(SystemCallError(errno: .current, operation: "create \(path)"))
            }
            return nil
        }
        return try StoreFile(path: path, access: access == .readWriteCreating ? .readWrite : access)
    }

    /// The directory part of an absolute path (`/` for `/x`).
    static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        let d = path[..<slash]
        return d.isEmpty ? "/" : String(d)
    }
}
