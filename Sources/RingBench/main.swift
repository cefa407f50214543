import Foundation
import RingIO
import SCSIEmu

// emud-ring-bench [N] [workload,…|all] [runs]   (BenchArguments: every argument optional)
//
// Drives emud's real path (simulated kernel → ring → RingServiceLoop → CommandTable → SBC handler →
// store → completion) with N commands per run, `runs` times per workload (default 5), and prints the
// best and the median run. Workloads: tur, memory, memory-write, file, file-write, qcow, zoned,
// scale (64 and 256 devices at once; scale64, scale256 for one), and rbd (only when named: it needs
// the cluster EMUD_CEPH_CONF names; RBDBenchmark.swift).
// The memory and file workloads alternate with their floor: a bare memcpy or pread/pwrite loop over the
// same offsets. The file READ has a second one, the data-area floor: the pread loop into the 32 rotating
// 4 KiB blocks the ring reads into (`DataAreaFloor`); READ is given against both.

let arguments: BenchArguments
switch BenchArguments.parse(Array(CommandLine.arguments.dropFirst())) {
case .success(let a): arguments = a
case .failure(let e):
    if let message = e.message {
        FileHandle.standardError.write(Data("emud-ring-bench: \(message)\n\(BenchArguments.usage)\n".utf8))
        exit(2)
    }
    print(BenchArguments.usage)
    exit(0)
}
let n = arguments.commands
let runs = arguments.runs
func selected(_ name: String) -> Bool { arguments.selected(name) }

/// Runs one workload group; a failure (a scratch file that cannot be made, a store error) is reported
/// with its cause and ends the benchmark with status 1, after the scratch files are removed.
@MainActor func step(_ name: String, _ body: () throws -> Void) {
    do { try body() } catch {
        BenchDisks.removeImages()
        FileHandle.standardError.write(Data("emud-ring-bench: \(name): \(error)\n".utf8))
        exit(1)
    }
}

func loadAverage() -> String {
    (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8))?.split(separator: " ").prefix(3).joined(separator: " ")
        ?? "?"
}

print("emud-ring-bench: \(n) commands per run, \(runs) runs per workload, batches of \(RingHarness.batchSize)")
print("load average at start: \(loadAverage()) (\(ProcessInfo.processInfo.activeProcessorCount) CPUs)")

var rows: [ResultRow] = []

/// Measures `workload` on `device` `runs` times (after a short warm-up), alternating with `floor` when
/// given (and with `dataAreaFloor`, the file READ's second floor), prints each run and records the row.
/// `queued`: through `RingHarness.runQueued` with that many workers and the ring's cached reads and
/// writes on or off.
@MainActor func measure(
    _ name: String, device: any EmulatedDevice, workload: Workload, floor: (() throws -> FloorSample)? = nil,
    dataAreaFloor: (() throws -> FloorSample)? = nil, queued: (workers: Int, inline: Bool)? = nil
) throws {
    let once = { (commands: Int) throws -> Sample in
        guard let queued else { return try RingHarness.run(name, device: device, workload: workload, commands: commands) }
        return try RingHarness.runQueued(
            name, device: device, workload: workload, commands: commands, ioWorkers: queued.workers,
            inline: queued.inline)
    }
    _ = try once(max(RingHarness.batchSize, n / 10))
    var row = ResultRow(name: name)
    for r in 1...runs {
        if let floor { row.floors.append(try floor()) }
        if let dataAreaFloor { row.dataAreaFloors.append(try dataAreaFloor()) }
        let s = try once(n)
        row.samples.append(s)
        var line = "  \(name) run \(r): ring \(Int(s.ringNs)) ns/cmd (p50 batch \(Int(s.ringP50Ns))), "
            + "with simulated kernel \(Int(s.totalNs)) ns/cmd"
        if let f = row.floors.last {
            line += ", floor \(Int(f.ns)) ns (p50 \(Int(f.p50Ns))), ratio \(ResultRow.ratio(s.ringNs, f.ns))"
        }
        if let f = row.dataAreaFloors.last {
            line += ", data-area floor \(Int(f.ns)) ns (p50 \(Int(f.p50Ns))), ratio \(ResultRow.ratio(s.ringNs, f.ns))"
        }
        print(line)
    }
    rows.append(row)
}

