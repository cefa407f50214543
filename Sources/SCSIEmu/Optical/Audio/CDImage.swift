import Sense
import Synchronization

/// A CD opened from a CUE sheet and its BIN files: the layout, and each sector's bytes as a drive reads
/// them from the disc (2352 raw bytes; mode 1 sync, header, EDC and ECC generated for MODE1/2048 files;
/// empty PREGAP/POSTGAP sectors generated).
public final class CDImage: Sendable {
    public let sheetPath: String
    public let layout: CDLayout
    let files: [FileStore]
    /// The last sector the head read (READ SUB-CHANNEL current position, MMC-6 §6.28.3.2): track 1's
    /// start until a READ CD moves it.
    let headPosition: Atomic<UInt32>

    /// Opens the sheet at `path` and its files (named relative to the sheet's folder, or absolute).
    /// - Throws: `.image` when a file cannot be opened, `.unusableImage` with the `CueSheetError` text.
    public init(sheetPath path: String) throws(OpticalControlError) {
        let text: [UInt8]
        do throws(StoreError) {
            let store = try FileStore(path: path, readOnly: true)
            defer { store.close() }
            guard store.size <= 1 << 20 else {
                throw StoreError.unsupported("a CUE sheet of \(store.size) bytes (more than 1 MiB)")
            }
            text = try store.readBytes(count: Int(store.size), at: 0)
        } catch {
            throw .image(error)
        }
        let sheet: CueSheet
        do { sheet = try CueSheet(parsing: String(decoding: text, as: UTF8.self)) } catch {
            throw .unusableImage(path: path, reason: error.description)
        }
        let folder = path.lastIndex(of: "/").map { String(path[...$0]) } ?? ""
        var files: [FileStore] = []
        for file in sheet.files {
            let filePath = file.name.hasPrefix("/") ? file.name : folder + file.name
            do { files.append(try FileStore(path: filePath, readOnly: true, endIsError: true)) } catch {
                files.forEach { $0.close() }
                throw .image(error)
            }
        }
        do throws(CueSheetError) {
            layout = try CDLayout(sheet, fileSizes: files.map(\.size))
        } catch {
            files.forEach { $0.close() }
            throw .unusableImage(path: path, reason: error.description)
        }
        self.sheetPath = path
        self.files = files
        self.headPosition = Atomic(layout.tracks[0].start)
    }

    public var blockCount: UInt32 { layout.leadOut }

    func close() { files.forEach { $0.close() } }

    /// The 2352 bytes of sector `lba` (inside the disc) and its kind.
    /// - Throws: MEDIUM ERROR 11/00 when its file cannot be read (shrunk underneath the drive).
    public func sector(_ lba: UInt32) throws(Sense) -> (raw: [UInt8], kind: CDSectorKind) {
        guard let extent = layout.extent(at: lba) else { throw Sense(.illegalRequest, .logicalBlockAddressOutOfRange) }
        let raw = try rawSector(lba, extent)
        return (raw, CDSectorKind.of(raw: raw, track: extent.mode))
    }

    func rawSector(_ lba: UInt32, _ extent: CDLayout.Extent) throws(Sense) -> [UInt8] {
        guard let f = extent.file else { return Self.emptySector(lba: lba, mode: extent.mode) }
        let size = extent.mode.fileSectorSize
        let offset = extent.fileOffset + UInt64(lba - extent.start) * UInt64(size)
        let stored: [UInt8]
        do { stored = try files[f].readBytes(count: size, at: offset) } catch {
            throw error.sense(writing: false, firstBlock: UInt64(lba))
        }
        return extent.mode == .mode1Cooked ? CDSector.mode1(lba: lba, userData: stored) : stored
    }

    /// A sector not in any file: digital silence, or a mode 1 / mode 2 sector of zeros.
    static func emptySector(lba: UInt32, mode: CDTrackMode) -> [UInt8] {
        switch mode {
        case .audio: return [UInt8](repeating: 0, count: CDSector.rawSize)
        case .mode1Cooked, .mode1Raw: return CDSector.mode1(lba: lba, userData: [UInt8](repeating: 0, count: 2048))
        case .mode2Raw:
            return CDSector.sync + MSF(lba: lba).bcd + [0x02] + [UInt8](repeating: 0, count: CDSector.rawSize - 16)
        }
    }

    /// Reads the 2048-byte user data of the data sectors `lba…` into `buffer[range]` (READ(10)/(12): a
    /// mode 1 or mode 2 form 1 sector's user data), straight from the files; empty sectors read as zeros.
    func readUserData(into buffer: DataBuffer, _ range: Range<Int>, at byteOffset: UInt64) throws(StoreError) {
        var done = 0
        while done < range.count {
            let position = byteOffset + UInt64(done)
            let lba = UInt32(position / 2048)
            let within = Int(position % 2048)
            let n = min(2048 - within, range.count - done)
            let piece = range.lowerBound + done..<range.lowerBound + done + n
            guard let extent = layout.extent(at: lba) else { throw .outOfRange }
            if let f = extent.file, extent.mode.isData {
                let sector = UInt64(lba - extent.start)
                let size = UInt64(extent.mode.fileSectorSize)
                let userDataOffset: UInt64 = switch extent.mode {
                case .mode1Cooked: 0
                case .mode1Raw: 16
                case .mode2Raw, .audio: 24
                }
                try files[f].read(into: buffer, piece, at: extent.fileOffset + sector * size + userDataOffset + UInt64(within))
            } else {
                buffer.zero(piece)
            }
            done += n
        }
    }
}
