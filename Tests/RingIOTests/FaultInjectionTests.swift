import Foundation
import Logging
import RingIO
import SCSIEmu
import Sense
import TestSupport
import Testing

/// A disk (512-byte blocks, in memory) behind a simulated kernel ring, for the fault actions.
struct FaultRig {
    let kernel: SimulatedKernel
    let runner: RingServiceLoop
    let device: BlockDevice
    let log = CapturedLog()
    var faults: FaultInjector { device.unit.faults }

    init(name: String = "disk", ioWorkers: Int = 0) throws {
        var c = BlockDeviceConfiguration()
        c.blockSize = 512
        device = try BlockDevice(store: try MemoryStore(size: 1 << 20), configuration: c)
        kernel = try SimulatedKernel()
        runner = RingServiceLoop(
            name: name, device: device, ring: try kernel.makeRing(), doorbell: kernel.doorbell, ioWorkers: ioWorkers,
            logger: log.logger(level: .debug))
    }

    func add(_ rule: String) throws {
        try faults.add(try FaultRuleParser.parse(rule.split(separator: " ").map(String.init)))
    }

    /// Submits one command, services the ring once, reaps.
    func run(_ cdb: [UInt8], dataOut: [UInt8]? = nil, dataIn: Int = 0) throws -> [SimulatedKernel.Completion] {
        try kernel.submit(cdb: cdb, dataOut: dataOut, dataInLength: dataIn)
        runner.serviceRing()
        return try kernel.reap()
    }

    /// Waits (bounded) for `count` completions, servicing the ring as the ring thread would.
    func collect(_ count: Int, within milliseconds: Int = 5000) throws -> [SimulatedKernel.Completion] {
        try kernel.collect(count, within: milliseconds, servicing: runner)
    }
}

@Suite struct FaultActionTests {
    @Test func mediumErrorTransfersTheBlocksBeforeTheFailingLBAFixedAndDescriptor() throws {
        let rig = try FaultRig()
        let pattern = (0..<4096).map { UInt8(truncatingIfNeeded: $0 * 7) }
        #expect(try rig.run(TestCDB.write10(lba: 96, blocks: 8), dataOut: pattern).first?.status == 0)
        try rig.add("sense 3/11/00 on=read lba=100+8")
        let c = try #require(try rig.run(TestCDB.read10(lba: 96, blocks: 8), dataIn: 4096).first)
        #expect(c.status == 0x02)
        #expect(Array(c.sense.prefix(18)) == TestSense.fixed(3, 0x11, 0x00, information: 100))
        #expect(c.dataIn == Array(pattern.prefix(2048)) && c.residual == 2048)
        // D_SENSE: the same as descriptor sense with an information descriptor.
        rig.device.unit.withState { $0.senseFormat = .descriptor }
        let d = try #require(try rig.run(TestCDB.read10(lba: 104, blocks: 2), dataIn: 1024).first)
        #expect(Array(d.sense.prefix(20)) == [0x72, 3, 0x11, 0x00, 0, 0, 0, 12, 0x00, 0x0A, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 104])
        #expect(d.dataIn.isEmpty)
        // Writes and reads elsewhere are untouched; the rule counted two matches and two firings.
        #expect(try rig.run(TestCDB.read10(lba: 0, blocks: 1), dataIn: 512).first?.status == 0)
        let installed = try #require(rig.faults.rules.first)
        #expect(installed.matched == 2 && installed.fired == 2)
        #expect(rig.log.all.filter { $0.hasPrefix("debug fault 1 fired: sense 3/11/00") }.count == 2)
    }

    @Test func recoveredErrorStillTransfersTheData() throws {
        let rig = try FaultRig()
        let pattern = [UInt8](repeating: 0x5A, count: 1024)
        _ = try rig.run(TestCDB.write10(lba: 5, blocks: 2), dataOut: pattern)
        try rig.add("recovered on=read times=1")
        let c = try #require(try rig.run(TestCDB.read10(lba: 5, blocks: 2), dataIn: 1024).first)
        #expect(c.status == 0x02 && Array(c.sense.prefix(18)) == TestSense.fixed(1, 0x17, 0x01, information: 5))
        #expect(c.dataIn == pattern && c.residual == 0)
        #expect(try rig.run(TestCDB.read10(lba: 5, blocks: 2), dataIn: 1024).first?.status == 0)  // times=1 spent
    }

