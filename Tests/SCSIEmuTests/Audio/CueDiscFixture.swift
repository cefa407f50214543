import Foundation
import TestSupport

@testable import SCSIEmu

/// A generated CUE/BIN mixed-mode disc in a temporary folder (removed when released):
///
///     data.bin   20 sectors MODE1/2048: track 1, LBA 0-19, sector k = OpticalImage.pattern(k)
///     audio.bin  25 sectors AUDIO (2352 bytes each, sector k = CueDiscFixture.audio(k)):
///                track 2: PREGAP 00:02:00 (LBA 20-169, not in the file), INDEX 01 = file 0 → LBA 170-179
///                track 3: INDEX 00 = file 10 (LBA 180), INDEX 01 = file 12 (LBA 182), to file 24 (LBA 194)
///     lead-out   LBA 195
///
/// Track 2 has FLAGS DCP (CONTROL 2h) and an ISRC; the disc a CATALOG.
final class CueDiscFixture {
    static let sheet = """
        REM a mixed-mode disc: one data track, two audio tracks
        CATALOG 0123456789012
        FILE "data.bin" BINARY
          TRACK 01 MODE1/2048
            INDEX 01 00:00:00
        FILE "audio.bin" BINARY
          TRACK 02 AUDIO
            FLAGS DCP
            ISRC USEMD2600001
            PREGAP 00:02:00
            INDEX 01 00:00:00
          TRACK 03 AUDIO
            INDEX 00 00:00:10
            INDEX 01 00:00:12

        """

    let folder: String
    var cuePath: String { folder + "/disc.cue" }

    init(sheet: String = CueDiscFixture.sheet, dataSectors: Int = 20, audioSectors: Int = 25) {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("cue-\(UUID().uuidString)").path
        try! FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: cuePath, contents: Data(sheet.utf8))
        let data = (0..<dataSectors).flatMap { OpticalImage.pattern($0) }
        FileManager.default.createFile(atPath: folder + "/data.bin", contents: Data(data))
        let audio = (0..<audioSectors).flatMap { Self.audio($0) }
        FileManager.default.createFile(atPath: folder + "/audio.bin", contents: Data(audio))
    }

    deinit { try? FileManager.default.removeItem(atPath: folder) }

    /// Byte j of audio file sector k: (k·7 + j) mod 256, 2352 bytes.
    static func audio(_ k: Int) -> [UInt8] { TestPattern.blocks(from: k, count: 1, blockSize: 2352) }

    /// A drive with this disc, opened from the config string `fbo/<path>.cue`.
    func drive() -> OpticalDevice {
        try! OpticalDevice(config: OpticalConfig(parsing: "fbo/\(cuePath)"), background: ManualBackground())
    }
}
