import Logging
import RingIO
import SCSIEmu

/// A device served through the simulated kernel ring by a started `RingServiceLoop` with the handler's I/O
/// workers, as the daemon serves it: many commands in flight, completions in any order. With a
/// `scheduler` the ring is served as the daemon serves it (an event loop of the scheduler, its worker
/// pool); without, by a ring thread and workers of its own.
final class RingDriver {
    let kernel: SimulatedKernel
    let runner: RingServiceLoop

    init(device: any EmulatedDevice, ioWorkers: Int, scheduler: RingScheduler? = nil) throws {
        kernel = try SimulatedKernel(ringSize: 256 * 1024 - 128, dataAreaSize: 8 << 20)
        var log = Logger(label: "rbd-ring")
        log.logLevel = .notice
        runner = RingServiceLoop(
            name: "rbd-test", device: device, ring: try kernel.makeRing(), doorbell: kernel.doorbell,
            ioWorkers: ioWorkers, scheduler: scheduler, logger: log)
        runner.start()
    }

    func stop() { runner.stop() }

    /// Submits every command, then waits (up to `timeoutSeconds` in all) for all their completions.
    /// Returns them in submission order; a command with no completion in time is a thrown `Hang`.
    func run(_ commands: [(cdb: [UInt8], dataOut: [UInt8]?, dataIn: Int)], timeoutSeconds: Double = 60)
        throws -> [SimulatedKernel.Completion]
    {
        var ids: [UInt16] = []
        for c in commands { ids.append(try kernel.submit(cdb: c.cdb, dataOut: c.dataOut, dataInLength: c.dataIn)) }
        var done: [UInt16: SimulatedKernel.Completion] = [:]
        let deadline = ContinuousClock.now + .milliseconds(Int(timeoutSeconds * 1000))
        while done.count < ids.count {
            for c in try kernel.reap() { done[c.id] = c }
            if done.count == ids.count { break }
            guard ContinuousClock.now < deadline else { throw Hang(waiting: ids.count - done.count, seconds: timeoutSeconds) }
            _ = kernel.waitForCompletions(timeoutMilliseconds: 50)
        }
        return ids.map { done[$0]! }
    }

    func one(_ cdb: [UInt8], dataOut: [UInt8]? = nil, dataIn: Int = 0, timeoutSeconds: Double = 60) throws
        -> SimulatedKernel.Completion
    {
        try run([(cdb, dataOut, dataIn)], timeoutSeconds: timeoutSeconds)[0]
    }

    struct Hang: Error, CustomStringConvertible {
        let waiting: Int
        let seconds: Double
        var description: String { "\(waiting) commands had no completion after \(seconds) s" }
    }
}
