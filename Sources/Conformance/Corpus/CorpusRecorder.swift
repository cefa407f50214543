#if canImport(Glibc)
import Glibc
#endif
import Foundation
import RingIO
import SCSIEmu
import Sense
import Synchronization
import SystemCalls

/// Writes every command a runner executes into a corpus file, in completion order: the header when
/// created, then one exchange block per command, each with a single write(2), so a daemon killed at
/// any point leaves a file that parses up to its last whole block. Large Data-Out goes to
/// `blobs/<sha256>` beside the file. Thread-safe (the ring thread and I/O workers call it).
public final class CorpusRecorder: CommandObserver {
    /// Payloads longer than this are written as a length and a SHA-256.
    public static let inlineLimit = 512

    public let path: String
    let blobDirectory: String
    let device: (any EmulatedDevice)?
    private let file: Mutex<Int32>

    /// Creates (truncates) the corpus file at `path` and writes the header.
    /// - Parameter device: asked for each CDB's data direction (its command table); without one, a
    ///   buffer counts as Data-In when the device produced Data-In, else as Data-Out.
    public init(path: String, header: CorpusHeader, device: (any EmulatedDevice)?) throws(CorpusCaptureError) {
        self.path = path
        self.device = device
        self.blobDirectory = (path.lastIndex(of: "/").map { String(path[..<$0]) } ?? ".") + "/blobs"
        let fd: Int32
        do { fd = try Syscalls.open(path, flags: O_WRONLY | O_CREAT | O_TRUNC | O_APPEND, mode: 0o644) } catch {
            throw CorpusCaptureError("\(path): \(error)")
        }
        self.file = Mutex(fd)
        try append(CorpusWriter.text(Corpus(header: header)))
    }

    deinit { close() }

    /// Closes the file; later commands are not recorded.
    public func close() {
        file.withLock { fd in
            if fd >= 0 { try? Syscalls.close(fd) }
            fd = -1
        }
    }

    public func commandCompleted(_ command: ObservedCommand) {
        let exchange = self.exchange(command)
        try? append("\n" + CorpusWriter.block(exchange))
    }

    /// The exchange as the initiator saw it: Data-In limited the way the kernel limits it (READ_LEN
    /// when reported; no data for CHECK CONDITION without it), sense cut to its declared length.
    func exchange(_ c: ObservedCommand) -> CorpusExchange {
        let bidi = c.bidiIn.count > 0
        let direction = device.flatMap { Self.direction(of: c.cdb, on: $0) }
        let isRead: Bool
        switch direction {
        case .fromDevice?: isRead = true
        case .toDevice?: isRead = false
        default: isRead = c.data.count > 0 && c.completion.dataInLength > 0
        }
        let outBytes: [UInt8]? = bidi || (!isRead && c.data.count > 0) ? c.dataBefore : nil
        let inBuffer = bidi ? c.bidiIn : (isRead ? c.data : DataBuffer())
        let inLength = inBuffer.count
        let readLength = !bidi && inLength > 0 && c.completion.dataInLength > 0
        let checkCondition = c.completion.status == .checkCondition
        let transferred =
            readLength ? min(c.completion.dataInLength, inLength) : (checkCondition ? 0 : inLength)
        let dataIn = inBuffer.bytes(from: 0, length: transferred)
        return CorpusExchange(
            title: title(c.cdb), cdb: c.cdb.bytes, dataOut: outBytes.map { payload($0, storeBlob: true) },
            dataInLength: inLength, status: c.completion.status.rawValue,
            sense: checkCondition ? CorpusSense.significant(c.completion.sense) : [],
            dataIn: payload(dataIn, storeBlob: false), residual: inLength - transferred)
    }

    /// The bytes inline, or their digest (a Data-Out blob is stored once under `blobs/`).
    func payload(_ bytes: [UInt8], storeBlob: Bool) -> CorpusPayload {
        guard bytes.count > Self.inlineLimit else { return .bytes(bytes) }
        let sha = SHA256.hex(bytes)
        if storeBlob { storeBlobFile(sha, bytes) }
        return .digest(sha256: sha, length: bytes.count)
    }

    private func storeBlobFile(_ sha: String, _ bytes: [UInt8]) {
        let target = blobDirectory + "/" + sha
        guard !FileManager.default.fileExists(atPath: target) else { return }
        try? FileManager.default.createDirectory(atPath: blobDirectory, withIntermediateDirectories: true)
        // Written whole under a temporary name, then renamed: a blob is complete or absent.
        let temporary = target + ".partial-\(getpid())"
        guard FileManager.default.createFile(atPath: temporary, contents: Data(bytes)) else { return }
        if rename(temporary, target) != 0 { try? FileManager.default.removeItem(atPath: temporary) }
    }

    /// The command's name from the device's table, or its opcode.
    func title(_ cdb: CDB) -> String {
        if let device, let name = Self.name(of: cdb, on: device) { return name }
        return "opcode " + Hex.string([cdb.opcode]) + "h"
    }

    static func direction(of cdb: CDB, on device: any EmulatedDevice) -> DataDirection? {
        device.describe(cdb)?.direction
    }

    static func name(of cdb: CDB, on device: any EmulatedDevice) -> String? {
        device.describe(cdb)?.name
    }

    /// Appends text with one write(2) per call (FileHandle retries a short write), under the lock.
    private func append(_ text: String) throws(CorpusCaptureError) {
        let data = Data(text.utf8)
        let failure: String? = file.withLock { fd in
            guard fd >= 0 else { return nil }
            do { try FileHandle(fileDescriptor: fd, closeOnDealloc: false).write(contentsOf: data) } catch {
                return "\(error)"
            }
            return nil
        }
        if let failure { throw CorpusCaptureError("\(path): \(failure)") }
    }
}

/// Why a capture could not be started or written.
public struct CorpusCaptureError: Error, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
