import FuzzSupport
import Logging
import RingIO
import SCSIEmu

/// The ring consumer (`RingServiceLoop` over `MappedRing`) fed by the simulated kernel with entries the
/// fuzzer corrupts: any bytes over any part of an entry (length/opcode, cmd_id, iovec counts and
/// addresses, cdb_off, the CDB). A malformed entry may fail only its own command; nothing may trap.
///
/// Input: steps until the input ends (at most 48), each one byte `op` then its operands:
/// | op % 4 | step |
/// |---|---|
/// | 0 | submit command `k` (next byte, of `commands`), then corrupt it: offset byte, count byte (0–15), bytes |
/// | 1 | submit command `k` intact |
/// | 2 | the ring thread services the ring; the kernel reaps |
/// | 3 | TMR ABORT TASK for the last command submitted |
enum FuzzTarget {
    /// (CDB, Data-Out length, Data-In length) of the commands the kernel queues.
    static let commands: [([UInt8], Int, Int)] = [
        ([0x00, 0, 0, 0, 0, 0], 0, 0),                                   // TEST UNIT READY
        ([0x12, 0, 0, 0, 96, 0], 0, 96),                                 // INQUIRY
        ([0x28, 0, 0, 0, 0, 8, 0, 0, 4, 0], 0, 2048),                    // READ(10) LBA 8, 4 blocks
        ([0x2A, 0, 0, 0, 0, 16, 0, 0, 2, 0], 1024, 0),                   // WRITE(10) LBA 16, 2 blocks
        ([0x88, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 16, 0, 0], 0, 8192), // READ(16) 16 blocks
        ([0x35, 0, 0, 0, 0, 0, 0, 0, 0, 0], 0, 0),                       // SYNCHRONIZE CACHE(10)
        ([0x9E, 0x10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 32, 0, 0], 0, 32), // READ CAPACITY(16)
    ]

    static func run(_ bytes: [UInt8]) {
        guard let kernel = try? SimulatedKernel(ringSize: 8192, dataAreaSize: 64 * 1024),
            let ring = try? kernel.makeRing()
        else { fuzzFailure("the simulated kernel did not start") }
        var c = BlockDeviceConfiguration()
        c.blockSize = 512
        c.blockCount = 512
        c.serial = "fuzz-serial"
        c.configString = "file/memory"
        guard let store = try? MemoryStore(size: 512 * 512), let device = try? BlockDevice(store: store, configuration: c)
        else { fuzzFailure("the disk did not open") }
        var logger = Logger(label: "fuzz-ring")
        logger.logLevel = .critical
        let runner = RingServiceLoop(name: "fuzz", device: device, ring: ring, doorbell: kernel.doorbell, logger: logger)
        var r = FuzzReader(bytes)
        var last: UInt16?
        var steps = 0
        while !r.isAtEnd && steps < 48 && kernel.brokenReason == nil {
            steps += 1
            let op = r.byte() % 4
            switch op {
            case 0, 1:
                let (cdb, out, inLength) = commands[Int(r.byte()) % commands.count]
                var corruption: SimulatedKernel.Corruption?
                if op == 0 {
                    let offset = Int(r.byte())
                    let count = Int(r.byte() % 16)
                    corruption = .overwrite(offset: offset, bytes: r.bytes(count))
                }
                let payload = out > 0 ? [UInt8](repeating: 0xC3, count: out) : nil
                last = try? kernel.submit(cdb: cdb, dataOut: payload, dataInLength: inLength, corruption: corruption)
            case 2:
                _ = runner.serviceRing()
                _ = try? kernel.reap()
            default:
                if let last { try? kernel.submitTMR(type: .abortTask, ids: [last]) }
            }
        }
        _ = runner.serviceRing()
        _ = try? kernel.reap()
        device.close()
    }
}
