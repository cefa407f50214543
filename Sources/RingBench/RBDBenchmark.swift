import Foundation
import Logging
import RingIO
import SCSIEmu

// emud-ring-bench N rbd: 4 KiB WRITE(10) then READ(10) on an rbd disk (the image `emud/disk` of the
// cluster scripts/ceph-cluster.sh starts; EMUD_CEPH_CONF names its ceph.conf), through the simulated
// kernel and a started RingServiceLoop with the handler's I/O workers, as the daemon serves it. Queue
// depth 1 and 32: the harness keeps that many commands in flight and reaps completions as they come
// (out of order). The cluster's own floor is `rbd bench` on the same image (docs/rbd.md).

enum RBDBenchmark {
    struct Figures: CustomStringConvertible {
        var write: Bool
        var asynchronous: Bool
        var depth: Int
        var commands: Int
        var seconds: Double
        var nsPerCommand: Double { seconds * 1e9 / Double(commands) }
        var commandsPerSecond: Double { Double(commands) / seconds }
        var description: String {
            "rbd \(asynchronous ? "aio     " : "blocking") 4 KiB \(write ? "WRITE" : "READ ") QD\(depth): \(Int(nsPerCommand)) ns/cmd, \(Int(commandsPerSecond)) cmds/s (\(commands) commands)"
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
        var out: [Figures] = []
        // Blocking: every request waited for on one of the workers; aio: submitted from the ring thread,
        // completed from librbd's callback.
        for asynchronous in [false, true] {
            let kernel = try SimulatedKernel(ringSize: 256 * 1024 - 128, dataAreaSize: 8 << 20)
            let runner = RingServiceLoop(
                name: "bench-rbd", device: device, ring: try kernel.makeRing(), doorbell: kernel.doorbell,
                ioWorkers: asynchronous ? handler.ioWorkerThreads : 32, asynchronousStore: asynchronous, logger: logger)
            runner.start()
            defer { runner.stop() }
            for write in [true, false] {
                let workload = Workload.fourKiB(write: write, units: imageBytes / 4096)
                for depth in [1, 32] {
                    _ = try drive(kernel, workload, commands: min(commands, 64), depth: depth)  // warm-up
                    let f = Figures(write: write, asynchronous: asynchronous, depth: depth, commands: commands,
                                    seconds: try drive(kernel, workload, commands: commands, depth: depth))
                    print("  \(f)")
                    out.append(f)
                }
            }
        }
        return out
    }

    /// Keeps `depth` commands in flight until `commands` completed; every completion must be GOOD.
    /// Returns the seconds it took.
    static func drive(_ kernel: SimulatedKernel, _ workload: Workload, commands: Int, depth: Int) throws -> Double {
        var submitted = 0, completed = 0
        let start = clock.now
        while completed < commands {
            while submitted < commands, submitted - completed < depth {
                try kernel.submit(cdb: workload.cdb(submitted), dataOut: workload.dataOut, dataInLength: workload.dataIn)
                submitted += 1
            }
            _ = kernel.waitForCompletions(timeoutMilliseconds: 1000)
            for c in try kernel.reap() {
                guard c.status == 0 else { fatalError("rbd: command \(c.id) completed with status \(c.status), sense \(c.sense.prefix(18))") }
                completed += 1
            }
        }
        return nanoseconds(clock.now - start) / 1e9
    }
}
