import Foundation

/// The benchmark's command line: `emud-ring-bench [N] [workloads|all] [runs]`, every argument optional
/// (`make bench` runs it with none). A bad argument is answered with the usage text, never a trap.
struct BenchArguments {
    static let workloads = ["tur", "memory", "memory-write", "file", "file-qd", "file-write", "file-write-qd", "qcow", "zoned", "scale", "scale64", "scale256", "rbd"]
    static let usage = """
        usage: emud-ring-bench [N] [WORKLOADS] [RUNS]
          N          commands per run (default 300000; at least \(RingHarness.batchSize))
          WORKLOADS  all (default), or a comma-separated list of:
                     \(workloads.joined(separator: ", "))
          RUNS       runs per workload (default 5)
        Scratch images go to $TMPDIR (default /tmp), named by the process id; the zoned image to
        /dev/shm when it exists.
        """

    var commands = 300_000
    /// nil: every workload but `scale64`/`scale256` (which `scale` covers).
    var only: Set<String>?
    var runs = 5

    /// Parses `arguments` (without the program name); the error is the message to print with the usage.
    static func parse(_ arguments: [String]) -> Result<BenchArguments, UsageError> {
        var parsed = BenchArguments()
        if arguments.contains(where: { $0 == "-h" || $0 == "--help" }) { return .failure(UsageError(message: nil)) }
        guard arguments.count <= 3 else { return .failure(UsageError(message: "too many arguments")) }
        if let n = arguments.first {
            guard let value = Int(n), value >= RingHarness.batchSize else {
                return .failure(UsageError(message: "N must be a number ≥ \(RingHarness.batchSize), not '\(n)'"))
            }
            parsed.commands = value
        }
        if arguments.count > 1, arguments[1] != "all" {
            let names = arguments[1].split(separator: ",").map(String.init)
            if let unknown = names.first(where: { !workloads.contains($0) }) {
                return .failure(UsageError(message: "unknown workload '\(unknown)'"))
            }
            guard !names.isEmpty else { return .failure(UsageError(message: "no workload named")) }
            parsed.only = Set(names)
        }
        if arguments.count > 2 {
            guard let value = Int(arguments[2]), value >= 1 else {
                return .failure(UsageError(message: "RUNS must be a number ≥ 1, not '\(arguments[2])'"))
            }
            parsed.runs = value
        }
        return .success(parsed)
    }

    func selected(_ name: String) -> Bool { only == nil || only!.contains(name) }

    struct UsageError: Error {
        /// nil for `--help` (usage on stdout, exit 0).
        var message: String?
    }
}

/// Where the benchmark puts its scratch files: $TMPDIR (or /tmp), names carrying the process id, so two
/// benchmarks running at once (or another user's leftovers) never share or remove each other's image.
enum BenchPaths {
    static let directory: String = {
        let tmp = ProcessInfo.processInfo.environment["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        return tmp.hasSuffix("/") && tmp.count > 1 ? String(tmp.dropLast()) : tmp
    }()
    static let pid = ProcessInfo.processInfo.processIdentifier

    static func scratch(_ name: String) -> String { "\(directory)/emud-ring-bench-\(pid)-\(name)" }

    /// The zoned image needs a file system that allows a 20 TiB sparse file: tmpfs when /dev/shm exists,
    /// else $TMPDIR (ext4 refuses it: the error says so).
    static var zonedImage: String {
        var isDirectory: ObjCBool = false
        let shm = FileManager.default.fileExists(atPath: "/dev/shm", isDirectory: &isDirectory) && isDirectory.boolValue
        return shm ? "/dev/shm/emud-ring-bench-\(pid)-zbc.img" : scratch("zbc.img")
    }
}
