#if canImport(Glibc)
import Glibc
#endif
import SystemCalls

// The SG_IO ioctl of the Linux sg driver (and of block devices): one SCSI command to a real device.
// This file is the only place that builds a `sg_io_hdr` and hands raw pointers to the kernel.
//
// struct sg_io_hdr (include/uapi/scsi/sg.h), x86-64/aarch64 LP64 layout, 88 bytes:
//
//     | off | field           | type     |   | off | field          | type   |
//     |  0  | interface_id    | int 'S'  |   |  56 | usr_ptr        | void * |
//     |  4  | dxfer_direction | int      |   |  64 | status         | u8     |
//     |  8  | cmd_len         | u8       |   |  65 | masked_status  | u8     |
//     |  9  | mx_sb_len       | u8       |   |  66 | msg_status     | u8     |
//     | 10  | iovec_count     | u16      |   |  67 | sb_len_wr      | u8     |
//     | 12  | dxfer_len       | u32      |   |  68 | host_status    | u16    |
//     | 16  | dxferp          | void *   |   |  70 | driver_status  | u16    |
//     | 24  | cmdp            | u8 *     |   |  72 | resid          | int    |
//     | 32  | sbp             | u8 *     |   |  76 | duration       | u32    |
//     | 40  | timeout (ms)    | u32      |   |  80 | info           | u32    |
//     | 44  | flags           | u32      |   |
//     | 48  | pack_id         | int      |   |

/// Which way a command's data moves (`dxfer_direction`).
public enum SGDataDirection: Int32, Sendable {
    case none = -1  // SG_DXFER_NONE
    case toDevice = -2  // SG_DXFER_TO_DEV
    case fromDevice = -3  // SG_DXFER_FROM_DEV
}

/// What SG_IO reported for one command.
public struct SGIOResult: Sendable, Equatable {
    public var status: UInt8
    public var sense: [UInt8]
    /// The Data-In buffer's first `dxfer_len - resid` bytes.
    public var dataIn: [UInt8]
    public var residual: Int
    /// Transport (`host_status`, DID_*) and driver (`driver_status`, DRIVER_*) errors; 0 when none.
    public var hostStatus: UInt16
    public var driverStatus: UInt16
}

public enum SGIO {
    /// `_IO(0x22, 0x85)`.
    static let request: UInt = 0x2285
    static let headerSize = 88
    static let senseBufferSize = 252

    /// Sends one CDB to the open sg (or block) device `fd`: Data-Out `dataOut` or a Data-In buffer of
    /// `dataInLength` bytes (not both: SG_IO has no bidirectional transfer). Waits up to `timeoutMilliseconds`.
    /// - Throws: the ioctl's errno (EINVAL for a CDB the driver will not carry, ENODEV, ...).
    @inline(never)
    public static func execute(
        fd: borrowing FileDescriptor, cdb: [UInt8], dataOut: [UInt8]?, dataInLength: Int, timeoutMilliseconds: UInt32
    ) throws(Errno) -> SGIOResult {
        guard (1...255).contains(cdb.count), dataInLength >= 0, dataInLength <= Int(UInt32.max),
            (dataOut?.count ?? 0) <= Int(UInt32.max), dataOut == nil || dataInLength == 0
        else { throw Errno.invalidArgument }
        let descriptor = fd.rawValue
        var command = cdb
        var sense = [UInt8](repeating: 0, count: senseBufferSize)
        var data = dataOut ?? [UInt8](repeating: 0, count: dataInLength)
        let direction: SGDataDirection =
            dataOut != nil ? .toDevice : (dataInLength > 0 ? .fromDevice : .none)
        var result = SGIOResult(status: 0, sense: [], dataIn: [], residual: 0, hostStatus: 0, driverStatus: 0)
        var failure: Errno?
        var resid: Int32 = 0
        var senseWritten = 0
        var header = [UInt8](repeating: 0, count: headerSize)
        command.withUnsafeMutableBytes { cmdp in
            sense.withUnsafeMutableBytes { sbp in
                data.withUnsafeMutableBytes { dxferp in
                    header.withUnsafeMutableBytes { h in
                        h.storeBytes(of: Int32(UInt8(ascii: "S")), toByteOffset: 0, as: Int32.self)
                        h.storeBytes(of: direction.rawValue, toByteOffset: 4, as: Int32.self)
                        h.storeBytes(of: UInt8(cmdp.count), toByteOffset: 8, as: UInt8.self)
                        h.storeBytes(of: UInt8(sbp.count), toByteOffset: 9, as: UInt8.self)
                        let length = direction == .none ? 0 : dxferp.count
                        h.storeBytes(of: UInt32(length), toByteOffset: 12, as: UInt32.self)
                        h.storeBytes(of: UInt(bitPattern: dxferp.baseAddress), toByteOffset: 16, as: UInt.self)
                        h.storeBytes(of: UInt(bitPattern: cmdp.baseAddress), toByteOffset: 24, as: UInt.self)
                        h.storeBytes(of: UInt(bitPattern: sbp.baseAddress), toByteOffset: 32, as: UInt.self)
                        h.storeBytes(of: timeoutMilliseconds, toByteOffset: 40, as: UInt32.self)
                        do throws(Errno) { try Syscalls.retrying { ioctl(descriptor, request, h.baseAddress!) } } catch {
                            failure = error
                            return
                        }
                        result.status = h.load(fromByteOffset: 64, as: UInt8.self)
                        senseWritten = Int(h.load(fromByteOffset: 67, as: UInt8.self))
                        result.hostStatus = h.loadUnaligned(fromByteOffset: 68, as: UInt16.self)
                        result.driverStatus = h.loadUnaligned(fromByteOffset: 70, as: UInt16.self)
                        resid = h.loadUnaligned(fromByteOffset: 72, as: Int32.self)
                    }
                }
            }
        }
        if let failure { throw failure }
        // resid is untrusted: clamp it to the buffer offered.
        let transferred = direction == .fromDevice ? max(0, min(dataInLength, dataInLength - Int(resid))) : 0
        result.sense = Array(sense.prefix(min(senseWritten, senseBufferSize)))
        result.dataIn = Array(data.prefix(transferred))
        result.residual = dataInLength - transferred
        return result
    }
}
