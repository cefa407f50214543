import Sense
import SystemCalls

/// Why a backing store operation failed. Handlers turn it into sense data with `sense(writing:)`.
public enum StoreError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A system call failed: which one and its errno.
    case system(operation: String, errno: Errno)
    /// The store was opened read-only.
    case readOnly
    /// The byte range lies (partly) outside the store.
    case outOfRange
    /// The file system or image ran out of space (ENOSPC, EDQUOT, a full qcow2 refcount table).
    case noSpace
    /// An image's metadata is inconsistent (a qcow2 L2 entry past the end of the file, …).
    case corrupt(String)
    /// The store cannot do this (a feature of the image we do not implement).
    case unsupported(String)
    /// A read reached the end of a medium that must not read as zeros past it (a disc image shrunk
    /// underneath the drive): store byte `at` is the first one missing.
    case endOfMedium(at: UInt64)
    /// A distributed store cannot be reached now (an OSD or monitor stopped answering within the
    /// timeout, the client was blocklisted): the same command may succeed when it is retried.
    case unavailable(operation: String, errno: Errno)

    public var description: String {
        switch self {
        case let .system(op, e): SystemCallError(errno: e, operation: op).description
        case .readOnly: "store is read-only"
        case .outOfRange: "range outside the store"
        case .noSpace: "no space left for the store"
        case let .corrupt(what): "corrupt image: \(what)"
        case let .unsupported(what): "unsupported: \(what)"
        case let .endOfMedium(at): "the medium ends at byte \(at)"
        case let .unavailable(op, e): "store unavailable: \(SystemCallError(errno: e, operation: op))"
        }
    }

    /// The errno a control or netlink reply carries for this failure.
    public var errno: Errno {
        switch self {
        case .system(_, let e), .unavailable(_, let e): e
        case .readOnly: .readOnlyFileSystem
        case .noSpace: .noSpace
        case .outOfRange, .unsupported: .invalidArgument
        case .corrupt, .endOfMedium: .ioError
        }
    }

    /// The sense data a command reports for this failure (SBC-4 §4.18 and SPC-5 table 50): read errors are
    /// MEDIUM ERROR 11/00, write errors MEDIUM ERROR 0C/00, a full thin store DATA PROTECT 27/07. A
    /// MEDIUM ERROR carries `firstBlock`, the LBA of the first block that failed, in INFORMATION.
    public func sense(writing: Bool, firstBlock: UInt64? = nil) -> Sense {
        switch self {
        case .readOnly: Sense(.dataProtect, .writeProtected)
        case .outOfRange: Sense(.illegalRequest, .logicalBlockAddressOutOfRange)
        case .noSpace: Sense(.dataProtect, .spaceAllocationFailedWriteProtect)
        // A write refused because the image's metadata is inconsistent (a qcow2 data cluster on its own
        // tables, an image marked corrupt): MEDIUM FORMAT CORRUPTED (31/00), which is the truth and
        // does not invite a retry; WRITE ERROR (0C/00) would suggest a defect at that LBA that a retry
        // or reassignment could get past.
        case .corrupt where writing: Sense(.mediumError, .mediumFormatCorrupted)
        // The store did not answer in time: ABORTED COMMAND (SPC-5 §4.4.3: the application client may
        // recover by trying the command again) / LOGICAL UNIT COMMUNICATION FAILURE (08/00). Nothing is
        // known about the medium, so no MEDIUM ERROR (which a host takes as a bad block).
        case .unavailable: Sense(.abortedCommand, .logicalUnitCommunicationFailure)
        case .system, .corrupt, .unsupported, .endOfMedium:
            Sense(.mediumError, writing ? .writeError : .unrecoveredReadError, information: firstBlock)
        }
    }
}

extension StoreError: SystemCallFailure {
    /// A full file system (ENOSPC, EDQUOT) is `noSpace`; any other failure names the call and its errno.
    public init(_ failure: SystemCallError) {
        self = failure.isOutOfSpace ? .noSpace : .system(operation: failure.operation, errno: failure.errno)
    }
}
