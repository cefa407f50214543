import Logging
import RingIO
import SCSIEmu

// The simulated kernel and the ring consumer on one thread, in batches of 32, so the numbers are
// per-core costs. "ring" is the time inside RingServiceLoop.serviceRing (drain, dispatch through the
// device's command table, handler, store, completion, publish, one doorbell write); "total" adds the
// simulated kernel's submit (CDB and Data-Out copied into the ring) and reap (Data-In copied out).

let clock = ContinuousClock()

func nanoseconds(_ d: Duration) -> Double {
    Double(d.components.seconds) * 1e9 + Double(d.components.attoseconds) / 1e9
}

/// One timed run of a workload.
struct Sample {
    /// Ring time over the whole run / commands.
    var ringNs: Double
    /// The median batch's ring time / its commands: what a batch costs when the thread was not
    /// preempted (the machine is shared; a preempted batch counts in the mean, not here).
    var ringP50Ns: Double
    var totalNs: Double
}

/// The median of per-batch ns/command values.
func medianBatch(_ perBatch: [Double]) -> Double { Spread(perBatch).median }

/// What the harness submits for command `i`: its CDB, its Data-Out (nil for none), its Data-In length.
struct Workload {
    /// The CDBs, command `i` taking `cdbs[i % cdbs.count]`: built once, so the driver allocates nothing
    /// per command (its cost counts in the +kernel figure of `make bench-instr`).
    var cdbs: [[UInt8]]
    var dataOut: [UInt8]?
    var dataIn: Int

    init(cdb: (Int) -> [UInt8], period: Int = 1, dataOut: [UInt8]?, dataIn: Int) {
        self.cdbs = (0..<period).map(cdb)
        self.dataOut = dataOut
        self.dataIn = dataIn
    }

    func cdb(_ i: Int) -> [UInt8] { cdbs[i % cdbs.count] }

    static func testUnitReady() -> Workload {
        Workload(cdb: { _ in [0, 0, 0, 0, 0, 0] }, dataOut: nil, dataIn: 0)
    }

    /// 4 KiB READ(10)s (or WRITE(10)s) of 512-byte blocks over `units` 4 KiB units, in a scattered order.
    static func fourKiB(write: Bool, units: Int) -> Workload {
        let cdb = { (i: Int) -> [UInt8] in
            let lba = (i &* 7919 % units) * 8
            return [write ? 0x2A : 0x28, 0, UInt8(lba >> 24 & 0xFF), UInt8(lba >> 16 & 0xFF), UInt8(lba >> 8 & 0xFF),
                    UInt8(lba & 0xFF), 0, 0, 8, 0]
        }
        // `i·7919 mod units` repeats after `units` commands (7919 is prime, `units` a power of two).
        return write
            ? Workload(cdb: cdb, period: units, dataOut: [UInt8](repeating: 0xC3, count: 4096), dataIn: 0)
            : Workload(cdb: cdb, period: units, dataOut: nil, dataIn: 4096)
    }
}

enum RingHarness {
    static let batchSize = 32

    /// A fresh simulated kernel and a `RingServiceLoop` over `device` on its ring (not started); `inline`
    /// false sends every storage command with others in flight to the workers (no cached reads or writes
    /// on the ring thread).
    static func rig(
        _ name: String, device: any EmulatedDevice, ioWorkers: Int = 0, inline: Bool = true
    ) throws -> (SimulatedKernel, RingServiceLoop) {
        let kernel = try SimulatedKernel(ringSize: 256 * 1024 - 128, dataAreaSize: 4 << 20)
        var logger = Logger(label: "bench")
        logger.logLevel = .warning
        let runner = RingServiceLoop(
            name: name, device: device, ring: try kernel.makeRing(), doorbell: kernel.doorbell, ioWorkers: ioWorkers,
            inlineReads: inline, inlineWrites: inline ? InlineWritePolicy() : nil, logger: logger)
        return (kernel, runner)
    }

    /// Runs `commands` commands of `workload` through a fresh simulated kernel and a `RingServiceLoop` over
    /// `device`; every completion must be GOOD.
    static func run(_ name: String, device: any EmulatedDevice, workload: Workload, commands: Int) throws -> Sample {
        let (kernel, runner) = try rig(name, device: device)
        var ring = Duration.zero
        var done = 0
        let initiator = Initiator(workload, commands: commands)
        let start = clock.now
        while done < commands {
            try initiator.submitBatch(to: kernel)
            kernel.notifyUser()
            kernel.doorbell.acknowledge()
            let t0 = clock.now
            runner.serviceRing()
            let elapsed = clock.now - t0
            ring += elapsed
            initiator.perBatch.append(nanoseconds(elapsed) / Double(batchSize))
            _ = kernel.waitForCompletions(timeoutMilliseconds: 0)
            initiator.reaped.removeAll(keepingCapacity: true)
            try initiator.reap(kernel, name)
            precondition(
                initiator.reaped.count == batchSize, "\(name): \(initiator.reaped.count) of \(batchSize) commands completed")
            done += initiator.reaped.count
        }
        let total = clock.now - start
        return Sample(
            ringNs: nanoseconds(ring) / Double(done), ringP50Ns: medianBatch(initiator.perBatch),
            totalNs: nanoseconds(total) / Double(done))
    }
}

/// The initiator's side: completions' statuses and a Data-In buffer, reused (the driver allocates nothing
/// per command: its cost counts in the +kernel figure of `make bench-instr`), and the next command.
final class Initiator {
    let workload: Workload
    var reaped: [(id: UInt16, status: UInt8)] = []
    let dataIn: UnsafeMutableRawBufferPointer
    var next = 0
    /// Each batch's time per command, in ns.
    var perBatch: [Double] = []

    init(_ workload: Workload, commands: Int) {
        self.workload = workload
        reaped.reserveCapacity(RingHarness.batchSize)
        perBatch.reserveCapacity(commands / RingHarness.batchSize + 1)
        dataIn = .allocate(byteCount: max(1, workload.dataIn), alignment: 64)
    }

    deinit { dataIn.deallocate() }

    /// Submits the next batch of commands without ringing the doorbell.
    func submitBatch(to kernel: SimulatedKernel) throws {
        for _ in 0..<RingHarness.batchSize {
            try kernel.submit(cdb: workload.cdb(next), dataOut: workload.dataOut, dataInLength: workload.dataIn, notify: false)
            next += 1
        }
    }

    /// Appends what completed to `reaped`; every completion must be GOOD.
    func reap(_ kernel: SimulatedKernel, _ name: String) throws {
        try kernel.reap(statuses: &reaped, dataIn: dataIn)
        if let bad = reaped.first(where: { $0.status != 0 }) {
            fatalError("\(name): command \(bad.id) completed with status \(bad.status)")
        }
    }
}