    @Test(arguments: [("busy", UInt8(0x08)), ("task-set-full", 0x28), ("reservation-conflict", 0x18)])
    func statusWithoutSense(word: String, status: UInt8) throws {
        let rig = try FaultRig()
        try rig.add("\(word) on=0x00")
        let c = try #require(try rig.run(testUnitReady).first)
        #expect(c.status == status && c.sense.isEmpty)
        #expect(try rig.run(TestCDB.read10(lba: 0, blocks: 1), dataIn: 512).first?.status == 0)
    }

    @Test func shortTransferSetsTheResidual() throws {
        let rig = try FaultRig()
        try rig.add("short 1000 on=0x28")
        let c = try #require(try rig.run(TestCDB.read10(lba: 0, blocks: 4), dataIn: 2048).first)
        #expect(c.status == 0 && c.dataIn.count == 1000 && c.residual == 1048)
    }

    @Test(arguments: [
        ("power-on", UInt8(0x29), UInt8(0x00)), ("capacity-changed", 0x2A, 0x09), ("mode-changed", 0x2A, 0x01),
        ("luns-changed", 0x3F, 0x0E), ("medium-changed", 0x28, 0x00),
    ])
    func unitAttentionIsOneShot(name: String, asc: UInt8, ascq: UInt8) throws {
        let rig = try FaultRig()
        try rig.add("ua \(name)")
        let c = try #require(try rig.run(testUnitReady).first)
        #expect(c.status == 0x02 && Array(c.sense.prefix(18)) == TestSense.fixed(6, asc, ascq))
        #expect(try rig.run(testUnitReady).first?.status == 0)
    }

    @Test func goneAnswersNotReadyUntilCleared() throws {
        let rig = try FaultRig()
        try rig.add("gone 04/02")
        for _ in 0..<3 {
            let c = try #require(try rig.run(testUnitReady).first)
            #expect(c.status == 0x02 && Array(c.sense.prefix(18)) == TestSense.fixed(2, 0x04, 0x02))
        }
        #expect(try rig.faults.clear() == 1)
        #expect(try rig.run(testUnitReady).first?.status == 0)
    }

