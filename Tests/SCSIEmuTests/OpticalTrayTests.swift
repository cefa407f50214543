import Sense
import SystemCalls
import Testing
import TestSupport

@testable import SCSIEmu

/// Every tray and lock transition, through the command table and the runtime control API.
@Suite struct OpticalTrayTests {
    static let trayOpen = Sense(.notReady, .mediumNotPresentTrayOpen)
    static let trayClosed = Sense(.notReady, .mediumNotPresentTrayClosed)
    static let mediumChanged = Sense(.unitAttention, .notReadyToReadyChangeMediumMayHaveChanged)
    /// A locked eject with a disc in the drive: NOT READY 53/02 (real ATAPI drives, QEMU); without one:
    /// ILLEGAL REQUEST 53/02.
    static let removalPrevented = Sense(.notReady, .mediumRemovalPrevented)
    static let removalPreventedNoDisc = Sense(.illegalRequest, .mediumRemovalPrevented)

    /// The media event descriptor GESN returns for class 4: event code, status (present 2, tray open 1).
    static func mediaEvent(_ code: UInt8, _ status: UInt8) -> [UInt8] { [0x00, 0x04, 0x04, 0x56, code, status, 0, 0] }

    @Test func ejectAndLoadBySCSI() {
        let image = OpticalImage(blocks: 16)
        let d = opticalDevice("ro/", image: image)
        #expect(testUnitReady(d) == nil)
        #expect(run(d, gesnCDB(0x10)).data == Self.mediaEvent(0, 0x02))  // no change, medium present

        #expect(run(d, ejectCDB).status == .good)
        #expect(testUnitReady(d) == Self.trayOpen)
        #expect(run(d, [0x28, 0, 0, 0, 0, 0, 0, 0, 1, 0]).sense == Self.trayOpen)
        #expect(run(d, [0x25, 0, 0, 0, 0, 0, 0, 0, 0, 0]).sense == Self.trayOpen)
        #expect(run(d, gesnCDB(0x10)).data == Self.mediaEvent(3, 0x01))  // MediaRemoval, tray open
        #expect(run(d, gesnCDB(0x10)).data == Self.mediaEvent(0, 0x01))
        #expect(run(d, [0xBD, 0, 0, 0, 0, 0, 0, 0, 0, 8, 0, 0]).data == [0x00, 0x10, 0, 0, 0, 0, 0, 0])
        #expect(run(d, ejectCDB).status == .good)  // already open

        #expect(run(d, loadCDB).status == .good)
        #expect(testUnitReady(d) == Self.mediumChanged)  // once
        #expect(testUnitReady(d) == nil)
        #expect(run(d, gesnCDB(0x10)).data == Self.mediaEvent(2, 0x02))  // NewMedia, once
        #expect(run(d, gesnCDB(0x10)).data == Self.mediaEvent(0, 0x02))
        #expect(run(d, loadCDB).status == .good)  // already closed: no new event, no UA
        #expect(testUnitReady(d) == nil)
        // LoEj=0: spin up/down only; power conditions ignore LoEj.
        #expect(run(d, [0x1B, 0, 0, 0, 0x00, 0]).status == .good)
        #expect(run(d, [0x1B, 0, 0, 0, 0x32, 0]).status == .good)
        #expect(testUnitReady(d) == nil)
    }

