import SCSIEmu
import Sense
import Synchronization

/// A minimal disk-like device for the core tests: the shared SPC rows, a few standard mode pages, a block
/// descriptor larger than 32 bits, and counters for the hooks.
final class TestDisk: SPCDevice {
    static let table = CommandTable<TestDisk>(SPC.rows(for: TestDisk.self, flush: { d throws(Sense) in d.flushes.add(1, ordering: .relaxed) }))

    static let identity = DeviceIdentity(
        peripheralType: 0x00, vendor: "LIO-ORG", product: "TCMU device", revision: "0002",
        serial: "a1b2c3d4-5e6f-4a7b-8c9d-0e1f2a3b4c5d", configString: "file/disk.img",
        versionDescriptors: [VersionDescriptor.sam6, VersionDescriptor.spc5, VersionDescriptor.sbc4])

    static let standardPages: [ModePage] = [
        .readWriteErrorRecovery, .caching(writeCacheEnabled: true), .control(descriptorSense: false),
        .controlExtension, .informationalExceptions,
    ]

    let unit: LogicalUnit
    let flushes = Atomic<Int>(0)
    let pageChanges = Atomic<Int>(0)
    let blockDescriptor: ModeBlockDescriptor?

    init(
        pages: [ModePage] = TestDisk.standardPages,
        blockDescriptor: ModeBlockDescriptor? = ModeBlockDescriptor(numberOfBlocks: 0x1_0000_0005, blockLength: 512)
    ) {
        self.unit = LogicalUnit(identity: Self.identity, modePages: pages)
        self.blockDescriptor = blockDescriptor
    }

    var commandTable: CommandTable<TestDisk> { Self.table }

    // Device-specific VPD pages, listed out of order on purpose (page 00h must sort them).
    var deviceVPDPageCodes: [UInt8] { [0xB1, 0xB0] }
    func vpdPage(_ code: UInt8) -> [UInt8]? {
        code == 0xB0 ? SPC.wrapVPD(0, 0xB0, [0x01, 0x02, 0x03, 0x04]) : nil
    }

    var modeBlockDescriptor: ModeBlockDescriptor? { blockDescriptor }
    var modeDeviceSpecificParameter: UInt8 { 0x10 }  // DPOFUA
    func modePagesChanged() { pageChanges.add(1, ordering: .relaxed) }

    func resize(toBytes size: UInt64) throws(Sense) {}
    func close() {}
}

/// INVALID FIELD IN CDB pointing at `byte`/`bit`.
func invalidCDB(_ byte: UInt16, _ bit: UInt8 = 7) -> Sense {
    Sense(.illegalRequest, .invalidFieldInCDB, keySpecific: .fieldPointer(inCDB: true, byte: byte, bit: bit))
}

/// INVALID FIELD IN PARAMETER LIST pointing at `byte`/`bit` of the parameter data.
func invalidParameter(_ byte: UInt16, _ bit: UInt8 = 7) -> Sense {
    Sense(.illegalRequest, .invalidFieldInParameterList, keySpecific: .fieldPointer(inCDB: false, byte: byte, bit: bit))
}

/// `text` as ASCII bytes.
func ascii(_ text: String) -> [UInt8] { Array(text.utf8) }
