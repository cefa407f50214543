import SCSIEmu
import Sense
import Testing
import TestSupport

@Suite("MODE SELECT")
struct ModeSelectTests {
    static let header6: [UInt8] = [0x00, 0x00, 0x00, 0x00]  // no block descriptor
    static let header10: [UInt8] = [0, 0, 0, 0, 0, 0, 0, 0]
    static let cachingNoWCE: [UInt8] = [0x08, 0x12, 0x00] + [UInt8](repeating: 0, count: 17)
    static let controlDSense: [UInt8] = [0x0A, 0x0A, 0x06, 0x10, 0x00, 0x40, 0x00, 0x00, 0xFF, 0xFF, 0x00, 0x00]

    static func select6(_ list: [UInt8], byte1: UInt8 = 0x10) -> [UInt8] {
        [0x15, byte1, 0x00, 0x00, UInt8(list.count), 0x00]
    }
    static func select10(_ list: [UInt8], byte1: UInt8 = 0x10) -> [UInt8] {
        [0x55, byte1, 0, 0, 0, 0, 0, UInt8(list.count >> 8), UInt8(list.count & 0xFF), 0x00]
    }
    static func cachingPage(_ d: TestDisk) -> [UInt8] {
        Array(run(d, [0x1A, 0x08, 0x08, 0x00, 0xFF, 0x00]).data.dropFirst(4))
    }

    /// MODE SENSE → clear WCE → MODE SELECT(6) → MODE SENSE shows it; the device hears of it once.
    @Test func roundTripWriteCache() {
        let d = TestDisk()
        var page = Self.cachingPage(d)
        #expect(page[2] == 0x04)
        page[2] = 0x00
        let list = Self.header6 + page
        let out = run(d, Self.select6(list), dataOut: list)
        #expect(out.status == .good)
        #expect(Self.cachingPage(d) == Self.cachingNoWCE)
        #expect(d.pageChanges.load(ordering: .relaxed) == 1)
        #expect(ModePage.writeCacheEnabled(in: d.unit.withState { $0.modePages }) == false)
        // Defaults are unchanged.
        #expect(run(d, [0x1A, 0x08, 0x88, 0x00, 0xFF, 0x00]).data[6] == 0x04)
    }

    /// D_SENSE = 1 switches the unit to descriptor sense; errors are then reported in that format.
    @Test func controlDSenseSwitchesSenseFormat() {
        let d = TestDisk()
        #expect(d.senseFormat == .fixed)
        let list = Self.header10 + Self.controlDSense
        #expect(run(d, Self.select10(list), dataOut: list).status == .good)
        #expect(d.senseFormat == .descriptor)
        let back = Self.header10 + [0x0A, 0x0A, 0x02, 0x10, 0x00, 0x40, 0x00, 0x00, 0xFF, 0xFF, 0x00, 0x00]
        #expect(run(d, Self.select10(back), dataOut: back).status == .good)
        #expect(d.senseFormat == .fixed)
    }

    @Test func initialSenseFormatFollowsControlPage() {
        let d = TestDisk(pages: [.control(descriptorSense: true)])
        #expect(d.senseFormat == .descriptor)
    }

    /// A bit outside the changeable mask (RCD, byte 2 bit 0 of the Caching page, list byte 4 + 2): 26/00
    /// pointing at it, and nothing in the list is applied — not even the valid Control page before it.
    @Test func rejectedChangeIsAtomic() {
        let d = TestDisk()
        var caching = Self.cachingPage(d)
        caching[2] |= 0x01
        let list = Self.header6 + Self.controlDSense + caching
        let out = run(d, Self.select6(list), dataOut: list)
        #expect(out.status == .checkCondition)
        #expect(out.sense == invalidParameter(4 + 12 + 2, 0))
        #expect(d.senseFormat == .fixed)
        #expect(d.pageChanges.load(ordering: .relaxed) == 0)
    }

    @Test func unchangeableValueInAnotherByte() {
        let d = TestDisk()
        var control = Self.controlDSense
        control[9] = 0x00  // BUSY TIMEOUT PERIOD low byte: not changeable
        let list = Self.header6 + control
        #expect(run(d, Self.select6(list), dataOut: list).sense == invalidParameter(4 + 9, 7))
    }

    @Test func wrongPageLength() {
        let list = Self.header6 + [0x08, 0x0A] + [UInt8](repeating: 0, count: 10)
        #expect(run(TestDisk(), Self.select6(list), dataOut: list).sense == invalidParameter(5, 7))
    }

    @Test func unknownPage() {
        let list = Self.header6 + [0x19, 0x02, 0x00, 0x00]
        #expect(run(TestDisk(), Self.select6(list), dataOut: list).sense == invalidParameter(4, 5))
    }

    @Test func unknownSubpage() {
        let list = Self.header6 + [0x4A, 0x05, 0x00, 0x02, 0x00, 0x00]
        #expect(run(TestDisk(), Self.select6(list), dataOut: list).sense == invalidParameter(5, 7))
    }

