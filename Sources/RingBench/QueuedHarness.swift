import Logging
import RingIO
import SCSIEmu

// The ring with I/O workers behind it, as the daemon runs a file disk (its handler's 2 workers): a
// started `RingServiceLoop` (its own ring thread), every batch of 32 submitted at once and reaped whole,
// a queue depth of 32. What the workers cost (hand-off, wake-up, completion from another thread) counts,
// which the one-thread `RingHarness.run` never sees: the workload for the ring thread's cached reads
// (RingServiceLoop+Inline), measured with them on and off.

extension RingHarness {
    /// Runs `commands` commands of `workload` over `device` with `ioWorkers` workers and `inlineReads`;
    /// every completion must be GOOD. "ring" here is the wall time from the doorbell to the batch's last
    /// completion reaped, per command (the mean over the run, and the median batch's).
    static func runQueued(
        _ name: String, device: any EmulatedDevice, workload: Workload, commands: Int, ioWorkers: Int, inlineReads: Bool
    ) throws -> Sample {
        let kernel = try SimulatedKernel(ringSize: 256 * 1024 - 128, dataAreaSize: 4 << 20)
        var logger = Logger(label: "bench")
        logger.logLevel = .warning
        let runner = RingServiceLoop(
            name: name, device: device, ring: try kernel.makeRing(), doorbell: kernel.doorbell, ioWorkers: ioWorkers,
            inlineReads: inlineReads, logger: logger)
        runner.start()
        defer { runner.stop() }
        var perBatch: [Double] = []
        perBatch.reserveCapacity(commands / batchSize + 1)
        var (done, i) = (0, 0)
        var reaped: [(id: UInt16, status: UInt8)] = []
        reaped.reserveCapacity(batchSize)
        let dataIn = UnsafeMutableRawBufferPointer.allocate(byteCount: max(1, workload.dataIn), alignment: 64)
        defer { dataIn.deallocate() }
        let start = clock.now
        while done < commands {
            for _ in 0..<batchSize {
                try kernel.submit(
                    cdb: workload.cdb(i), dataOut: workload.dataOut, dataInLength: workload.dataIn, notify: false)
                i += 1
            }
            let t0 = clock.now
            kernel.notifyUser()
            reaped.removeAll(keepingCapacity: true)
            while reaped.count < batchSize {
                _ = kernel.waitForCompletions(timeoutMilliseconds: 1000)
                try kernel.reap(statuses: &reaped, dataIn: dataIn)
            }
            perBatch.append(nanoseconds(clock.now - t0) / Double(batchSize))
            if let bad = reaped.first(where: { $0.status != 0 }) {
                fatalError("\(name): command \(bad.id) completed with status \(bad.status)")
            }
            done += reaped.count
        }
        let total = nanoseconds(clock.now - start) / Double(done)
        return Sample(ringNs: perBatch.reduce(0, +) / Double(perBatch.count), ringP50Ns: medianBatch(perBatch), totalNs: total)
    }
}
