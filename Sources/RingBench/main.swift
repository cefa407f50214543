import Logging
import RingIO
import SCSIEmu

// emud ring benchmark: the simulated kernel and the ring consumer on one thread, in batches of 32, so
// the numbers are per-core costs. "ring" is the time inside DeviceRunner.serviceRing (drain, dispatch,
// complete, publish, one doorbell write); "total" adds the simulated kernel's submit and reap.

let batchSize = 32
let clock = ContinuousClock()

func nanoseconds(_ d: Duration) -> Double {
    Double(d.components.seconds) * 1e9 + Double(d.components.attoseconds) / 1e9
}

struct Result {
    var name: String
    var commands: Int
    var ringNs: Double
    var totalNs: Double
}

func run(_ name: String, device: StandInReadDisk, commands: Int, cdb: (Int) -> [UInt8], dataIn: Int) throws -> Result {
    let kernel = try SimulatedKernel(ringSize: 256 * 1024 - 128, dataAreaSize: 4 << 20)
    var logger = Logger(label: "bench")
    logger.logLevel = .warning
    let runner = DeviceRunner(name: name, device: device, ring: try kernel.makeRing(), doorbell: kernel.doorbell, logger: logger)
    var ring = Duration.zero
    var done = 0
    let start = clock.now
    var i = 0
    while done < commands {
        for _ in 0..<batchSize {
            try kernel.submit(cdb: cdb(i), dataInLength: dataIn, notify: false)
            i += 1
        }
        kernel.notifyUser()
        kernel.doorbell.acknowledge()
        let t0 = clock.now
        runner.serviceRing()
        ring += clock.now - t0
        _ = kernel.waitForCompletions(timeoutMilliseconds: 0)
        let reaped = try kernel.reap()
        precondition(reaped.count == batchSize && reaped.allSatisfy { $0.status == 0 }, "\(name): bad completion")
        done += reaped.count
    }
    let total = clock.now - start
    return Result(name: name, commands: done, ringNs: nanoseconds(ring) / Double(done), totalNs: nanoseconds(total) / Double(done))
}

func read10(lba: Int, blocks: Int) -> [UInt8] {
    [0x28, 0, UInt8(lba >> 24 & 0xFF), UInt8(lba >> 16 & 0xFF), UInt8(lba >> 8 & 0xFF), UInt8(lba & 0xFF), 0,
     UInt8(blocks >> 8), UInt8(blocks & 0xFF), 0]
}

func report(_ r: Result, floor: Double? = nil) {
    var line = "\(r.name): \(r.commands) cmds, ring \(Int(r.ringNs)) ns/cmd (\(Int(1e9 / r.ringNs)) cmds/s), "
    line += "with simulated kernel \(Int(r.totalNs)) ns/cmd (\(Int(1e9 / r.totalNs)) cmds/s)"
    if let floor { line += String(", ring/pread ratio \(Double(Int(r.ringNs / floor * 100)) / 100)") }
    print(line)
}

let args = CommandLine.arguments
let n = args.count > 1 ? Int(args[1]) ?? 200_000 : 200_000
/// Optional workload filter (tur, memory, file) for profiling one workload at a time.
let only = args.count > 2 ? args[2] : nil
func selected(_ name: String) -> Bool { only == nil || only == name }
let fileBytes = 64 << 20
let blocksPer4K = 8, fileBlocks4K = fileBytes / 4096

// 1. TEST UNIT READY.
let memoryDisk = StandInReadDisk(.memory([UInt8](repeating: 0xA5, count: fileBytes)))
if selected("tur") { report(try run("TEST UNIT READY", device: memoryDisk, commands: n, cdb: { _ in [0, 0, 0, 0, 0, 0] }, dataIn: 0)) }

// 2. 4 KiB READ(10) from memory.
if selected("memory") { report(try run("4 KiB READ, memory disk", device: memoryDisk, commands: n,
    cdb: { read10(lba: ($0 * 7919 % fileBlocks4K) * blocksPer4K, blocks: blocksPer4K) }, dataIn: 4096)) }

// 3. 4 KiB READ(10) from a page-cached file, against a bare pread loop over the same offsets.
if selected("file") {
let path = "/tmp/emud-ring-bench.img"
let fd = try Syscalls.open(path, flags: 0o102 /* O_RDWR|O_CREAT */)
let chunk = [UInt8](repeating: 0x5A, count: 1 << 20)
for i in 0..<(fileBytes >> 20) {
    _ = try chunk.withUnsafeBytes { (b) throws(Errno) -> Int in try Syscalls.pwrite(fd, from: b, offset: Int64(i << 20)) }
}
let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 4096, alignment: 4096)
for i in 0..<fileBlocks4K { _ = try Syscalls.pread(fd, into: buffer, offset: Int64(i * 4096)) }  // warm the cache
let p0 = clock.now
for i in 0..<n { _ = try Syscalls.pread(fd, into: buffer, offset: Int64(i * 7919 % fileBlocks4K * 4096)) }
let preadNs = nanoseconds(clock.now - p0) / Double(n)
print("bare pread 4 KiB (page cache): \(Int(preadNs)) ns/read")
let fileDisk = StandInReadDisk(.file(descriptor: fd))
report(try run("4 KiB READ, page-cached file", device: fileDisk, commands: n,
    cdb: { read10(lba: ($0 * 7919 % fileBlocks4K) * blocksPer4K, blocks: blocksPer4K) }, dataIn: 4096), floor: preadNs)
buffer.deallocate()
try Syscalls.close(fd)
}
