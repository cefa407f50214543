import SCSIEmu
import Sense
import Testing
import TestSupport

@Suite("Command table dispatch")
struct DispatcherTests {
    static let tur: [UInt8] = [0x00, 0, 0, 0, 0, 0]
    static let inquiry: [UInt8] = [0x12, 0, 0, 0, 0xFF, 0]

    @Test func unknownOpcode() {
        let out = run(TestDisk(), [0x28, 0, 0, 0, 0, 0, 0, 0, 1, 0])
        #expect(out.status == .checkCondition)
        #expect(out.sense == Sense(.illegalRequest, .invalidCommandOperationCode))
    }

    @Test func unknownServiceAction() {
        let out = run(TestDisk(), [0xA3, 0x1F, 0, 0, 0, 0, 0, 0, 0x10, 0, 0, 0])
        #expect(out.sense == invalidCDB(1, 4))
    }

    @Test func controlByteNACAIsRejected() {
        #expect(run(TestDisk(), [0x00, 0, 0, 0, 0, 0x04]).sense == invalidCDB(5, 2))
    }

    @Test func unitAttentionReportedOnceThenCleared() {
        let d = TestDisk()
        d.unit.raiseUnitAttention(.powerOnResetOrBusDeviceResetOccurred)
        let first = run(d, Self.tur)
        #expect(first.status == .checkCondition)
        #expect(first.sense == Sense(.unitAttention, .powerOnResetOrBusDeviceResetOccurred))
        #expect(run(d, Self.tur).status == .good)
    }

    @Test func unitAttentionsInOrder() {
        let d = TestDisk()
        d.unit.raiseUnitAttention(.powerOnResetOrBusDeviceResetOccurred)
        d.unit.raiseUnitAttention(.capacityDataHasChanged)
        d.unit.raiseUnitAttention(.powerOnResetOrBusDeviceResetOccurred)  // duplicate: not queued
        #expect(run(d, Self.tur).sense?.code == .powerOnResetOrBusDeviceResetOccurred)
        #expect(run(d, Self.tur).sense?.code == .capacityDataHasChanged)
        #expect(run(d, Self.tur).status == .good)
    }

    @Test func inquiryIsExemptFromUnitAttention() {
        let d = TestDisk()
        d.unit.raiseUnitAttention(.capacityDataHasChanged)
        let out = run(d, Self.inquiry)
        #expect(out.status == .good)
        #expect(out.data.count == 96)
        #expect(run(d, Self.tur).sense == Sense(.unitAttention, .capacityDataHasChanged))
    }

    @Test func notReadyPerCondition() {
        let cases: [(DeviceCondition, Sense)] = [
            (.stopped, Sense(.notReady, .logicalUnitNotReadyInitializingCommandRequired)),
            (.formatting(progress: 0x8000), Sense(.notReady, .logicalUnitNotReadyFormatInProgress, keySpecific: .progress(0x8000))),
            (.sanitizing(progress: 0x1234), Sense(.notReady, .logicalUnitNotReadySanitizeInProgress, keySpecific: .progress(0x1234))),
            (.noMedium(trayOpen: true), Sense(.notReady, .mediumNotPresentTrayOpen)),
            (.noMedium(trayOpen: false), Sense(.notReady, .mediumNotPresentTrayClosed)),
            (.becomingReady, Sense(.notReady, .logicalUnitIsInProcessOfBecomingReady)),
        ]
        for (condition, sense) in cases {
            let d = TestDisk()
            d.unit.setCondition(condition)
            let out = run(d, Self.tur)
            #expect(out.status == .checkCondition, "\(condition)")
            #expect(out.sense == sense, "\(condition)")
            #expect(run(d, Self.inquiry).status == .good, "INQUIRY in \(condition)")
        }
    }

    @Test func modeSenseRunsWhileStoppedButNotWhileFormatting() {
        let d = TestDisk()
        d.unit.setCondition(.stopped)
        #expect(run(d, [0x1A, 0x08, 0x08, 0x00, 0xFF, 0x00]).status == .good)
        d.unit.setCondition(.formatting(progress: 0))
        #expect(run(d, [0x1A, 0x08, 0x08, 0x00, 0xFF, 0x00]).sense?.code == .logicalUnitNotReadyFormatInProgress)
    }

    /// The generated walk: every bit outside every row's usage data is rejected at that byte and bit.
    @Test func usageMasksEnforced() {
        expectUsageMaskEnforced(table: TestDisk.table, device: TestDisk())
    }

    @Test func shortCDBIsRejected() {
        #expect(run(TestDisk(), [0x12, 0x00, 0x00]).sense == invalidCDB(0, 7))
    }
}
