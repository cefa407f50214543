import SCSIEmu
import Sense
import Testing
import TestSupport

/// The text form of changed mode pages (kept across a daemon restart) and their restoration.
@Suite struct ModePageValuesTests {
    @Test func onlyChangedPagesAreWrittenAndReadBackExactly() throws {
        var pages = [ModePage.caching(writeCacheEnabled: true), ModePage.control(descriptorSense: false)]
        #expect(ModePageValues(changedIn: pages).isEmpty)
        pages[0].current[2] &= ~0x04  // WCE (the page as MODE SENSE shows it: header 08h 12h first)
        let v = ModePageValues(changedIn: pages)
        #expect(v.text == "08 00 08 12" + String(repeating: " 00", count: 18) + "\n")
        #expect(try ModePageValues(parsing: v.text) == v)
    }

    @Test(arguments: ["08\n", "08 00 4\n", "08 00 0x04\n", "08 00 zz\n",
                      "08 00 " + String(repeating: "00 ", count: 1025) + "\n",
                      String(repeating: "08 00 00\n", count: 65)])
    func malformedTextIsRefusedWithItsLine(_ text: String) {
        #expect(throws: ModePageValuesError.self) { try ModePageValues(parsing: text) }
    }

    /// Only the changeable bits are taken (WCE here); a page the device lacks, or of another length, is
    /// named and skipped; the device hears of the change (its write cache follows WCE).
    @Test func restoreTakesOnlyChangeableBitsAndNamesWhatItSkips() throws {
        let d = TestDisk()
        let v = try ModePageValues(parsing: "08 00 08 12 ff" + String(repeating: " 00", count: 17) + "\n30 00 01\n0a 00 00\n")
        let skipped = SPC.restoreModePages(d, v)
        #expect(skipped == ["page 30h: not a page of this device", "page 0Ah: 1 bytes, the device's page has 12"])
        let caching = try #require(d.unit.withState { $0.modePages }.first { $0.code == 0x08 })
        #expect(caching.current[0...1] == [0x08, 0x12])
        #expect(caching.current[2] == caching.defaults[2] & ~caching.changeable[2] | 0xFF & caching.changeable[2])
        #expect(d.pageChanges.load(ordering: .relaxed) == 1)
    }
}
