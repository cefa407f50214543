import ArgumentParser
import Logging
import SCSIEmu

#if canImport(Glibc)
import Glibc
#endif
import SystemCalls
import TCMUDaemon

/// `emud serve`: the daemon in the foreground.
struct Serve: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Serve TCMU devices in the foreground (the default).",
        discussion: """
            Settings come from the command line, then the config file (--config, else \
            /etc/tcmu/tcmu.conf when it exists; re-read whenever it changes), then TCMU_LOGDIR, then \
            the defaults (log level 3, stderr only). SIGTERM/SIGINT drain and stop every device; \
            SIGHUP reopens the log file. tcmu-runner's flags (-d, -l, -f, -V, --handler-path) work too.
            """)

    @Option(name: .long, help: "A tcmu.conf-style file (log_level = 0-5, log_dir = DIR); default /etc/tcmu/tcmu.conf if it exists.")
    var config: String?

    @Option(name: .long, help: "0 CRIT, 1 ERROR, 2 WARNING, 3 INFO, 4 DEBUG, 5 every CDB and its result.")
    var logLevel: Int?

    @Option(name: .long, help: "Also log to DIR/emud.log.")
    var logDir: String?

    @Option(name: .long, help: "The control socket for 'emud ctl' (mode 0600), or 'none'.")
    var controlSocket: String = ControlServer.defaultPath

    @Option(name: .long, help: "Where to offer org.kernel.TCMUService1 for targetcli: system, none, or a bus address.")
    var dbus: String = "system"

    @Option(name: .long, help: .hidden)
    var root: String = "/"

    @Option(name: .long, help: "Where MODE SELECT values of each device are kept across a restart of emud, or 'none'.")
    var stateDirectory: String = DeviceLifecycle.defaultStateDirectory

    @Option(name: .long, help: "Record every device's exchanges into DIR/<device>.corpus (docs/corpus-format.md).")
    var capture: String?

    @OptionGroup(title: "tcmu-runner's flags")
    var tcmuRunner: TCMURunnerFlags

    /// The command-line half of the settings (tcmu-runner's -d and -l below emud's own flags).
    var commandLineSettings: DaemonSettings {
        DaemonSettings(logLevel: logLevel ?? (tcmuRunner.debug ? 5 : nil), logDirectory: logDir ?? tcmuRunner.tcmuLogDir)
    }

    func validate() throws {
        if let logLevel, !(0...5).contains(logLevel) {
            throw ValidationError("--log-level \(logLevel): expected 0 to 5")
        }
        if stateDirectory != "none", !stateDirectory.hasPrefix("/") {
            throw ValidationError("--state-directory \(stateDirectory): expected an absolute path or 'none'")
        }
        if controlSocket != "none", !controlSocket.hasPrefix("/") {
            throw ValidationError("--control-socket \(controlSocket): expected an absolute path or 'none'")
        }
        // Config errors are usage errors: they show serve's usage.
        if let path = LiveSettings.configPath(option: config) {
            do { _ = try DaemonSettings.load(path: path) } catch { throw ValidationError("config: \(error)") }
        }
    }

    func run() throws {
        if tcmuRunner.version {
            print("emud \(Emud.version)")
            return
        }
        try tcmuRunner.applyOpenFileLimit()
        let sink = LogSink(directory: nil, level: .info)
        let settings: LiveSettings
        do {
            settings = try LiveSettings(
                commandLine: commandLineSettings, configPath: LiveSettings.configPath(option: config),
                environment: ProcessEnvironment.current
            ) { level, directory in
                sink.logLevel = DaemonSettings.logLevel(level)
                sink.setDirectory(directory)
            }
        } catch { throw ValidationError("config: \(error)") }
        LoggingSystem.bootstrap { label in EmudLogHandler(label: label, sink: sink) }
        let logger = Logger(label: "emud")
        settings.reportUnknownKeys(logger)
        for warning in tcmuRunner.warnings { logger.warning("\(warning)") }
        logger.info("emud \(Emud.version) starting, log level \(settings.resolved.level), config \(settings.configPath ?? "none")")
        let configWatch = settings.watch(logger)
        defer { configWatch?.stop() }

        let lifecycle = DeviceLifecycle(
            registry: .standard, files: ControlFiles(root: root), opener: UIORingSessionOpener(), logger: logger)
        lifecycle.captureDirectory = capture
        lifecycle.stateDirectory = stateDirectory == "none" ? nil : stateDirectory
        let daemon = Daemon(lifecycle: lifecycle, logger: logger, onHangup: { sink.reopen() })
        daemon.controlSocketPath = controlSocket == "none" ? nil : controlSocket
        ServeSystemService.attach(to: daemon, bus: dbus, logger: logger)  // Serve+SystemService.swift
        do { try daemon.run() } catch {
            logger.critical("\(error)")
            throw ExitCode(1)
        }
    }
}

/// `emud check-config CFGSTRING [--size S]`: "ok", or the reason naming the field (exit 1).
struct CheckConfig: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-config",
        abstract: "Check a handler config string such as file//var/disk.img or zbc/model-HM@/var/z.raw.",
        discussion: """
            Runs every check opening the device would make (the path, its directory, read/write access as \
            the options ask, the image format: qcow2 header, disc image size, zoned metadata against the \
            options) without creating or changing any file. With --size, also the checks that depend on \
            the device size (dev_size).
            """)

    @Argument(help: "<subtype>/<handler config>, as written to configfs dev_config.")
    var configString: String

    @Option(name: .long, help: "The device size (dev_size): bytes, or with a unit K, M, G, T (1G = 2^30 bytes).")
    var size: String?

    func validate() throws {
        if let size, SizeArgument(size) == nil {
            throw ValidationError("--size \(size): expected a byte count such as 1073741824 or 1G")
        }
    }

    func run() throws {
        do {
            try HandlerRegistry.standard.checkConfig(configString, deviceSize: size.flatMap(SizeArgument.init)?.bytes)
            print("ok")
        } catch {
            printError("\(configString): \(error)")
            throw ExitCode(1)
        }
    }
}

/// `emud handlers`: subtypes and their config descriptions.
struct Handlers: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List the device handlers and their config strings.")

    func run() {
        let handlers = HandlerRegistry.standard.handlers
        if handlers.isEmpty { print("(no handlers registered)") }
        for h in handlers {
            print("\(h.subtype):")
            for line in h.configDescription.split(separator: "\n", omittingEmptySubsequences: false) {
                print("    \(line)")
            }
        }
    }
}

func printError(_ text: String) {
    let bytes = Array((text + "\n").utf8)
    bytes.withUnsafeBytes { _ = try? Syscalls.write(2, from: $0) }
}

/// The process environment as a dictionary.
enum ProcessEnvironment {
    static var current: [String: String] {
        var result: [String: String] = [:]
        var p = environ
        while let entry = p.pointee {
            let s = String(cString: entry)
            if let eq = s.firstIndex(of: "=") { result[String(s[..<eq])] = String(s[s.index(after: eq)...]) }
            p += 1
        }
        return result
    }
}
