import Sense
import Testing
import TestSupport

@testable import SCSIEmu

/// A daemon restart (kill -9, then `emud serve` reopens the device: `FBOHandler.open` on the same image) is
/// no medium change and no power-on for the initiator: LIO's LUN and sr's view of it lived on.
///
/// Linux 6.1 sr treats *any* UNIT ATTENTION on a block READ/WRITE of a removable device as a changed disc
/// (scsi_io_completion_action sets `scsi_device->changed` and fails the request; sr_init_command then
/// refuses every request until the event poll clears it) and a GESN media event NewMedia (2h) or
/// MediaRemoval (3h) as a media change. A real drive after a power cycle reports 29/00 POWER ON and the
/// kernel does drop a mounted UDF's I/O then; the reopened drive must report neither, or every restart
/// under a mounted file system would cost it an I/O error (vm/stress/fbo-kill-udf, vm/README.md).
@Suite struct OpticalRestartTests {
    static let read10Block4: [UInt8] = [0x28, 0, 0, 0, 0, 4, 0, 0, 1, 0]
    static let write10Block4: [UInt8] = [0x2A, 0, 0, 0, 0, 4, 0, 0, 1, 0]

    @Test func reopenedDriveReportsNoUnitAttentionNoMediaEventAndKeepsTheData() {
        let image = OpticalImage(blocks: 64)
        let before = opticalDevice("profile-dvdram/", image: image)
        #expect(run(before, preventCDB(0x01)).status == .good)  // sr locks the tray of a mounted disc
        let block = [UInt8](repeating: 0x5A, count: 2048)
        #expect(run(before, Self.write10Block4, dataOut: block).status == .good)
        before.close()  // what remains of a killed daemon: the image file

        let after = opticalDevice("profile-dvdram/", image: image)
        // sr's event poll (sr_get_events): media class only, 8 bytes. Event code 0 (no change), media present.
        #expect(run(after, gesnCDB(0x10)).data == [0x00, 0x04, 0x04, 0x56, 0x00, 0x02, 0x00, 0x00])
        // The retried WRITE / READ of the interrupted I/O: GOOD, no UNIT ATTENTION before them.
        #expect(testUnitReady(after) == nil)
        #expect(after.unit.peekUnitAttention() == nil)
        #expect(run(after, Self.write10Block4, dataOut: block).status == .good)
        let read = run(after, Self.read10Block4)
        #expect(read.status == .good && read.data == block)
        // A second poll: still nothing (no event was held back behind the first).
        #expect(run(after, gesnCDB(0x10)).data == [0x00, 0x04, 0x04, 0x56, 0x00, 0x02, 0x00, 0x00])
    }

    /// A real medium change still reports both signals, so the restart rule above hides nothing else.
    @Test func aTrayReloadStillReportsMediumChangeAndNewMedia() {
        let d = opticalDevice("profile-dvdram/", image: OpticalImage(blocks: 16))
        _ = run(d, ejectCDB)
        _ = run(d, loadCDB)
        #expect(run(d, Self.read10Block4).sense == Sense(.unitAttention, .notReadyToReadyChangeMediumMayHaveChanged))
        #expect(run(d, gesnCDB(0x10)).data == [0x00, 0x04, 0x04, 0x56, 0x03, 0x02, 0x00, 0x00])
        #expect(run(d, gesnCDB(0x10)).data == [0x00, 0x04, 0x04, 0x56, 0x02, 0x02, 0x00, 0x00])
    }
}
