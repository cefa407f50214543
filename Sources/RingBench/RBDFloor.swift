import Foundation

#if canImport(Glibc)
import Glibc
#endif

// The cluster's own floor beside emud's rbd figures, measured by the same run on the same image: librbd
// driven by `rbd bench` (no SCSI, no ring), and where the CPU goes: this process's CPU (emud's ring
// thread, the simulated kernel and librbd's threads all live in it), the `rbd bench` child's, and the
// OSD's (its pid file, DIR/run/osd.0.pid of scripts/ceph-cluster.sh). On 2 cores shared by everything,
// CPU per operation is what bounds queue depth 32, and it is less disturbed by other load than wall time.

/// CPU seconds (user + system) of this process, of its waited-for children, and of the OSD.
struct CPUClock {
    let osdPidFile: String

    init(conf: String) {
        osdPidFile = (conf as NSString).deletingLastPathComponent + "/run/osd.0.pid"
    }

    struct Reading {
        var own: Usage
        var children: Usage
        var osd: Double?
    }

    /// CPU seconds and the voluntary context switches (a thread that slept until woken: one hand-off).
    struct Usage {
        var seconds: Double
        var switches: Int
    }

    func read() -> Reading {
        Reading(own: Self.usage(RUSAGE_SELF.rawValue), children: Self.usage(RUSAGE_CHILDREN.rawValue), osd: osd())
    }

    private static func usage(_ who: __rusage_who_t) -> Usage {
        var u = rusage()
        getrusage(who, &u)
        return Usage(
            seconds: Double(u.ru_utime.tv_sec + u.ru_stime.tv_sec) + Double(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6,
            switches: u.ru_nvcsw)
    }

    /// utime + stime of /proc/PID/stat (fields 14 and 15, in clock ticks), after the command name.
    private func osd() -> Double? {
        guard let pid = (try? String(contentsOfFile: osdPidFile, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines),
            let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { return nil }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 13, let user = Double(fields[11]), let system = Double(fields[12]) else { return nil }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }
}

/// Per operation between two readings: microseconds of CPU of the process (or the child) and of the
/// OSD, and the process's voluntary context switches.
struct CPUPerOperation: CustomStringConvertible {
    var client: Double
    var switches: Double
    var osd: Double?

    init(_ a: CPUClock.Reading, _ b: CPUClock.Reading, operations: Int, child: Bool) {
        let (x, y) = child ? (a.children, b.children) : (a.own, b.own)
        client = (y.seconds - x.seconds) * 1e6 / Double(operations)
        switches = Double(y.switches - x.switches) / Double(operations)
        osd = a.osd.flatMap { x in b.osd.map { ($0 - x) * 1e6 / Double(operations) } }
    }

    var description: String {
        let s = (switches * 100).rounded() / 100
        return "cpu/op: process \(Int(client)) µs (\(s) sleeps), OSD \(osd.map { "\(Int($0)) µs" } ?? "?")"
    }
}

enum RBDFloor {
    /// Writes the whole image once (4 MiB sequential writes), so every later read, emud's and
    /// `rbd bench`'s, finds written data: a read of a never-written extent costs the OSD no disk read.
    static func prefill(conf: String, bytes: Int) throws {
        _ = try rbdBench(conf: conf, image: "emud/disk", [
            "--io-type", "write", "--io-pattern", "seq", "--io-size", "4M", "--io-total", "\(bytes)"])
    }

    /// `rbd bench` 4 KiB random `write`s or reads, `operations` of them, `depth` in flight, librbd's
    /// cache off (emud never flushes in the benchmark, so librbd stays writethrough: the same OSD work).
    static func run(
        conf: String, clock: CPUClock, write: Bool, depth: Int, operations: Int, image: String = "emud/disk", label: String = ""
    ) throws -> String {
        let a = clock.read()
        let out = try rbdBench(conf: conf, image: image, [
            "--rbd-cache=false", "--io-type", write ? "write" : "read", "--io-pattern", "rand", "--io-size", "4K",
            "--io-total", "\(operations * 4096)", "--io-threads", "\(depth)"])
        let cpu = CPUPerOperation(a, clock.read(), operations: operations, child: true)
        // Its summary line: "elapsed: 0   ops: 3000   ops/sec: 6543.21   bytes/sec: …".
        let summary = out.split(separator: "\n").last { $0.hasPrefix("elapsed:") } ?? "?"
        let rate = summary.split(separator: " ").drop { $0 != "ops/sec:" }.dropFirst().first.flatMap { Double($0) }
        let ns = rate.map { " (\(Int(1e9 / $0)) ns/op)" } ?? ""
        return "rbd bench 4 KiB \(write ? "write" : "read ") QD\(depth)\(label): \(rate.map { "\(Int($0))" } ?? "?") ops/s\(ns), \(cpu)"
    }

    /// The reads of session 7's floor: `rbd bench` random reads QD32 on an image of `bytes` where only
    /// `operations` random 4 KiB writes were made, so most reads find never-written extents, which the
    /// OSD answers without reading its device (a fresh image `emud/bench-sparse`, removed after).
    static func sparseRead(conf: String, clock: CPUClock, bytes: Int, operations: Int) throws -> String {
        let image = "emud/bench-sparse"
        _ = try? tool(["-c", conf, "rm", "--no-progress", image])
        _ = try tool(["-c", conf, "create", image, "--size", "\(bytes)B"])
        defer { _ = try? tool(["-c", conf, "rm", "--no-progress", image]) }
        _ = try rbdBench(conf: conf, image: image, [
            "--io-type", "write", "--io-pattern", "rand", "--io-size", "4K", "--io-total", "\(operations * 4096)",
            "--io-threads", "32"])
        return try run(conf: conf, clock: clock, write: false, depth: 32, operations: operations, image: image,
                       label: " on a sparse image")
    }

    private static func rbdBench(conf: String, image: String, _ arguments: [String]) throws -> String {
        try tool(["-c", conf, "bench"] + arguments + [image])
    }

    private static func tool(_ arguments: [String]) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/rbd")
        p.arguments = arguments
        let out = Pipe()
        p.standardOutput = out
        p.standardError = out
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self)
        guard p.terminationStatus == 0 else { throw RBDBenchFailure(arguments: arguments, output: text) }
        return text
    }

    struct RBDBenchFailure: Error, CustomStringConvertible {
        let arguments: [String]
        let output: String
        var description: String { "rbd \(arguments.joined(separator: " ")) failed: \(output)" }
    }
}