    @Test func everyAfterAndSeededProbabilityAreDeterministic() throws {
        let rig = try FaultRig()
        try rig.add("busy on=0x00 after=2 every=3")
        var statuses: [UInt8] = []
        for _ in 0..<10 { statuses.append(try #require(try rig.run(testUnitReady).first).status) }
        #expect(statuses == [0, 0, 0, 0, 8, 0, 0, 8, 0, 0])
        // The same seed fires on the same commands; about half of 200 fire at prob=0.5.
        func firings(seed: Int) throws -> [Int] {
            let r = try FaultRig()
            try r.add("busy prob=0.5 seed=\(seed)")
            return try (0..<200).filter { _ in try r.run(testUnitReady).first?.status == 8 }
        }
        let a = try firings(seed: 7), b = try firings(seed: 7), c = try firings(seed: 8)
        #expect(a == b && a != c && (60...140).contains(a.count))
    }
}

@Suite struct FaultDeferralTests {
    @Test func delayedReadDoesNotHoldUpOtherCommandsOrDevices() throws {
        let slow = try FaultRig(name: "slow"), other = try FaultRig(name: "other")
        try slow.add("delay 1500 on=read")
        let readID = try slow.kernel.submit(cdb: TestCDB.read10(lba: 0, blocks: 1), dataInLength: 512)
        try slow.kernel.submit(cdb: testUnitReady)
        slow.runner.serviceRing()
        // The TUR behind the delayed READ completes now; so does the other device's command.
        let first = try slow.kernel.reap()
        #expect(first.map(\.status) == [0] && first.first?.id != readID)
        #expect(try other.run(TestCDB.read10(lba: 0, blocks: 1), dataIn: 512).first?.status == 0)
        #expect(slow.kernel.commandsInFlight == 1)
        // The READ completes later, GOOD with its data.
        let late = try slow.collect(1)
        #expect(late.map(\.id) == [readID] && late.first?.status == 0 && late.first?.dataIn.count == 512)
    }

    @Test func heldCommandIsAnsweredAbortedWhenTheAbortArrives() throws {
        let rig = try FaultRig()
        try rig.add("hang on=read times=1")
        let held = try rig.kernel.submit(cdb: TestCDB.read10(lba: 0, blocks: 1), dataInLength: 512)
        rig.runner.serviceRing()
        #expect(try rig.kernel.reap().isEmpty)
        #expect(try rig.run(testUnitReady).first?.status == 0)  // the device still answers
        try rig.kernel.submitTMR(type: .abortTask, ids: [held])
        rig.runner.serviceRing()
        let c = try rig.kernel.reap()
        #expect(c.map(\.id) == [held] && c.first?.status == 0x40)
        #expect(rig.log.all.contains { $0.contains("cmd \(held) held by fault 1 released by TMR") })
        // The next READ works (times=1).
        #expect(try rig.run(TestCDB.read10(lba: 0, blocks: 1), dataIn: 512).first?.status == 0)
        #expect(rig.kernel.commandsInFlight == 0 && rig.kernel.brokenReason == nil)
    }

    /// A READ held by `hang abort-fails` whose ABORT TASK was ignored: nothing completed yet.
    private func readHeldThroughAFailedAbort() throws -> (FaultRig, UInt16) {
        let rig = try FaultRig()
        try rig.add("hang abort-fails on=read")
        let held = try rig.kernel.submit(cdb: TestCDB.read10(lba: 0, blocks: 1), dataInLength: 512)
        rig.runner.serviceRing()
        try rig.kernel.submitTMR(type: .abortTask, ids: [held])
        rig.runner.serviceRing()
        #expect(try rig.kernel.reap().isEmpty)
        return (rig, held)
    }

    @Test func abortFailsHoldsThroughTheAbortUntilTheLUNReset() throws {
        let (rig, held) = try readHeldThroughAFailedAbort()
        try rig.kernel.submitTMR(type: .lunReset, ids: [held])
        rig.runner.serviceRing()
        #expect(try rig.kernel.reap().map(\.status) == [0x40])
    }

    /// In the kernel VM (61-fault-hang) TCMU's cmd_time_out expires the held command while LIO's abort
    /// waits: the LUN reset that follows names no command. The reset still ends every held command, or
    /// its ring slot and data area would stay taken until the daemon stops.
    @Test func aLUNResetNamingNoCommandReleasesEveryHeldOne() throws {
        let (rig, held) = try readHeldThroughAFailedAbort()
        try rig.kernel.submitTMR(type: .lunReset, ids: [])
        rig.runner.serviceRing()
        let c = try rig.kernel.reap()
        #expect(c.map(\.id) == [held] && c.first?.status == 0x40)
        #expect(rig.log.all.contains { $0.contains("cmd \(held) held by fault 1 released by TMR lunReset") })
        #expect(rig.kernel.commandsInFlight == 0 && rig.kernel.brokenReason == nil)
    }

    @Test func clearingTheRuleRunsTheHeldCommand() throws {
        let rig = try FaultRig()
        _ = try rig.run(TestCDB.write10(lba: 3, blocks: 1), dataOut: [UInt8](repeating: 0xA5, count: 512))
        try rig.add("gone hang")
        let held = try rig.kernel.submit(cdb: TestCDB.read10(lba: 3, blocks: 1), dataInLength: 512)
        rig.runner.serviceRing()
        #expect(try rig.kernel.reap().isEmpty)
        _ = try rig.faults.clear()
        let c = try rig.collect(1)
        #expect(c.map(\.id) == [held] && c.first?.status == 0 && c.first?.dataIn == [UInt8](repeating: 0xA5, count: 512))
    }

    /// A held WRITE runs again when its rule is cleared, with its Data-Out as the initiator sent it: the
    /// stale-data guard leaves a held command's buffer alone (it used to zero it before holding it, so
    /// the re-run wrote zeros, or a zeroed first byte).
    @Test func aHeldWriteRunsWithItsDataOutIntact() throws {
        let rig = try FaultRig()
        try rig.add("hang on=write times=1")
        let pattern = (0..<1024).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ 1) }
        let held = try rig.kernel.submit(cdb: TestCDB.write10(lba: 5, blocks: 2), dataOut: pattern)
        rig.runner.serviceRing()
        #expect(try rig.kernel.reap().isEmpty)
        _ = try rig.faults.clear()
        #expect(try rig.collect(1).map { [Int($0.id), Int($0.status)] } == [[Int(held), 0]])
        #expect(try rig.run(TestCDB.read10(lba: 5, blocks: 2), dataIn: 1024).first?.dataIn == pattern)
    }
}

