import RingIO
import SCSIEmu

// The ring with I/O workers behind it, as the daemon runs a file disk (its handler's 2 workers): a
// started `RingServiceLoop` (its own ring thread), every batch of 32 submitted at once and reaped whole,
// a queue depth of 32. What the workers cost (hand-off, wake-up, completion from another thread) counts,
// which the one-thread `RingHarness.run` never sees: the workload for the ring thread's cached reads and
// writes (RingServiceLoop+Inline), measured with them on and off.

extension RingHarness {
    /// Runs `commands` commands of `workload` over `device` with `ioWorkers` workers, the ring thread
    /// serving cached reads and writes itself when `inline`;
    /// every completion must be GOOD. "ring" here is the wall time from the doorbell to the batch's last
    /// completion reaped, per command (the mean over the run, and the median batch's).
    static func runQueued(
        _ name: String, device: any EmulatedDevice, workload: Workload, commands: Int, ioWorkers: Int, inline: Bool
    ) throws -> Sample {
        let (kernel, runner) = try rig(name, device: device, ioWorkers: ioWorkers, inline: inline)
        runner.start()
        defer { runner.stop() }
        var done = 0
        let initiator = Initiator(workload, commands: commands)
        let start = clock.now
        while done < commands {
            try initiator.submitBatch(to: kernel)
            let t0 = clock.now
            kernel.notifyUser()
            initiator.reaped.removeAll(keepingCapacity: true)
            while initiator.reaped.count < batchSize {
                _ = kernel.waitForCompletions(timeoutMilliseconds: 1000)
                try initiator.reap(kernel, name)
            }
            initiator.perBatch.append(nanoseconds(clock.now - t0) / Double(batchSize))
            done += initiator.reaped.count
        }
        let total = nanoseconds(clock.now - start) / Double(done)
        let batches = initiator.perBatch
        return Sample(ringNs: batches.reduce(0, +) / Double(batches.count), ringP50Ns: medianBatch(batches), totalNs: total)
    }
}
