import SCSIEmu
import Sense
import Testing
import TestSupport

@Suite("MODE SENSE")
struct ModeSenseTests {
    // Pages as TestDisk reports them (current = default values).
    static let rwErrorRecovery: [UInt8] = [0x01, 0x0A] + [UInt8](repeating: 0, count: 10)
    static let caching: [UInt8] = [0x08, 0x12, 0x04] + [UInt8](repeating: 0, count: 17)  // WCE
    /// Control: GLTSD, QAM 1h, TAS, BUSY TIMEOUT PERIOD FFFFh.
    static let control: [UInt8] = [0x0A, 0x0A, 0x02, 0x10, 0x00, 0x40, 0x00, 0x00, 0xFF, 0xFF, 0x00, 0x00]
    static let controlExtension: [UInt8] = [0x4A, 0x01, 0x00, 0x1C] + [UInt8](repeating: 0, count: 28)
    static let informationalExceptions: [UInt8] = [0x1C, 0x0A, 0x08] + [UInt8](repeating: 0, count: 9)  // DEXCPT

    /// MODE SENSE(6), page 08h, PC current, block descriptor: the number of blocks (2^32 + 5) is capped.
    @Test func sense6CachingWithShortBlockDescriptor() {
        let out = run(TestDisk(), [0x1A, 0x00, 0x08, 0x00, 0xFF, 0x00])
        let expected: [UInt8] =
            [31, 0x00, 0x10, 0x08]  // MODE DATA LENGTH, MEDIUM TYPE, DPOFUA, BLOCK DESCRIPTOR LENGTH
            + [0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x00, 0x02, 0x00]  // NUMBER OF LOGICAL BLOCKS capped, 512
            + Self.caching
        #expect(out.status == .good)
        #expect(out.data == expected)
    }

    /// MODE SENSE(10) with LLBAA: LONGLBA header bit and a 16-byte descriptor.
    @Test func sense10ControlWithLongBlockDescriptor() {
        let out = run(TestDisk(), [0x5A, 0x10, 0x0A, 0x00, 0, 0, 0, 0x01, 0x00, 0x00])
        let expected: [UInt8] =
            [0x00, 34, 0x00, 0x10, 0x01, 0x00, 0x00, 0x10]  // MODE DATA LENGTH 34, LONGLBA, BD LENGTH 16
            + [0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x05]  // NUMBER OF LOGICAL BLOCKS
            + [0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x00]  // reserved, LOGICAL BLOCK LENGTH 512
            + Self.control
        #expect(out.data == expected)
    }

