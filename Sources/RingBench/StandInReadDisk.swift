import RingIO
import SCSIEmu
import Sense

/// A stand-in for the Block engineer's SBC disk until it lands: TEST UNIT READY and READ(10) only, over
/// memory or a file read with `pread`. To be replaced by the real SBC device.
final class StandInReadDisk: SPCDevice {
    enum Backing {
        case memory([UInt8])
        case file(descriptor: Int32)
    }

    let unit = LogicalUnit(identity: DeviceIdentity(peripheralType: 0, product: "BENCH STAND-IN"))
    let backing: Backing
    let blockSize = 512
    var commandTable: CommandTable<StandInReadDisk> { Self.table }

    init(_ backing: Backing) { self.backing = backing }

    static let table = CommandTable<StandInReadDisk>([
        CommandSpec(0x00, "TEST UNIT READY", usage: [0x00, 0, 0, 0, 0, 0], direction: .none, states: .ready) {
            _, _ in .good
        },
        // READ(10), SBC-4 §5.16: | 28h | flags | LBA (4) @2 | group @6 | TRANSFER LENGTH (2) @7 | CONTROL @9 |
        CommandSpec(
            0x28, "READ(10)", usage: [0x28, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0xFF, 0xFF, 0], direction: .fromDevice,
            states: .ready, flags: .storageIO
        ) { (disk, cmd) throws(Sense) -> CommandOutcome in
            let (lba, blocks) = cmd.cdb.lbaAndLength
            let offset = Int(lba) * disk.blockSize, length = Int(blocks) * disk.blockSize
            switch disk.backing {
            case .memory(let bytes):
                guard offset + length <= bytes.count else {
                    throw Sense(.illegalRequest, .logicalBlockAddressOutOfRange)
                }
                let n = bytes.withUnsafeBytes { cmd.dataIn.write(raw: UnsafeRawBufferPointer(rebasing: $0[offset..<(offset + length)]), at: 0) }
                return .good(dataInLength: n)
            case .file(let fd):
                let n = cmd.dataIn.withIOVecs(covering: 0..<length) { vecs -> Int in
                    var done = 0
                    for v in vecs {
                        let buf = UnsafeMutableRawBufferPointer(start: v.iov_base, count: v.iov_len)
                        done += (try? Syscalls.pread(fd, into: buf, offset: Int64(offset + done))) ?? 0
                    }
                    return done
                }
                guard n == length else { throw Sense(.mediumError, .unrecoveredReadError) }
                return .good(dataInLength: n)
            }
        },
    ])

    func resize(toBytes size: UInt64) throws(Sense) {}
    func close() {}
}
