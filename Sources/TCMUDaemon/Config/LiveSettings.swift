#if canImport(Glibc)
import Glibc
#endif
import Logging
import SystemCalls
import Synchronization

/// The daemon's log settings, kept current: the command line, the config file (`--config`, else
/// `/etc/tcmu/tcmu.conf` when it exists) and `TCMU_LOGDIR`, resolved by `DaemonSettings.resolve`.
/// `apply` receives the level number (0–5) and log folder at once, then again after every change of
/// the file that changes them; a file that no longer parses is reported and the settings in force
/// stay; a removed file means no file settings.
public final class LiveSettings: Sendable {
    public let commandLine: DaemonSettings
    /// The config file, absolute; nil when there is none.
    public let configPath: String?
    public let environment: [String: String]
    private let apply: @Sendable (_ level: Int, _ directory: String?) -> Void
    private let file: Mutex<DaemonSettings?>

    /// The file `serve` reads: `--config` (relative to the working directory), else the default
    /// path when it exists, else none.
    public static func configPath(option: String?) -> String? {
        if let option { return DaemonSettings.absolutePath(option) }
        return access(DaemonSettings.defaultPath, F_OK) == 0 ? DaemonSettings.defaultPath : nil
    }

    /// - Throws: `DaemonSettings.LoadError` when the file cannot be read or parsed.
    public init(
        commandLine: DaemonSettings, configPath: String?, environment: [String: String],
        apply: @escaping @Sendable (_ level: Int, _ directory: String?) -> Void
    ) throws(DaemonSettings.LoadError) {
        self.commandLine = commandLine
        self.configPath = configPath
        self.environment = environment
        self.apply = apply
        file = Mutex(try configPath.map { p throws(DaemonSettings.LoadError) in try DaemonSettings.load(path: p) })
        let now = resolved
        apply(now.level, now.directory)
    }

    /// The level number (0–5) and log folder in force.
    public var resolved: (level: Int, directory: String?) {
        DaemonSettings.resolve(commandLine: commandLine, file: file.withLock { $0 }, environment: environment)
    }

    /// Warns once about each key of the file that emud does not know.
    public func reportUnknownKeys(_ logger: Logger) {
        for key in file.withLock({ $0?.unknownKeys ?? [] }) {
            logger.warning("\(configPath ?? ""): ignoring unknown key \(key)")
        }
    }

    /// Re-reads the file and applies it.
    public func reload(_ logger: Logger) {
        guard let configPath else { return }
        let settings: DaemonSettings?
        do { settings = try DaemonSettings.load(path: configPath) } catch {
            if case .unreadable(let e) = error, e.errno == .noSuchFileOrDirectory {
                settings = nil
            } else {
                logger.error("config not reloaded, the settings in force stay: \(error)")
                return
            }
        }
        let before = resolved
        file.withLock { $0 = settings }
        let after = resolved
        apply(after.level, after.directory)
        logger.notice(
            "\(configPath) \(settings == nil ? "removed" : "reloaded"): log level \(before.level) → \(after.level), log dir \(after.directory ?? "none")")
        reportUnknownKeys(logger)
    }

    /// Watches the file's folder and reloads on every change; nil (with one warning) when the folder
    /// cannot be watched, e.g. it does not exist.
    public func watch(_ logger: Logger) -> ConfigFileWatch? {
        guard let configPath else { return nil }
        do {
            return try ConfigFileWatch(path: configPath) { [self] in reload(logger) }
        } catch {
            logger.warning("\(configPath): not watched for changes: \(error)")
            return nil
        }
    }
}