@Suite struct BadBlockTests {
    @Test func badBlocksFailReadsUntilWrittenAndSurviveAReopenInTheSidecar() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("emud-bad-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let sidecar = dir.appendingPathComponent("disk.bad").path
        let rig = try FaultRig()
        try rig.faults.useSidecar(sidecar)
        try rig.add("bad lba=10+2")
        #expect(try String(contentsOfFile: sidecar, encoding: .utf8).hasSuffix("\n10 2\n"))
        let c = try #require(try rig.run(TestCDB.read10(lba: 8, blocks: 4), dataIn: 2048).first)
        #expect(c.status == 2 && Array(c.sense.prefix(18)) == TestSense.fixed(3, 0x11, 0x00, information: 10) && c.dataIn.count == 1024)
        // VERIFY(10) reads the medium too.
        let v = try #require(try rig.run([0x2F, 0, 0, 0, 0, 11, 0, 0, 1, 0]).first)
        #expect(v.status == 2 && Array(v.sense.prefix(18)) == TestSense.fixed(3, 0x11, 0x00, information: 11))
        // Writing block 10 repairs it: now 11 is the first bad block.
        #expect(try rig.run(TestCDB.write10(lba: 10, blocks: 1), dataOut: [UInt8](repeating: 1, count: 512)).first?.status == 0)
        let d = try #require(try rig.run(TestCDB.read10(lba: 8, blocks: 4), dataIn: 2048).first)
        #expect(Array(d.sense.prefix(18)) == TestSense.fixed(3, 0x11, 0x00, information: 11) && d.dataIn.count == 1536)
        #expect(try String(contentsOfFile: sidecar, encoding: .utf8).hasSuffix("\n11 1\n"))
        // A new device over the same sidecar (a daemon restart) still fails block 11.
        let reopened = try FaultRig()
        try reopened.faults.useSidecar(sidecar)
        let e = try #require(try reopened.run(TestCDB.read10(lba: 11, blocks: 1), dataIn: 512).first)
        #expect(e.status == 2 && Array(e.sense.prefix(18)) == TestSense.fixed(3, 0x11, 0x00, information: 11))
        #expect(try reopened.run(TestCDB.write10(lba: 11, blocks: 1), dataOut: [UInt8](repeating: 2, count: 512)).first?.status == 0)
        #expect(try reopened.run(TestCDB.read10(lba: 8, blocks: 4), dataIn: 2048).first?.status == 0)
        #expect(reopened.faults.badBlocks.isEmpty)
        #expect(try BadBlockMap.load(path: sidecar).isEmpty)
    }

    @Test func aWriteADelayRuleLetsRunStillRepairs() throws {
        let rig = try FaultRig()
        try rig.add("bad lba=4+1")
        try rig.add("delay 1 on=write")
        try rig.kernel.submit(cdb: TestCDB.write10(lba: 4, blocks: 1), dataOut: [UInt8](repeating: 3, count: 512))
        #expect(try rig.collect(1).first?.status == 0)
        #expect(rig.faults.badBlocks.isEmpty)
    }

    @Test func mapMergesAndSplitsRanges() {
        var m = BadBlockMap([5..<8, 8..<10, 20..<22])
        #expect(m.ranges == [5..<10, 20..<22])
        m.remove(6..<7)
        #expect(m.ranges == [5..<6, 7..<10, 20..<22] && m.firstBad(in: 6..<30) == 7 && m.firstBad(in: 10..<20) == nil)
    }
}

@Suite struct FaultRuleParserTests {
    @Test func rulesRoundTrip() throws {
        for text in [
            "sense 3/11/00 on=read lba=100+8 times=2", "busy every=10 after=5 prob=0.5 seed=7", "delay 20 on=write",
            "hang abort-fails on=0x28,0x9E/0x10", "ua 2A/09 times=1", "short 4096 zone=3", "recovered 18/00",
        ] {
            let rule = try FaultRuleParser.parse(text.split(separator: " ").map(String.init))
            #expect(rule.description == text)
        }
        #expect(try FaultRuleParser.parse(["ua", "medium-changed"]).action == .unitAttention(AdditionalSenseCode(asc: 0x28, ascq: 0)))
        #expect(try FaultRuleParser.parse(["bad", "lba=7-9"]).match.lbas == 7..<10)
        #expect(try FaultRuleParser.parse(["gone"]).action == .sense(.notReady, AdditionalSenseCode(asc: 4, ascq: 3)))
    }

