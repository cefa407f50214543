import SCSIEmu
import Sense
import Testing
import TestSupport

@Suite("REQUEST SENSE")
struct RequestSenseTests {
    /// No condition: fixed format NO SENSE (SPC-5 §4.4.3): 70h, key 0, ADDITIONAL SENSE LENGTH 0Ah.
    @Test func noSenseFixed() {
        let out = run(TestDisk(), [0x03, 0x00, 0x00, 0x00, 0xFF, 0x00])
        #expect(out.status == .good)
        #expect(out.data == [0x70, 0x00, 0x00, 0, 0, 0, 0, 0x0A, 0, 0, 0, 0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00])
    }

    /// DESC = 1: descriptor format (SPC-5 §4.4.2): 72h, key, ASC, ASCQ, ADDITIONAL SENSE LENGTH 0.
    @Test func noSenseDescriptor() {
        let out = run(TestDisk(), [0x03, 0x01, 0x00, 0x00, 0xFF, 0x00])
        #expect(out.data == [0x72, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00])
    }

    /// A pending unit attention is the parameter data (GOOD status), and is cleared.
    @Test func reportsAndClearsUnitAttention() {
        let d = TestDisk()
        d.unit.raiseUnitAttention(.modeParametersChanged)
        let out = run(d, [0x03, 0x00, 0x00, 0x00, 0xFF, 0x00])
        #expect(out.status == .good)
        #expect(out.data == [0x70, 0x00, 0x06, 0, 0, 0, 0, 0x0A, 0, 0, 0, 0, 0x2A, 0x01, 0x00, 0x00, 0x00, 0x00])
        #expect(run(d, [0x00, 0, 0, 0, 0, 0]).status == .good)
    }

    /// Formatting: NOT READY 04/04 with the progress indication (SKSV, progress 8000h) as parameter data.
    @Test func reportsFormatProgress() {
        let d = TestDisk()
        d.unit.setCondition(.formatting(progress: 0x8000))
        let out = run(d, [0x03, 0x00, 0x00, 0x00, 0xFF, 0x00])
        #expect(out.status == .good)
        #expect(out.data == [0x70, 0x00, 0x02, 0, 0, 0, 0, 0x0A, 0, 0, 0, 0, 0x04, 0x04, 0x00, 0x80, 0x80, 0x00])
    }

    @Test func reportsStoppedUnit() {
        let d = TestDisk()
        d.unit.setCondition(.stopped)
        let out = run(d, [0x03, 0x01, 0x00, 0x00, 0xFF, 0x00])
        #expect(out.data == [0x72, 0x02, 0x04, 0x02, 0x00, 0x00, 0x00, 0x00])
    }

    @Test func truncatedToAllocationLength() {
        let out = run(TestDisk(), [0x03, 0x00, 0x00, 0x00, 0x08, 0x00])
        #expect(out.result.dataInLength == 8)
        #expect(out.data == [0x70, 0x00, 0x00, 0, 0, 0, 0, 0x0A])
        #expect(run(TestDisk(), [0x03, 0x00, 0x00, 0x00, 0x00, 0x00]).result.dataInLength == 0)
    }
}
