import Sense
import Testing
import TestSupport

@testable import SCSIEmu

/// GET EVENT STATUS NOTIFICATION: class choice, allocation lengths, no stale bytes.
@Suite struct OpticalEventTests {
    @Test func operationalChangeAtPowerOnReportedOnce() {
        let d = opticalDevice("ro/", image: OpticalImage(blocks: 16))
        // All supported classes requested: class 1 has the pending event (code 2h, report 0001h).
        #expect(run(d, gesnCDB(0x56)).data == [0x00, 0x04, 0x01, 0x56, 0x02, 0x00, 0x00, 0x01])
        // Nothing pending: the lowest requested class with "no change".
        #expect(run(d, gesnCDB(0x56)).data == [0x00, 0x04, 0x01, 0x56, 0x00, 0x00, 0x00, 0x00])
        // Power management: no change, active.
        #expect(run(d, gesnCDB(0x04)).data == [0x00, 0x04, 0x02, 0x56, 0x00, 0x01, 0x00, 0x00])
        // Device busy: not busy.
        #expect(run(d, gesnCDB(0x40)).data == [0x00, 0x04, 0x06, 0x56, 0x00, 0x00, 0x00, 0x00])
        // Only unsupported classes (external request, multi-host): NEA, no descriptor.
        let nea = run(d, gesnCDB(0x28))
        #expect(nea.data == [0x00, 0x00, 0x80, 0x56] && nea.result.dataInLength == 4)
        // Asynchronous mode is not supported.
        #expect(run(d, [0x4A, 0x00, 0, 0, 0x10, 0, 0, 0, 8, 0]).sense == invalidCDB(1, 0))
    }

    @Test func mediaEventWithAllocationLengths4And8And20() {
        let d = opticalDevice("ro/", image: OpticalImage(blocks: 16))
        _ = run(d, ejectCDB)
        _ = run(d, loadCDB)
        drainUnitAttentions(d)
        _ = run(d, gesnCDB(0x10))  // MediaRemoval

        // 4 bytes: the header alone; the NewMedia event stays pending; nothing past byte 4 touched.
        let (r4, b4) = runFilled(d, gesnCDB(0x10, alloc: 4), capacity: 20)
        #expect(r4.status == .good && r4.dataInLength == 4)
        #expect(b4 == [0x00, 0x04, 0x04, 0x56] + [UInt8](repeating: 0xEE, count: 16))
        // 8 bytes: header + descriptor; the event is consumed.
        let (r8, b8) = runFilled(d, gesnCDB(0x10, alloc: 8), capacity: 20)
        #expect(r8.dataInLength == 8)
        #expect(b8 == [0x00, 0x04, 0x04, 0x56, 0x02, 0x02, 0, 0] + [UInt8](repeating: 0xEE, count: 12))
        // 20 bytes: still 8 produced (READ_LEN 8), the rest of the buffer untouched.
        let (r20, b20) = runFilled(d, gesnCDB(0x10, alloc: 20), capacity: 20)
        #expect(r20.dataInLength == 8)
        #expect(b20 == [0x00, 0x04, 0x04, 0x56, 0x00, 0x02, 0, 0] + [UInt8](repeating: 0xEE, count: 12))
        // Allocation 0: nothing produced, nothing touched. (The kernel copies the whole buffer when
        // READ_LEN is 0; the ring zeroes it before completing: RingIO StaleDataGuard, StaleDataTests.)
        let (r0, b0) = runFilled(d, gesnCDB(0x10, alloc: 0), capacity: 8)
        #expect(r0.dataInLength == 0 && b0 == [UInt8](repeating: 0xEE, count: 8))
    }

    @Test func unitAttentionComesBeforeGESNAndTheEventSurvivesIt() {
        let d = opticalDevice("ro/", image: OpticalImage(blocks: 16))
        _ = run(d, ejectCDB)
        _ = run(d, loadCDB)
        // Linux sr_get_events: a UNIT ATTENTION to GESN means "media changed".
        #expect(run(d, gesnCDB(0x10)).sense == Sense(.unitAttention, .notReadyToReadyChangeMediumMayHaveChanged))
        #expect(run(d, gesnCDB(0x10)).data == [0x00, 0x04, 0x04, 0x56, 0x03, 0x02, 0, 0])
        #expect(run(d, gesnCDB(0x10)).data == [0x00, 0x04, 0x04, 0x56, 0x02, 0x02, 0, 0])
    }
}