if selected("tur") {
    step("tur") { try measure("TEST UNIT READY, memory disk", device: try BenchDisks.memory(), workload: .testUnitReady()) }
}
if selected("memory") || selected("memory-write") { step("memory") {
    let disk = try BenchDisks.memory()
    let floor = MemoryFloor()
    if selected("memory") {
        try measure("4 KiB READ, memory disk", device: disk, workload: .fourKiB(write: false, units: BenchDisks.units4K)) {
            floor.measure(write: false, count: n)
        }
    }
    if selected("memory-write") {
        try measure("4 KiB WRITE, memory disk", device: disk, workload: .fourKiB(write: true, units: BenchDisks.units4K)) {
            floor.measure(write: true, count: n)
        }
    }
} }
if selected("file") || selected("file-qd") || selected("file-write") || selected("file-write-qd") || selected("qcow") { step("file (\(BenchDisks.rawPath))") {
    try BenchDisks.makeRawImage()
    let floor = FileFloor(path: BenchDisks.rawPath)
    let disk = try BenchDisks.file()
    if selected("file") {
        let dataArea = DataAreaFloor(path: BenchDisks.rawPath)
        try measure(
            "4 KiB READ, page-cached file", device: disk, workload: .fourKiB(write: false, units: BenchDisks.units4K),
            floor: { try floor.measure(write: false, count: n) }, dataAreaFloor: { try dataArea.measure(count: n) })
    }
    if selected("file-qd") {
        // Queue depth 32 over 2 workers: the cached reads served on the ring thread, then all by workers.
        let reads = Workload.fourKiB(write: false, units: BenchDisks.units4K)
        try measure("4 KiB READ QD32, page-cached file, ring serves cached", device: disk, workload: reads, queued: (2, true))
        try measure("4 KiB READ QD32, page-cached file, workers only", device: disk, workload: reads, queued: (2, false))
    }
    if selected("file-write") {
        try measure("4 KiB WRITE, page-cached file", device: disk, workload: .fourKiB(write: true, units: BenchDisks.units4K)) {
            try floor.measure(write: true, count: n)
        }
    }
    if selected("file-write-qd") {
        // Queue depth 32 over 2 workers: the writes into the page cache on the ring thread, then all by workers.
        let writes = Workload.fourKiB(write: true, units: BenchDisks.units4K)
        try measure("4 KiB WRITE QD32, page-cached file, ring writes", device: disk, workload: writes, queued: (2, true))
        try measure("4 KiB WRITE QD32, page-cached file, workers only", device: disk, workload: writes, queued: (2, false))
    }
    disk.close()
    if selected("qcow") {
        if let qcow = try BenchDisks.qcow2() {
            try measure("4 KiB READ, qcow2 (allocated)", device: qcow, workload: .fourKiB(write: false, units: BenchDisks.units4K)) {
                try floor.measure(write: false, count: n)
            }
            qcow.close()
        } else {
            print("qcow: skipped (qemu-img not found or failed)")
        }
    }
    BenchDisks.removeImages()
} }

var zoned: [ZonedBenchmark.Figures] = []
if selected("zoned") { step("zoned (\(BenchPaths.zonedImage))") {
    for r in 1...runs {
        let f = try ZonedBenchmark.run(path: BenchPaths.zonedImage)
        print("  zoned run \(r): \(f)")
        zoned.append(f)
    }
} }

// scale: devices served at once by one process (`scale` runs 64, then 256; `scale64`, `scale256` one).
for devices in [64, 256] where selected("scale") || selected("scale\(devices)") {
    step("scale\(devices)") {
        print("  scale, threads per device: \(try ScaleBenchmark.run(devices: devices, shared: false))")
        print("  scale, shared scheduler: \(try ScaleBenchmark.run(devices: devices, shared: true))")
    }
}

// rbd: only when named (it needs EMUD_CEPH_CONF and a cluster, docs/rbd.md).
if arguments.only?.contains("rbd") == true {
    for r in 1...runs {
        print("  rbd run \(r):")
        _ = try RBDBenchmark.run(commands: min(n, 20_000))
    }
}

print("load average at end: \(loadAverage())")
print(ResultRow.table(rows))
if !zoned.isEmpty { print(ZonedSummary(zoned).text) }
