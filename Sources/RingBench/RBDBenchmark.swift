import Foundation
import Logging
import RingIO
import SCSIEmu

// emud-ring-bench N rbd: 4 KiB WRITE(10) then READ(10) on an rbd disk (the image `emud/disk` of the
// cluster scripts/ceph-cluster.sh starts; EMUD_CEPH_CONF names its ceph.conf), through the simulated
// kernel and a started RingServiceLoop with the handler's I/O workers, as the daemon serves it. Queue
// depth 1 and 32: the harness keeps that many commands in flight and reaps completions as they come
// (out of order). The image is written whole first, so every read finds data. The cluster's own floor
// follows: `rbd bench` on the same image, the same operations (`RBDFloor`); both with CPU per operation.

enum RBDBenchmark {
    /// How the ring is served.
    enum Mode: String, CaseIterable {
        /// Every request waited for on one of 32 I/O workers (the store's synchronous path).
        case blocking = "blocking"
        /// Submitted by the ring thread, completed from librbd's callback (as the daemon serves it).
        case aio = "aio     "
        /// The same, but the benchmark's own thread services the ring right after submitting: no hand-off
        /// to a ring thread, as `rbd bench` calls librbd from the thread that submits (the cost of that hop).
        case aioInline = "aio, no ring thread"
    }

    struct Figures: CustomStringConvertible {
        var write: Bool
        var mode: Mode
        var depth: Int
        var commands: Int
        var seconds: Double
        var cpu: CPUPerOperation
        var nsPerCommand: Double { seconds * 1e9 / Double(commands) }
        var commandsPerSecond: Double { Double(commands) / seconds }
        var description: String {
            "rbd \(mode.rawValue) 4 KiB \(write ? "WRITE" : "READ ") QD\(depth): \(Int(nsPerCommand)) ns/cmd, \(Int(commandsPerSecond)) cmds/s (\(commands) commands), \(cpu)"
        }
    }

    static let imageBytes = 64 << 20

    static func run(commands: Int) throws -> [Figures] {
        guard let conf = ProcessInfo.processInfo.environment["EMUD_CEPH_CONF"] else {
            print("rbd: skipped (EMUD_CEPH_CONF unset: start a cluster with scripts/ceph-cluster.sh)")
            return []
        }
        var logger = Logger(label: "bench-rbd")
        logger.logLevel = .warning
        let handler = RBDHandler()
        let config = "rbd/emud/disk;conf=\(conf)"
        let device = try handler.open(DeviceOpenParameters(
            config: String(config.dropFirst(4)), fullConfigString: config, deviceName: "bench-rbd", hba: "0",
            sizeInBytes: UInt64(imageBytes), blockSize: 512, maxSectors: 16384, unitSerial: "bench-rbd",
            commandTimeout: nil, logger: logger))
        defer { device.close() }
        let cpuClock = CPUClock(conf: conf)
        try RBDFloor.prefill(conf: conf, bytes: imageBytes)
        var out: [Figures] = []
        for mode in Mode.allCases {
            let kernel = try SimulatedKernel(ringSize: 256 * 1024 - 128, dataAreaSize: 8 << 20)
            let runner = RingServiceLoop(
                name: "bench-rbd", device: device, ring: try kernel.makeRing(), doorbell: kernel.doorbell,
                ioWorkers: mode == .blocking ? 32 : handler.ioWorkerThreads, asynchronousStore: mode != .blocking,
                logger: logger)
            if mode != .aioInline { runner.start() }
            defer { runner.stop() }
            let inline = mode == .aioInline ? runner : nil
            for write in [true, false] {
                let workload = Workload.fourKiB(write: write, units: imageBytes / 4096)
                for depth in [1, 32] {
                    _ = try drive(kernel, workload, commands: min(commands, 64), depth: depth, servicing: inline)  // warm-up
                    let before = cpuClock.read()
                    let seconds = try drive(kernel, workload, commands: commands, depth: depth, servicing: inline)
                    let f = Figures(write: write, mode: mode, depth: depth, commands: commands, seconds: seconds,
                                    cpu: CPUPerOperation(before, cpuClock.read(), operations: commands, child: false))
                    print("  \(f)")
                    out.append(f)
                }
            }
        }
        for write in [true, false] {
            for depth in [1, 32] {
                print("  \(try RBDFloor.run(conf: conf, clock: cpuClock, write: write, depth: depth, operations: commands))")
            }
        }
        print("  \(try RBDFloor.sparseRead(conf: conf, clock: cpuClock, bytes: imageBytes, operations: commands))")
        return out
    }

    /// Keeps `depth` commands in flight until `commands` completed; every completion must be GOOD.
    /// `servicing`: a runner not started, whose ring this thread services after each round of submissions.
    /// Returns the seconds it took.
    static func drive(
        _ kernel: SimulatedKernel, _ workload: Workload, commands: Int, depth: Int, servicing: RingServiceLoop? = nil
    ) throws -> Double {
        var submitted = 0, completed = 0
        let start = clock.now
        while completed < commands {
            while submitted < commands, submitted - completed < depth {
                try kernel.submit(
                    cdb: workload.cdb(submitted), dataOut: workload.dataOut, dataInLength: workload.dataIn, notify: servicing == nil)
                submitted += 1
            }
            servicing?.serviceRing()
            _ = kernel.waitForCompletions(timeoutMilliseconds: 1000)
            for c in try kernel.reap() {
                guard c.status == 0 else { fatalError("rbd: command \(c.id) completed with status \(c.status), sense \(c.sense.prefix(18))") }
                completed += 1
            }
        }
        return nanoseconds(clock.now - start) / 1e9
    }
}