    @Test func sense10WithoutLLBAAUsesShortDescriptor() {
        let out = run(TestDisk(), [0x5A, 0x00, 0x0A, 0x00, 0, 0, 0, 0x01, 0x00, 0x00])
        #expect(out.data == [0x00, 26, 0x00, 0x10, 0x00, 0x00, 0x00, 0x08]
            + [0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x00, 0x02, 0x00] + Self.control)
    }

    @Test func changeableValuesAreTheMasks() {
        let caching = run(TestDisk(), [0x1A, 0x08, 0x48, 0x00, 0xFF, 0x00])
        #expect(caching.data == [23, 0x00, 0x10, 0x00] + [0x08, 0x12, 0x04] + [UInt8](repeating: 0, count: 17))
        let control = run(TestDisk(), [0x1A, 0x08, 0x4A, 0x00, 0xFF, 0x00])
        #expect(control.data == [15, 0x00, 0x10, 0x00] + [0x0A, 0x0A, 0x04] + [UInt8](repeating: 0, count: 9))
    }

    @Test func defaultValues() {
        let out = run(TestDisk(), [0x1A, 0x08, 0x88, 0x00, 0xFF, 0x00])
        #expect(out.data == [23, 0x00, 0x10, 0x00] + Self.caching)
    }

    @Test func savedValuesNotSupported() {
        let out = run(TestDisk(), [0x1A, 0x08, 0xC8, 0x00, 0xFF, 0x00])
        #expect(out.sense == Sense(.illegalRequest, .savingParametersNotSupported))
    }

    @Test func savedValuesOfASaveablePageSetPS() {
        let saveable = ModePage(code: 0x19, parameters: [0xAB, 0x00], changeable: [0xFF, 0x00], saveable: true)
        let out = run(TestDisk(pages: [saveable]), [0x1A, 0x08, 0xD9, 0x00, 0xFF, 0x00])
        #expect(out.data == [7, 0x00, 0x10, 0x00, 0x99, 0x02, 0xAB, 0x00])  // PS | 19h
    }

    /// 3Fh/00h: page_0 pages only, ascending. 3Fh/FFh: subpages too, each after its page.
    @Test func allPages() {
        let page0 = run(TestDisk(), [0x1A, 0x08, 0x3F, 0x00, 0xFF, 0x00])
        #expect(page0.data == [59, 0x00, 0x10, 0x00] + Self.rwErrorRecovery + Self.caching + Self.control
            + Self.informationalExceptions)
        let all = run(TestDisk(), [0x1A, 0x08, 0x3F, 0xFF, 0xFF, 0x00])
        #expect(all.data == [91, 0x00, 0x10, 0x00] + Self.rwErrorRecovery + Self.caching + Self.control
            + Self.controlExtension + Self.informationalExceptions)
    }

    @Test func pageWithAllSubpagesAndOneSubpage() {
        let both = run(TestDisk(), [0x5A, 0x08, 0x0A, 0xFF, 0, 0, 0, 0x00, 0xFF, 0x00])
        #expect(both.data == [0x00, 50, 0x00, 0x10, 0x00, 0x00, 0x00, 0x00] + Self.control + Self.controlExtension)
        let one = run(TestDisk(), [0x5A, 0x08, 0x0A, 0x01, 0, 0, 0, 0x00, 0xFF, 0x00])
        #expect(one.data == [0x00, 38, 0x00, 0x10, 0x00, 0x00, 0x00, 0x00] + Self.controlExtension)
    }

    @Test func unknownPageAndSubpageAreRejected() {
        #expect(run(TestDisk(), [0x1A, 0x08, 0x19, 0x00, 0xFF, 0x00]).sense == invalidCDB(2, 5))
        #expect(run(TestDisk(), [0x1A, 0x08, 0x00, 0x00, 0xFF, 0x00]).sense == invalidCDB(2, 5))
        #expect(run(TestDisk(), [0x1A, 0x08, 0x08, 0x05, 0xFF, 0x00]).sense == invalidCDB(3, 7))
        #expect(run(TestDisk(), [0x1A, 0x08, 0x3F, 0x05, 0xFF, 0x00]).sense == invalidCDB(3, 7))
    }

    /// Allocation length 4 (what Linux sd sends first for WP): the header with the full MODE DATA LENGTH.
    @Test func truncatedToAllocationLength() {
        let out = run(TestDisk(), [0x1A, 0x00, 0x3F, 0x00, 0x04, 0x00])
        #expect(out.status == .good)
        #expect(out.result.dataInLength == 4)
        #expect(out.data == [67, 0x00, 0x10, 0x08])
    }

    @Test func noBlockDescriptorWithoutOne() {
        let out = run(TestDisk(blockDescriptor: nil), [0x1A, 0x00, 0x08, 0x00, 0xFF, 0x00])
        #expect(out.data == [23, 0x00, 0x10, 0x00] + Self.caching)
    }

    /// MODE SENSE(6) cannot describe more than 255 bytes after the length byte: whole pages that fit are
    /// returned and MODE DATA LENGTH matches; MODE SENSE(10) returns them all.
    @Test func sense6LeavesOutPagesBeyond256Bytes() {
        let pages = (0x20..<0x28).map { code in
            ModePage(code: UInt8(code), parameters: [UInt8](repeating: UInt8(code), count: 38),
                     changeable: [UInt8](repeating: 0, count: 38))
        }
        let six = run(TestDisk(pages: pages), [0x1A, 0x08, 0x3F, 0x00, 0xFF, 0x00])
        #expect(six.data.count == 4 + 6 * 40)
        #expect(six.data[0] == UInt8(4 + 6 * 40 - 1))
        #expect(six.data.suffix(40) == ArraySlice([0x25, 38] + [UInt8](repeating: 0x25, count: 38)))
        let ten = run(TestDisk(pages: pages), [0x5A, 0x08, 0x3F, 0x00, 0, 0, 0, 0x10, 0x00, 0x00])
        #expect(ten.data.count == 8 + 8 * 40)
        #expect(ten.data.prefix(2) == [0x01, 0x46])  // 328 − 2
    }
}
