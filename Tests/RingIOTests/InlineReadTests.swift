import Foundation
import Logging
import RingIO
import SCSIEmu
import Testing
import TestSupport

/// The ring thread serves cached reads itself when it would hand them to a worker
/// (RingServiceLoop+Inline): each read completes once, with its own bytes, whether served there or
/// declined and run on a worker.
@Suite struct InlineReadTests {
    /// A 1 MiB disk of 512-byte blocks over `store`, its pages filled with `TestPattern` (seed: page).
    struct Rig {
        let kernel: SimulatedKernel
        let runner: RingServiceLoop
        let device: BlockDevice
        let store: PartlyCachedStore

        init(cachedPages: Set<UInt64>, ioWorkers: Int = 2, inlineReads: Bool = true) throws {
            let store = try PartlyCachedStore(size: 1 << 20, cachedPages: cachedPages)
            for page in 0..<16 {
                let bytes = OwnedDataBuffer(Self.page(page))
                try withExtendedLifetime(bytes) { try store.inner.write(from: bytes.view, 0..<4096, at: UInt64(page) * 4096) }
            }
            self.store = store
            var c = BlockDeviceConfiguration()
            c.blockSize = 512
            device = try BlockDevice(store: store, configuration: c)
            kernel = try SimulatedKernel()
            runner = RingServiceLoop(
                name: "inline", device: device, ring: try kernel.makeRing(), doorbell: kernel.doorbell,
                ioWorkers: ioWorkers, inlineReads: inlineReads, logger: CapturedLog().logger(level: .info))
        }

        static func page(_ n: Int) -> [UInt8] { TestPattern.bytes(4096, seed: UInt8(n)) }

        /// Submits a 4 KiB READ of each page (before the runner starts: one batch), runs them and
        /// returns the completions by page; expects each exactly once, GOOD, with the page's bytes.
        func readPages(_ pages: [Int]) throws {
            var pageOf: [UInt16: Int] = [:]
            for p in pages {
                let id = try kernel.submit(cdb: TestCDB.read10(lba: UInt32(p * 8), blocks: 8), dataInLength: 4096, notify: false)
                pageOf[id] = p
            }
            kernel.notifyUser()
            runner.start()
            let done = try kernel.collect(pages.count, within: 10_000)
            // Nothing more comes: no command completed twice.
            let late = try kernel.collect(1, within: 50)
            runner.stop()
            #expect(done.count == pages.count && late.isEmpty)
            #expect(Set(done.map(\.id)) == Set(pageOf.keys))
            for c in done {
                let p = try #require(pageOf[c.id])
                #expect(c.status == 0 && c.residual == 0 && c.dataIn == Self.page(p), "page \(p)")
            }
            #expect(kernel.brokenReason == nil && kernel.commandsInFlight == 0)
        }

        var counts: [Int] { store.counts }
    }

    @Test func cachedReadsAreServedOnTheRingThreadTheOthersByTheWorkers() throws {
        let rig = try Rig(cachedPages: [0, 1, 2, 3])
        try rig.readPages(Array(0..<8))
        // [served without blocking, declined, blocking reads]: the four misses read once each, by a worker.
        #expect(rig.counts == [4, 4, 4])
    }

    @Test func offReadsEveryCommandOnTheWorkers() throws {
        let rig = try Rig(cachedPages: [0, 1, 2, 3], inlineReads: false)
        try rig.readPages(Array(0..<8))
        #expect(rig.counts == [0, 0, 8])
    }

    @Test func aLoneReadRunsOnTheRingThreadWithoutATry() throws {
        let rig = try Rig(cachedPages: [0])
        try rig.readPages([0])
        #expect(rig.counts == [0, 0, 1])
    }

    @Test func noTryWhileAFaultRuleIsArmed() throws {
        let rig = try Rig(cachedPages: [0, 1, 2, 3])
        try rig.device.unit.faults.add(try FaultRuleParser.parse(["busy", "on=0x00"]))
        try rig.readPages(Array(0..<4))
        #expect(rig.counts == [0, 0, 4])
    }

    @Test func withoutWorkersEveryReadRunsWhereItIsDrained() throws {
        let rig = try Rig(cachedPages: [0, 1], ioWorkers: 0)
        try rig.readPages(Array(0..<4))
        #expect(rig.counts == [0, 0, 4])
    }
}