    @Test func preventLocksTheTrayAndPage2AShowsIt() {
        let d = opticalDevice("ro/", image: OpticalImage(blocks: 16))
        let modeSense2A: [UInt8] = [0x1A, 0x08, 0x2A, 0, 128, 0]
        #expect(run(d, modeSense2A).data[4 + 6] == 0x29)  // tray, EJECT, LOCK
        #expect(run(d, preventCDB(0x01)).status == .good)
        #expect(run(d, modeSense2A).data[4 + 6] == 0x2B)  // + LOCK STATE
        #expect(d.unit.withState { $0.preventRemoval } == 0x01)
        #expect(run(d, ejectCDB).sense == Self.removalPrevented)
        #expect(testUnitReady(d) == nil)  // still closed
        #expect(run(d, preventCDB(0x00)).status == .good)
        #expect(run(d, modeSense2A).data[4 + 6] == 0x29)
        #expect(run(d, ejectCDB).status == .good)
        #expect(testUnitReady(d) == Self.trayOpen)
        // PREVENT is accepted with the tray open and an empty drive; it only stops removal.
        #expect(run(d, preventCDB(0x01)).status == .good)
        #expect(run(d, loadCDB).status == .good)
        #expect(testUnitReady(d) == Self.mediumChanged)
        #expect(run(d, ejectCDB).sense == Self.removalPrevented)
    }

    @Test func lockedEjectOfAnEmptyDriveIsAnIllegalRequest() {
        let image = OpticalImage(blocks: 16)
        let config = try! OpticalConfig(parsing: "fbo/empty/\(image.path)")
        let d = try! OpticalDevice(config: config, background: ManualBackground())
        #expect(testUnitReady(d) == Self.trayClosed)
        #expect(run(d, preventCDB(0x01)).status == .good)
        #expect(run(d, ejectCDB).sense == Self.removalPreventedNoDisc)
        #expect(run(d, preventCDB(0x00)).status == .good)
        #expect(run(d, ejectCDB).status == .good)
        #expect(testUnitReady(d) == Self.trayOpen)
    }

    @Test func persistentPrevent() {
        let d = opticalDevice("ro/", image: OpticalImage(blocks: 16))
        _ = run(d, gesnCDB(0x02))  // consume the power-on operational change
        #expect(run(d, preventCDB(0x03)).status == .good)
        // Operational change class: PERSISTENT PREVENTED (byte 1 bit 7).
        #expect(run(d, gesnCDB(0x02)).data == [0x00, 0x04, 0x01, 0x56, 0x00, 0x80, 0x00, 0x00])
        #expect(run(d, ejectCDB).sense == Self.removalPrevented)
        #expect(run(d, preventCDB(0x00)).status == .good)  // clears PREVENT only
        #expect(run(d, ejectCDB).sense == Self.removalPrevented)
        #expect(run(d, preventCDB(0x02)).status == .good)  // releases the persistent prevent
        #expect(run(d, ejectCDB).status == .good)
    }

    @Test func runtimeEjectRespectsTheLock() throws {
        let d = opticalDevice("ro/", image: OpticalImage(blocks: 16))
        _ = run(d, preventCDB(0x01))
        #expect(throws: OpticalControlError.removalPrevented) { try d.eject() }
        // The button press is reported to the host as EjectRequest; the tray stays shut.
        #expect(run(d, gesnCDB(0x10)).data == Self.mediaEvent(1, 0x02))
        #expect(testUnitReady(d) == nil)
        try d.eject(force: true)
        #expect(testUnitReady(d) == Self.trayOpen)
        #expect(d.model.locked == false)
        d.load()
        #expect(testUnitReady(d) == Self.mediumChanged)
        #expect(testUnitReady(d) == nil)
    }