    @Test func subpageRoundTrip() {
        let d = TestDisk()
        let list = Self.header10 + [0x4A, 0x01, 0x00, 0x1C] + [UInt8](repeating: 0, count: 28)
        #expect(run(d, Self.select10(list), dataOut: list).status == .good)
    }

    @Test func psBitIsReserved() {
        var caching = Self.cachingNoWCE
        caching[0] |= 0x80
        let list = Self.header6 + caching
        #expect(run(TestDisk(), Self.select6(list), dataOut: list).sense == invalidParameter(4, 7))
    }

    @Test func pfMustBeOne() {
        let list = Self.header6 + Self.cachingNoWCE
        #expect(run(TestDisk(), Self.select6(list, byte1: 0x00), dataOut: list).sense == invalidCDB(1, 4))
    }

    @Test func saveWithoutSaveablePages() {
        let list = Self.header6 + Self.cachingNoWCE
        #expect(run(TestDisk(), Self.select6(list, byte1: 0x11), dataOut: list).sense == invalidCDB(1, 0))
    }

    @Test func saveUpdatesSavedValues() {
        let page = ModePage(code: 0x19, parameters: [0x00, 0x00], changeable: [0xFF, 0x00], saveable: true)
        let d = TestDisk(pages: [page])
        let list = Self.header6 + [0x19, 0x02, 0x5A, 0x00]
        #expect(run(d, Self.select6(list, byte1: 0x11), dataOut: list).status == .good)
        #expect(run(d, [0x1A, 0x08, 0xD9, 0x00, 0xFF, 0x00]).data == [7, 0x00, 0x10, 0x00, 0x99, 0x02, 0x5A, 0x00])
    }

    @Test func parameterListShorterThanHeader() {
        let list: [UInt8] = [0x00, 0x00, 0x00]
        #expect(run(TestDisk(), Self.select6(list), dataOut: list).sense == Sense(.illegalRequest, .parameterListLengthError))
    }

    @Test func truncatedPage() {
        let list = Self.header6 + Array(Self.cachingNoWCE.prefix(10))
        #expect(run(TestDisk(), Self.select6(list), dataOut: list).sense == Sense(.illegalRequest, .parameterListLengthError))
    }

    @Test func zeroLengthListIsNoOp() {
        let d = TestDisk()
        #expect(run(d, [0x15, 0x10, 0x00, 0x00, 0x00, 0x00], dataOut: []).status == .good)
        #expect(d.pageChanges.load(ordering: .relaxed) == 0)
    }

    /// A block descriptor describing the current format is accepted (0 blocks = unchanged); another block
    /// length is rejected at the LOGICAL BLOCK LENGTH field (list byte 4 + 5).
    @Test func blockDescriptor() {
        let d = TestDisk()
        let same: [UInt8] = [0x00, 0x00, 0x00, 0x08] + [0, 0, 0, 0, 0x00, 0x00, 0x02, 0x00] + Self.cachingNoWCE
        #expect(run(d, Self.select6(same), dataOut: same).status == .good)
        let other: [UInt8] = [0x00, 0x00, 0x00, 0x08] + [0, 0, 0, 0, 0x00, 0x00, 0x10, 0x00]
        #expect(run(d, Self.select6(other), dataOut: other).sense == invalidParameter(9, 7))
        let blocks: [UInt8] = [0x00, 0x00, 0x00, 0x08] + [0, 0, 0, 7, 0x00, 0x00, 0x02, 0x00]
        #expect(run(d, Self.select6(blocks), dataOut: blocks).sense == invalidParameter(4, 7))
        let badLength: [UInt8] = [0x00, 0x00, 0x00, 0x07] + [0, 0, 0, 0, 0x00, 0x00, 0x02]
        #expect(run(d, Self.select6(badLength), dataOut: badLength).sense == invalidParameter(3, 7))
    }

    @Test func longBlockDescriptor() {
        let list: [UInt8] = [0, 0, 0, 0, 0x01, 0, 0x00, 0x10]
            + [0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x05, 0, 0, 0, 0, 0x00, 0x00, 0x02, 0x00]
        #expect(run(TestDisk(), Self.select10(list), dataOut: list).status == .good)
    }

    /// RTD = 1 reverts every page to its defaults; with a parameter list it is rejected.
    @Test func revertToDefaults() {
        let d = TestDisk()
        let list = Self.header6 + Self.cachingNoWCE
        #expect(run(d, Self.select6(list), dataOut: list).status == .good)
        #expect(run(d, Self.select6(list, byte1: 0x12), dataOut: list).sense == invalidCDB(1, 1))
        #expect(run(d, [0x15, 0x12, 0x00, 0x00, 0x00, 0x00], dataOut: []).status == .good)
        #expect(Self.cachingPage(d)[2] == 0x04)
    }
}
