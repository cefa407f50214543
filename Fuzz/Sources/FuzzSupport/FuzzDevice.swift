import Logging
import SCSIEmu

#if canImport(Glibc)
import Glibc
#endif

/// Devices opened the way the daemon opens them (`HandlerRegistry.standard`, a config string, the
/// configfs sizes), on files in a private scratch directory.
public enum FuzzDevice {
    /// The scratch directory of this process (`$TMPDIR` or /tmp), made once.
    public static let directory: String = {
        let base = getenv("TMPDIR").map { String(cString: $0) } ?? "/tmp"
        let dir = "\(base)/emud-fuzz-\(getpid())"
        mkdir(dir, 0o700)
        return dir
    }()

    public static func path(_ name: String) -> String { "\(directory)/\(name)" }

    /// Opens `subtype/config` as the daemon would, for a device of `size` bytes and `blockSize`-byte blocks.
    public static func open(_ configString: String, size: UInt64, blockSize: UInt32 = 512) -> (any EmulatedDevice)? {
        guard let (handler, parsed) = try? HandlerRegistry.standard.resolve(configString) else { return nil }
        var logger = Logger(label: "fuzz")
        logger.logLevel = .critical
        let p = DeviceOpenParameters(
            config: parsed.config, fullConfigString: configString, deviceName: "fuzz", hba: "1",
            sizeInBytes: size, blockSize: blockSize, maxSectors: 2048, unitSerial: "fuzz-serial", logger: logger)
        return try? handler.open(p)
    }

    /// Replaces the file at `path` with `bytes`.
    public static func writeFile(_ path: String, _ bytes: [UInt8], truncateTo size: Int? = nil) {
        let fd = Glibc.open(path, O_CREAT | O_TRUNC | O_WRONLY, 0o600)
        guard fd >= 0 else { fuzzFailure("cannot create \(path)") }
        defer { close(fd) }
        var done = 0
        while done < bytes.count {
            let n = bytes[done...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            guard n > 0 else { fuzzFailure("cannot write \(path)") }
            done += n
        }
        if let size { _ = ftruncate(fd, off_t(size)) }
    }

    /// Copies a file (a pristine image) over another.
    public static func copyFile(_ from: String, to: String) {
        writeFile(to, readFile(from) ?? [])
    }

    public static func readFile(_ path: String) -> [UInt8]? {
        let fd = Glibc.open(path, O_RDONLY)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n <= 0 { break }
            out += chunk[0..<n]
        }
        return out
    }

    public static func remove(_ path: String) { unlink(path) }
}
