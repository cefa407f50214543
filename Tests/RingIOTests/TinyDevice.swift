import Foundation
import Logging
import RingIO
import SCSIEmu
import Sense
import SystemCalls
import TestSupport

/// A minimal SPC device for ring tests: TEST UNIT READY, INQUIRY (36 bytes) and READ(10) of 512-byte
/// blocks whose bytes are (LBA + offset) mod 256; READ of `slowLBA` sleeps first, or, with a `gate`,
/// waits until the test signals it (an order that does not depend on the machine's load). Each READ notes the
/// thread that ran it (`threadOf`, behind a `PthreadMutex`: the I/O workers write it concurrently, and
/// ThreadSanitizer cannot see `Synchronization.Mutex`'s lock — `.sanitizers/tsan.supp`).
final class TinyDevice: SPCDevice {
    let unit = LogicalUnit(identity: DeviceIdentity(peripheralType: 0, product: "TINY"))
    let slowLBA: UInt64?
    let gate: DispatchSemaphore?
    let threadOf = PthreadMutex<[UInt64: pthread_t]>([:])
    var commandTable: CommandTable<TinyDevice> { Self.table }

    init(slowLBA: UInt64? = nil, gate: DispatchSemaphore? = nil) {
        self.slowLBA = slowLBA
        self.gate = gate
    }

    static func pattern(lba: UInt64, blocks: Int) -> [UInt8] {
        (0..<(blocks * 512)).map { UInt8(truncatingIfNeeded: Int(lba) + $0) }
    }

    static let table = CommandTable<TinyDevice>([
        CommandSpec(0x00, "TEST UNIT READY", usage: [0x00, 0, 0, 0, 0, 0], direction: .none, states: .ready) { _, _ in
            .good
        },
        CommandSpec(0x12, "INQUIRY", usage: [0x12, 0, 0, 0xFF, 0xFF, 0], direction: .fromDevice, states: .ready) {
            _, cmd in
            var data = [UInt8](repeating: 0x20, count: 36)
            data[0] = 0; data[2] = 6; data[3] = 2; data[4] = 31
            return cmd.respond(data, allocationLength: Int(cmd.cdb.u16(3)))
        },
        CommandSpec(
            0x28, "READ(10)", usage: [0x28, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0xFF, 0xFF, 0], direction: .fromDevice,
            states: .ready, flags: .storageIO
        ) { dev, cmd in
            let (lba, blocks) = cmd.cdb.lbaAndLength
            if lba == dev.slowLBA {
                if let gate = dev.gate { gate.wait() } else { usleep(50_000) }
            }
            let thread = pthread_self()
            dev.threadOf.withLock { $0[lba] = thread }
            return .good(dataInLength: cmd.dataIn.write(pattern(lba: lba, blocks: Int(blocks))))
        },
    ])

    func resize(toBytes size: UInt64) throws(Sense) {}
    func close() {}
}

/// A simulated kernel, the user-side ring and a runner over a `TinyDevice`.
struct Harness {
    let kernel: SimulatedKernel
    let runner: RingServiceLoop
    let log = CapturedLog()

    init(
        ringSize: Int = 64 * 1024 - 128, device: TinyDevice = TinyDevice(), ioWorkers: Int = 0,
        level: Logger.Level = .info
    ) throws {
        kernel = try SimulatedKernel(ringSize: ringSize, dataAreaSize: 256 * 1024)
        runner = RingServiceLoop(
            name: "tiny", device: device, ring: try kernel.makeRing(), doorbell: kernel.doorbell, ioWorkers: ioWorkers,
            logger: log.logger(level: level))
    }

    /// Services the ring once and reaps.
    func cycle() throws -> [SimulatedKernel.Completion] {
        runner.serviceRing()
        return try kernel.reap()
    }
}

let testUnitReady: [UInt8] = [0, 0, 0, 0, 0, 0]

extension SimulatedKernel {
    /// Reaps until `count` completions came back or about `milliseconds` passed; with `runner`, services
    /// the ring before each look, as the ring thread would (without, a started runner does it).
    func collect(_ count: Int, within milliseconds: Int = 5000, servicing runner: RingServiceLoop? = nil) throws -> [Completion] {
        var done: [Completion] = []
        var waited = 0
        while done.count < count && waited < milliseconds {
            runner?.serviceRing()
            done += try reap()
            if done.count < count { _ = waitForCompletions(timeoutMilliseconds: 10); waited += 10 }
        }
        return done
    }
}
