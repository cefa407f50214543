import ArgumentParser

#if canImport(Glibc)
import Glibc
#endif

/// tcmu-runner's command line (its main.c `getopt_long("df:hl:V")`), so a unit or a script written
/// for tcmu-runner starts emud unchanged. `-d`, `-l` and `-f` are honoured; `--handler-path` is
/// accepted with one warning (emud's handlers are built in); `-V` prints the version; `-h` is the help.
/// The underscore spellings some distributions' units use are accepted too.
struct TCMURunnerFlags: ParsableArguments {
    @Flag(name: [.customShort("d"), .customLong("debug")],
          help: "tcmu-runner's -d: log level 5 (every CDB and its result) unless --log-level is given.")
    var debug = false

    @Option(name: [.customShort("l"), .customLong("tcmu-log-dir"), .customLong("tcmu_log_dir")],
            help: "tcmu-runner's -l: the same as --log-dir.")
    var tcmuLogDir: String?

    @Option(name: [.customShort("f"), .customLong("nofile")],
            help: "tcmu-runner's -f: the open-file limit (RLIMIT_NOFILE), \(Self.openFileRange.lowerBound)–\(Self.openFileRange.upperBound).")
    var nofile: Int?

    @Option(name: [.customLong("handler-path"), .customLong("handler_path")],
            help: "tcmu-runner's handler module folder: accepted and ignored (emud's handlers are built in).")
    var handlerPath: String?

    @Flag(name: [.customShort("V")], help: "Print the version and exit (tcmu-runner's -V).")
    var version = false

    /// tcmu-runner's TCMUR_MIN_OPEN_FD and TCMUR_MAX_OPEN_FD.
    static let openFileRange = 65536...1_048_576

    func validate() throws {
        if let nofile, !Self.openFileRange.contains(nofile) {
            throw ValidationError(
                "--nofile \(nofile): expected \(Self.openFileRange.lowerBound) to \(Self.openFileRange.upperBound)")
        }
    }

    /// The warnings to log once the logger exists: each accepted-but-ignored flag, one line.
    var warnings: [String] {
        handlerPath.map { ["--handler-path \($0): ignored, emud's handlers are built in"] } ?? []
    }

    /// Sets the open-file limit of `-f` (soft and hard). - Throws: a message naming the flag.
    func applyOpenFileLimit() throws {
        guard let nofile else { return }
        var limit = rlimit(rlim_cur: rlim_t(nofile), rlim_max: rlim_t(nofile))
        if setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) != 0 {
            throw ValidationError("--nofile \(nofile): setrlimit: \(String(cString: strerror(errno)))")
        }
    }
}
