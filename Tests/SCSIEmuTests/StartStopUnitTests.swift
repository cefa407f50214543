import SCSIEmu
import Sense
import Testing
import TestSupport

@Suite("START STOP UNIT and PREVENT ALLOW MEDIUM REMOVAL")
struct StartStopUnitTests {
    static let tur: [UInt8] = [0x00, 0, 0, 0, 0, 0]

    @Test func stopFlushesThenStartMakesReady() {
        let d = TestDisk()
        #expect(run(d, [0x1B, 0x00, 0, 0, 0x00, 0]).status == .good)
        #expect(d.flushes.load(ordering: .relaxed) == 1)
        #expect(d.unit.condition == .stopped)
        #expect(run(d, Self.tur).sense == Sense(.notReady, .logicalUnitNotReadyInitializingCommandRequired))
        #expect(run(d, [0x1B, 0x01, 0, 0, 0x01, 0]).status == .good)  // IMMED, START
        #expect(run(d, Self.tur).status == .good)
    }

    @Test func noFlushSkipsTheFlush() {
        let d = TestDisk()
        #expect(run(d, [0x1B, 0x00, 0, 0, 0x04, 0]).status == .good)
        #expect(d.flushes.load(ordering: .relaxed) == 0)
        #expect(d.unit.condition == .stopped)
    }

    @Test func loadEjectIgnoredOnADisk() {
        let d = TestDisk()
        #expect(run(d, [0x1B, 0x00, 0, 0, 0x03, 0]).status == .good)
        #expect(d.unit.condition == .ready)
    }

    @Test func powerConditionsAreNotSupported() {
        #expect(run(TestDisk(), [0x1B, 0x00, 0, 0, 0x10, 0]).sense == invalidCDB(4, 4))  // ACTIVE
        #expect(run(TestDisk(), [0x1B, 0x00, 0, 0x01, 0x00, 0]).sense == invalidCDB(3, 0))  // modifier
    }

    @Test func preventAllow() {
        let d = TestDisk()
        #expect(run(d, [0x1E, 0, 0, 0, 0x01, 0]).status == .good)
        #expect(d.unit.withState { $0.preventRemoval } == 1)
        #expect(run(d, [0x1E, 0, 0, 0, 0x00, 0]).status == .good)
        #expect(d.unit.withState { $0.preventRemoval } == 0)
        #expect(run(d, [0x1E, 0, 0, 0, 0x02, 0]).sense == invalidCDB(4, 1))  // obsolete value
    }
}
