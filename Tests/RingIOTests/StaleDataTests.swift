import Foundation
import Logging
import RingIO
import SCSIEmu
import Sense
import Testing
import TestSupport

/// Issue 13, "no stale byte, ever": every row of every device kind's table, driven through the simulated
/// kernel with a data area full of canary bytes (what earlier commands leave there), must never hand a
/// canary byte back to the initiator, whatever buffer the kernel gave the command.
@Suite("Stale data", .serialized)
struct StaleDataTests {
    /// A row as the test drives it.
    struct Row {
        var name: String
        var usage: [UInt8]
        var serviceAction: UInt16?
        var direction: DataDirection
    }

    static func rows<D: SPCDevice>(_ device: D) -> [Row] {
        device.commandTable.specs.map {
            Row(name: $0.name, usage: $0.usage, serviceAction: $0.serviceAction, direction: $0.direction)
        }
    }

    /// Three CDBs per row: only opcode and service action (zero lengths, LBA 0); every bit the row looks
    /// at set (the usage data itself); and every field small (each byte & 3: short allocation lengths
    /// that leave most of the buffer unfilled).
    static func cdbs(_ r: Row) -> [[UInt8]] {
        let kept: Set<Int> = r.usage[0] == 0x7F ? [0, 7, 8, 9] : r.serviceAction != nil ? [0] : [0]
        func keepServiceAction(_ cdb: inout [UInt8]) {
            guard r.serviceAction != nil, r.usage[0] != 0x7F else { return }
            cdb[1] = cdb[1] & 0xE0 | r.usage[1] & 0x1F
        }
        var zero = r.usage.enumerated().map { i, b in kept.contains(i) ? b : 0 }
        keepServiceAction(&zero)
        var small = r.usage.enumerated().map { i, b in kept.contains(i) ? b : b & 0x03 }
        keepServiceAction(&small)
        return [zero, r.usage, small]
    }

    /// Positions where the run with canary `a` returned `a` and the run with canary `b` returned `b`:
    /// bytes that came from the data area, not from the device (device data is the same in both runs).
    static func staleBytes(_ x: [UInt8], _ y: [UInt8], _ a: UInt8, _ b: UInt8) -> Int {
        zip(x, y).filter { $0 == a && $1 == b }.count
    }

    struct Served {
        let kernel: SimulatedKernel
        let runner: RingServiceLoop
        let device: any EmulatedDevice

        init(_ device: any EmulatedDevice, capabilities: TCMUABI.Capabilities? = nil) throws {
            self.device = device
            kernel = try capabilities.map { try SimulatedKernel(dataAreaSize: 1 << 20, capabilities: $0) }
                ?? SimulatedKernel(dataAreaSize: 1 << 20)
            runner = RingServiceLoop(
                name: "stale", device: device, ring: try kernel.makeRing(), doorbell: kernel.doorbell,
                ioWorkers: 0,
                logger: Logger(label: "stale", factory: { _ in SwiftLogNoOpLogHandler() }))
        }

        /// Submits one command over a data area of `canary` bytes and returns its completion.
        func run(_ cdb: [UInt8], dataOut: [UInt8]? = nil, dataInLength: Int, canary: UInt8) throws
            -> SimulatedKernel.Completion
        {
            kernel.fillFreeDataArea(with: canary)
            let id = try kernel.submit(cdb: cdb, dataOut: dataOut, dataInLength: dataInLength)
            runner.serviceRing()
            return try #require(try kernel.reap().first { $0.id == id })
        }
    }

    static func parameters(_ config: String, size: UInt64) -> DeviceOpenParameters {
        DeviceOpenParameters(
            config: config, fullConfigString: config, deviceName: "d", hba: "0", sizeInBytes: size,
            blockSize: 512,
            maxSectors: 128, unitSerial: "s",
            logger: Logger(label: "t", factory: { _ in SwiftLogNoOpLogHandler() }))
    }

    enum Kind: String, CaseIterable { case file, qcow, fbo, zbc }

    static func open(_ kind: Kind, in dir: URL) throws -> any EmulatedDevice {
        let path = dir.appendingPathComponent("\(kind).img").path
        switch kind {
        case .file: return try FileHandler().open(parameters(path, size: 1 << 20))
        case .qcow:
            _ = try runTool("/usr/bin/qemu-img", ["create", "-q", "-f", "qcow2", path, "1M"])
            return try QcowHandler().open(parameters(path, size: 1 << 20))
        case .fbo: return try FBOHandler().open(parameters(path, size: 1 << 20))
        case .zbc: return try ZBCHandler().open(parameters("zsize-1@" + path, size: 8 << 20))
        }
    }

    /// Opens a `kind` device on a fresh image, serves it through a simulated kernel with its unit
    /// attentions taken, and runs `body` with it and its table's rows.
    static func withServed(
        _ kind: Kind, capabilities: TCMUABI.Capabilities? = nil, _ body: (Served, [Row]) throws -> Void
    ) throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent(
            "emud-stale-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let device = try open(kind, in: dir)
        defer { device.close() }
        let served = try Served(device, capabilities: capabilities)
        let spc = try #require(device as? any SPCDevice)
        for _ in 0..<3 { _ = try served.run([0, 0, 0, 0, 0, 0], dataInLength: 0, canary: 0) }  // unit attentions
        try body(served, rows(spc))
    }

