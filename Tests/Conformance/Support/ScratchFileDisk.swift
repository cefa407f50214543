import Foundation
import Logging
import SCSIEmu
import Sense
import Synchronization
import SystemCalls

/// A small disk for testing the replay machinery itself (not a device emud ships): the shared SPC rows
/// plus READ(10)/WRITE(10) of 512-byte blocks on a real file, reached through its own handler
/// (`scratch/<path>`), so a corpus exercises `create`, `@DIR@`, the registry, I/O workers and blobs.
final class ScratchFileDisk: SPCDevice {
    static let table = CommandTable<ScratchFileDisk>(
        SPC.rows(for: ScratchFileDisk.self) + [
            // READ(10) (SBC-4 §5.16): | 0 28h | 1 flags | 2–5 LBA | 6 group | 7–8 TRANSFER LENGTH | 9 CONTROL |
            CommandSpec(
                0x28, "READ(10)", usage: [0x28, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0xFF, 0xFF, 0], direction: .fromDevice,
                states: .ready, flags: .storageIO
            ) { d, c throws(Sense) in
                let (lba, blocks) = c.cdb.lbaAndLength
                try d.checkRange(lba, blocks)
                let bytes = d.file.withLock { h -> [UInt8] in
                    try? h.seek(toOffset: lba * 512)
                    return [UInt8]((try? h.read(upToCount: Int(blocks) * 512)) ?? Data())
                }
                return .good(dataInLength: c.dataIn.write(bytes))
            },
            // WRITE(10) (SBC-4 §5.40): same layout as READ(10).
            CommandSpec(
                0x2A, "WRITE(10)", usage: [0x2A, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0xFF, 0xFF, 0], direction: .toDevice,
                states: .ready, flags: .storageIO
            ) { d, c throws(Sense) in
                let (lba, blocks) = c.cdb.lbaAndLength
                try d.checkRange(lba, blocks)
                let data = c.dataOut.bytes(from: 0, length: Int(blocks) * 512)
                d.file.withLock { h in
                    try? h.seek(toOffset: lba * 512)
                    try? h.write(contentsOf: Data(data))
                }
                return .good
            },
        ])

    let unit: LogicalUnit
    let blocks: UInt64
    let file: Mutex<FileHandle>
    var commandTable: CommandTable<ScratchFileDisk> { Self.table }

    init(path: String, parameters: DeviceOpenParameters) throws(HandlerError) {
        guard let handle = FileHandle(forUpdatingAtPath: path) else {
            throw HandlerError(.noSuchFileOrDirectory, message: "\(path): cannot open")
        }
        file = Mutex(handle)
        blocks = parameters.sizeInBytes / 512
        unit = LogicalUnit(
            identity: DeviceIdentity(
                peripheralType: 0, product: "SCRATCH", serial: parameters.unitSerial,
                configString: parameters.fullConfigString),
            modePages: [.control(descriptorSense: false)])
    }

    /// LOGICAL BLOCK ADDRESS OUT OF RANGE (21/00) when the range passes the last block.
    func checkRange(_ lba: UInt64, _ count: UInt32) throws(Sense) {
        guard lba <= blocks, UInt64(count) <= blocks - lba else {
            throw Sense(.illegalRequest, .logicalBlockAddressOutOfRange)
        }
    }

    func resize(toBytes size: UInt64) throws(Sense) {}
    func close() { file.withLock { try? $0.close() } }
}

/// `scratch/<absolute path>`: opens a `ScratchFileDisk`; remembers the parameters of its last open.
struct ScratchFileHandler: DeviceHandler {
    static let lastParameters = Mutex<DeviceOpenParameters?>(nil)

    var subtype: String { "scratch" }
    var configDescription: String { "scratch/<path>: a test disk on a file" }

    func checkConfig(_ config: String) throws(ConfigError) {
        guard config.hasPrefix("/") else { throw ConfigError(field: "path", reason: "'\(config)' is not absolute") }
    }

    func open(_ parameters: DeviceOpenParameters) throws(HandlerError) -> any EmulatedDevice {
        Self.lastParameters.withLock { $0 = parameters }
        return try ScratchFileDisk(path: parameters.config, parameters: parameters)
    }
}

extension HandlerRegistry {
    /// The shipped handlers plus the scratch test disk.
    static let withScratch = HandlerRegistry(HandlerRegistry.standard.handlers + [ScratchFileHandler()])
}