    @Test func emptyTrayInsertAndRemove() throws {
        let image = OpticalImage(blocks: 8)
        let d = try OpticalDevice(configString: "fbo/empty/ro//\(image.path)", background: ManualBackground())
        #expect(testUnitReady(d) == Self.trayClosed)
        // DATA LENGTH 96 (the persistent features only: 12 profiles), CURRENT PROFILE 0.
        #expect(run(d, [0x46, 0x01, 0, 0, 0, 0, 0, 0, 8, 0]).data == [0, 0, 0, 0x60, 0, 0, 0, 0])
        #expect(run(d, [0x4A, 0x01, 0, 0, 0x10, 0, 0, 0, 8, 0]).data == Self.mediaEvent(0, 0x00))

        try d.insert()  // the configured image
        #expect(testUnitReady(d) == Self.mediumChanged)
        #expect(testUnitReady(d) == nil)
        #expect(run(d, gesnCDB(0x10)).data == Self.mediaEvent(2, 0x02))
        #expect(run(d, gesnCDB(0x10)).data == Self.mediaEvent(0, 0x02))
        #expect(run(d, [0x28, 0, 0, 0, 0, 7, 0, 0, 1, 0], capacity: 2048).data == OpticalImage.pattern(7))

        // A different disc: removal then new media, one unit attention, the new capacity and profile.
        let other = OpticalImage(blocks: 32)
        try d.insert(imagePath: other.path, profile: .cdROM)
        #expect(testUnitReady(d) == Self.mediumChanged)
        #expect(testUnitReady(d) == nil)
        // MEDIA STATUS is the state now (present, closed), whatever the event.
        #expect(run(d, gesnCDB(0x10)).data == Self.mediaEvent(3, 0x02))
        #expect(run(d, gesnCDB(0x10)).data == Self.mediaEvent(2, 0x02))
        #expect(run(d, [0x25, 0, 0, 0, 0, 0, 0, 0, 0, 0]).data == [0, 0, 0, 31, 0, 0, 0x08, 0])
        #expect(run(d, [0x46, 0x01, 0, 0, 0, 0, 0, 0, 8, 0]).data[6...] == [0x00, 0x08])

        try d.removeDisc()
        #expect(testUnitReady(d) == Self.trayOpen)
        d.load()
        #expect(testUnitReady(d) == Self.trayClosed)  // closed on nothing: no unit attention
        #expect(d.status.mediumPresent == false)
        #expect(throws: OpticalControlError.image(.system(operation: "open /nonexistent.iso", errno: .noSuchFileOrDirectory))) {
            try d.insert(imagePath: "/nonexistent.iso", profile: .dvdROM)
        }
    }

    @Test func insertRefusedWhileLocked() throws {
        let d = opticalDevice("ro/", image: OpticalImage(blocks: 8))
        let other = OpticalImage(blocks: 4)
        _ = run(d, preventCDB(0x01))
        #expect(throws: OpticalControlError.removalPrevented) { try d.insert(imagePath: other.path) }
        #expect(run(d, [0x25, 0, 0, 0, 0, 0, 0, 0, 0, 0]).data == [0, 0, 0, 7, 0, 0, 0x08, 0])
        try d.insert(imagePath: other.path, force: true)
        drainUnitAttentions(d)
        #expect(run(d, [0x25, 0, 0, 0, 0, 0, 0, 0, 0, 0]).data == [0, 0, 0, 3, 0, 0, 0x08, 0])
    }

    @Test func driveModelTransitions() throws {
        var m = DriveModel(discInTray: true)
        #expect(m.mediumPresent && !m.trayOpen)
        m.setPrevent(field: 0b01)
        #expect(throws: TrayRefusal.removalPrevented) { try m.openTray() }
        m.setPrevent(field: 0b00)
        try m.openTray()
        #expect(m.mediaEvents == [.mediaRemoval] && !m.mediumPresent)
        m.setDisc(false)
        #expect(m.closeTray() == false)  // nothing to make present
        try m.openTray()  // empty: no event
        m.setDisc(true)
        #expect(m.closeTray() == true)
        #expect(m.mediaEvents == [.mediaRemoval, .newMedia])
        #expect(m.takeMediaEvent() == .mediaRemoval)
        #expect(m.takeMediaEvent() == .newMedia)
        #expect(m.takeMediaEvent() == .noChange)
        m.setBusy(true)
        #expect(throws: TrayRefusal.formatInProgress) { try m.openTray() }
        #expect(m.takeDeviceBusyEvent() && !m.takeDeviceBusyEvent())
        // The event queue keeps the newest four.
        for _ in 0..<6 { m.ejectButtonWhileLocked() }
        #expect(m.mediaEvents.count == DriveModel.eventQueueLimit)
    }
}