    @Test(arguments: Kind.allCases, [true, false])
    func noCanaryByteComesBackFromAnyRow(kind: Kind, readLength: Bool) throws {
        let capabilities: TCMUABI.Capabilities =
            readLength ? [.outOfOrderCompletion, .readLength, .taskManagement] : [.outOfOrderCompletion, .taskManagement]
        try Self.withServed(kind, capabilities: capabilities) { served, rows in
            #expect(rows.count > 20)
            var commands = 0
            for row in rows {
                for cdb in Self.cdbs(row) {
                    // A one-way buffer of 4 KiB, whatever the row's direction (LIO passthrough sizes it from
                    // the initiator): three runs over canaries A5h, 5Ah, A5h.
                    let a = try served.run(cdb, dataInLength: 4096, canary: 0xA5)
                    let b = try served.run(cdb, dataInLength: 4096, canary: 0x5A)
                    let c = try served.run(cdb, dataInLength: 4096, canary: 0xA5)
                    let stale =
                        Self.staleBytes(a.dataIn, b.dataIn, 0xA5, 0x5A)
                        + Self.staleBytes(b.dataIn, c.dataIn, 0x5A, 0xA5)
                    #expect(
                        stale == 0,
                        "\(kind) \(row.name) CDB \(cdb.map { String(format: "%02x", $0) }.joined()): \(stale) stale bytes"
                    )
                    commands += 3
                }
            }
            #expect(commands >= rows.count * 9)
        }
    }

    /// A command that produced no Data-In reports READ_LEN 1 and zeroes that byte: the kernel copies one
    /// zero byte and reports the rest as residual (a read_len of 0 counts as not reported, and the kernel
    /// would copy the whole buffer, which would then have to be zeroed in full). Without the READ_LEN
    /// capability the whole buffer comes back zeroed.
    @Test func aCommandThatProducedNothingReturnsOneZeroByte() throws {
        try Self.withServed(.file) { served, _ in
            let tur = try served.run([0, 0, 0, 0, 0, 0], dataInLength: 4096, canary: 0xA5)
            #expect(tur.status == 0 && tur.dataIn == [0] && tur.residual == 4095)
            let write = try served.run([0x2A, 0, 0, 0, 0, 8, 0, 0, 1, 0], dataInLength: 512, canary: 0xA5)
            #expect(write.status == 0 && write.dataIn == [0] && write.residual == 511)
        }
        try Self.withServed(.file, capabilities: [.outOfOrderCompletion]) { served, _ in
            let tur = try served.run([0, 0, 0, 0, 0, 0], dataInLength: 4096, canary: 0xA5)
            #expect(tur.status == 0 && tur.dataIn == [UInt8](repeating: 0, count: 4096) && tur.residual == 0)
        }
    }

    /// A bidirectional buffer pair on a row that is not bidirectional (every row of the four tables) is
    /// refused before the handler runs, and its Data-In side comes back without a canary byte.
    @Test(arguments: Kind.allCases)
    func bidirectionalBuffersOnAOneWayRowAreRefused(kind: Kind) throws {
        try Self.withServed(kind) { served, rows in
            for row in rows where row.direction != .bidirectional {
                let cdb = Self.cdbs(row)[0]
                let r = try served.run(
                    cdb, dataOut: [UInt8](repeating: 0x77, count: 512), dataInLength: 4096, canary: 0xA5)
                #expect(r.status == 0x02, "\(kind) \(row.name)")
                // Fixed or descriptor sense: ILLEGAL REQUEST, 24/00 (or a unit attention / not ready first).
                let key =
                    r.sense.first.map { $0 & 0x7F == 0x72 ? r.sense[1] & 0x0F : r.sense[2] & 0x0F } ?? 0
                #expect(key == 0x05 || key == 0x06 || key == 0x02, "\(kind) \(row.name): sense key \(key)")
                #expect(!r.dataIn.contains(0xA5) || r.dataIn.isEmpty, "\(kind) \(row.name)")
            }
        }
    }

    /// A WRITE handed a Data-In buffer (an initiator's SG_IO with the wrong direction: LIO's passthrough
    /// keeps the fabric's direction). What comes back to the initiator is zeroed; what is written is not
    /// refused, and cannot be: the TCMU entry has no direction field (target_core_user.h: `iov_cnt` counts
    /// the iovecs of Data-Out *or* of a one-way Data-In, `iov_bidi_cnt` only a bidirectional command's
    /// Data-In), and queue_cmd_ring (target_core_user.c) fills the same entry either way, only skipping the
    /// copy into the data area for DMA_FROM_DEVICE, so the buffer holds whatever the block held before. No
    /// other word of the entry or mailbox differs. Poisoning freed blocks would not close it either: a
    /// block that carried a Data-In reply cannot be poisoned before the completion (the reply is in it) nor
    /// after (the kernel may already have handed it to the next command). Kept as a known issue of the ABI.
    @Test func writeHandedADataInBufferReturnsNoCanary() throws {
        try Self.withServed(.file) { served, _ in
            let write = try served.run(
                [0x2A, 0, 0, 0, 0, 8, 0, 0, 1, 0], dataInLength: 512, canary: 0xA5)
            #expect(write.status == 0)
            #expect(!write.dataIn.contains(0xA5))
            let read = try served.run([0x28, 0, 0, 0, 0, 8, 0, 0, 1, 0], dataInLength: 512, canary: 0x00)
            withKnownIssue(
                "a TCMU entry has no direction field (iov_cnt is Data-Out or a one-way Data-In): the stale Data-In buffer is written"
            ) {
                #expect(!read.dataIn.contains(0xA5))
            }
        }
    }
}