    @Test(arguments: [
        ("frobnicate", "frobnicate"), ("sense 3/1G/00", "3/1G/00"), ("sense 13/11/00", "13/11/00"), ("sense", "sense"),
        ("busy lba=abc", "lba=abc"), ("busy color=red", "color=red"), ("delay 0", "0"), ("busy on=0x28/zz", "on=0x28/zz"),
        ("busy on=reads", "on=reads"), ("bad", "bad"), ("busy prob=2", "prob=2"), ("busy every=0", "every=0"),
        ("gone 3/00", "3/00"), ("hang forever", "forever"), ("busy lba=9-3", "lba=9-3"), ("busy 7", "7"),
    ])
    func errorsNameTheBadToken(text: String, token: String) {
        #expect(throws: FaultRuleError.self) { try FaultRuleParser.parse(text.split(separator: " ").map(String.init)) }
        do {
            _ = try FaultRuleParser.parse(text.split(separator: " ").map(String.init))
        } catch {
            #expect(error.token == token, "\(text): \(error)")
        }
    }

    @Test func rulesFileErrorsNameTheLine() throws {
        let f = FaultInjector()
        try f.load(rulesText: "# broken from the start\nbusy on=0x00 times=2\n\nbad lba=4+4  # unreadable\n")
        #expect(f.rules.count == 1 && f.badBlocks.ranges == [4..<8])
        #expect(throws: FaultRuleError(token: "lba=x", reason: "line 2: 'x' is not a number")) {
            try FaultInjector().load(rulesText: "busy\nsense 3/11/00 lba=x\n")
        }
        #expect(throws: FaultRuleError.self) { try FaultInjector().add(FaultRule(match: { var m = FaultMatch(); m.zone = 1; return m }(), action: .status(.busy))) }
    }

    @Test func zoneRuleMatchesOnlyThatZone() throws {
        let f = FaultInjector()
        f.setZoneBlocks(64)
        try f.add(try FaultRuleParser.parse(["sense", "3/11/00", "zone=2"]))
        func run(_ lba: UInt32, blocks: UInt16 = 1) -> CommandResult {
            var c = SCSICommand(cdb: CDB(TestCDB.read10(lba: lba, blocks: blocks))!)
            return f.inject(&c) { _ in CommandResult(status: .good) }
        }
        #expect(run(127).status == .good && run(192).status == .good)
        #expect(run(128).sense == Sense(.mediumError, .unrecoveredReadError, information: 128))
        #expect(run(120, blocks: 16).sense?.information == 128)  // straddles zones 1 and 2
        #expect(run(191).sense?.information == 191)
        #expect(f.rules.first?.matched == 3 && f.rules.first?.fired == 3)
    }

    @Test func configStringCarriesTheFaultOptionsForEveryHandler() throws {
        let c = try HandlerConfigString(parsing: "file//var/d.img;emud_faults=/etc/d.faults;tcmur_cmd_time_out=5;emud_badblocks=/var/d.bad")
        #expect(c.config == "/var/d.img" && c.faultsFile == "/etc/d.faults" && c.badBlocksFile == "/var/d.bad" && c.commandTimeout == 5)
        #expect(throws: ConfigError.self) { try HandlerConfigString(parsing: "file//var/d.img;emud_faults=rel.faults") }
    }

    @Test func controlWordsListCounters() throws {
        let f = FaultInjector()
        #expect(try FaultControl.respond(["add", "busy", "on=0x00"], faults: f) == "rule 1: busy on=0x00")
        #expect(try FaultControl.respond(["add", "bad", "lba=3+2"], faults: f) == "bad blocks: 3+2")
        #expect(FaultControl.listing(f) == "1 matched=0 fired=0 busy on=0x00\nbad 3+2")
        #expect(try FaultControl.respond(["clear", "1"], faults: f) == "cleared rule 1")
        #expect(throws: ControlError.self) { try FaultControl.respond(["clear", "9"], faults: f) }
        #expect(throws: ControlError.self) { try FaultControl.respond(["add", "busy", "lba=q"], faults: f) }
        #expect(try FaultControl.respond(["clear"], faults: f) == "cleared 1 rules and bad ranges")
        #expect(FaultControl.listing(f) == "no faults")
    }
}
