import Testing

@testable import SCSIEmu

/// The CUE sheet parser and the track layout it gives (Red Book timing: 75 frames a second, track 1's
/// 2 s pregap before LBA 0; MMC-6 §4.2.3.5).
@Suite struct CueSheetTests {
    @Test func parsesTheFixtureSheet() throws {
        let sheet = try CueSheet(parsing: CueDiscFixture.sheet)
        #expect(sheet.catalog == "0123456789012")
        #expect(sheet.files.map(\.name) == ["data.bin", "audio.bin"])
        let t = sheet.tracks
        #expect(t.map(\.number) == [1, 2, 3])
        #expect(t.map(\.mode) == [.mode1Cooked, .audio, .audio])
        #expect(t[1].pregapFrames == 150 && t[1].flags == 0x02 && t[1].isrc == "USEMD2600001")
        #expect(t[2].indexes == [CueSheet.Index(number: 0, frame: 10), CueSheet.Index(number: 1, frame: 12)])
        #expect(t.map(\.line) == [4, 7, 12])
    }

    @Test func layoutOfTheFixture() throws {
        let layout = try CDLayout(CueSheet(parsing: CueDiscFixture.sheet), fileSizes: [20 * 2048, 25 * 2352])
        #expect(layout.tracks.map(\.pregapStart) == [0, 20, 180])
        #expect(layout.tracks.map(\.start) == [0, 170, 182])
        #expect(layout.tracks.map(\.end) == [20, 180, 195])
        #expect(layout.tracks.map(\.adrControl) == [0x14, 0x12, 0x10])
        #expect(layout.leadOut == 195)
        // Extents: data file, generated pregap, audio file from frame 0 (track 2) and 10 (track 3).
        #expect(layout.extents.map(\.start) == [0, 20, 170, 180])
        #expect(layout.extents.map(\.file) == [0, nil, 1, 1])
        #expect(layout.extents.map(\.fileOffset) == [0, 0, 0, 10 * 2352])
        #expect(layout.extent(at: 169)?.file == nil && layout.extent(at: 194)?.start == 180 && layout.extent(at: 195) == nil)
        #expect(layout.track(at: 181)?.index(at: 181) == 0 && layout.track(at: 182)?.index(at: 182) == 1)
    }

    @Test func rawModesPostgapAndTrackOnePregap() throws {
        let text = """
            FILE "/abs/disc.bin" BINARY
              TRACK 01 MODE2/2352
                PREGAP 00:02:00
                INDEX 01 00:00:00
                POSTGAP 00:00:05
              TRACK 02 MODE1/2352
                INDEX 01 00:00:04
                INDEX 02 00:00:06
            """
        let layout = try CDLayout(CueSheet(parsing: text), fileSizes: [10 * 2352])
        // Track 1's PREGAP is the disc's 2 s before LBA 0: no LBAs. Its POSTGAP follows its 4 sectors.
        #expect(layout.tracks.map(\.start) == [0, 9])
        #expect(layout.tracks.map(\.end) == [9, 15])
        #expect(layout.tracks[1].laterIndexes == [11])
        #expect(layout.isXA && layout.leadOut == 15)
    }

    /// Each error names its line and field.
    @Test(arguments: [
        ("FILE \"a.bin\" WAVE\n", "cue sheet line 1, FILE type: 'WAVE' is not supported (only BINARY: raw sectors, little-endian audio)"),
        ("TRACK 01 AUDIO\n", "cue sheet line 1, TRACK: comes before any FILE"),
        ("FILE a.bin BINARY\n  TRACK 01 MODE2/2336\n", "cue sheet line 2, TRACK mode: 'MODE2/2336' is not supported (AUDIO, MODE1/2048, MODE1/2352, MODE2/2352)"),
        ("FILE a.bin BINARY\n  TRACK 02 AUDIO\n", "cue sheet line 2, TRACK number: 2 follows 0 (tracks go 1, 2, …)"),
        ("FILE a.bin BINARY\n  TRACK 01 AUDIO\n    INDEX 01 00:60:00\n", "cue sheet line 3, INDEX 01 time: '00:60:00' is not a time mm:ss:ff (seconds < 60, frames < 75)"),
        ("FILE a.bin BINARY\n  TRACK 01 AUDIO\n    INDEX 01 00:00:00\n  TRACK 02 AUDIO\n    INDEX 00 00:00:00\n", "cue sheet line 5, INDEX 00 time: 00:00:00 is not after the previous index"),
        ("FILE a.bin BINARY\n  TRACK 01 AUDIO\n    INDEX 00 00:00:00\n", "cue sheet line 2, TRACK 1: has no INDEX 01"),
        ("FILE a.bin BINARY\n  TRACK 01 AUDIO\n    INDEX 01 00:00:00\n    PREGAP 00:02:00\n", "cue sheet line 4, PREGAP: must come before the track's INDEX lines"),
        ("CATALOG 12345\n", "cue sheet line 1, CATALOG: '12345' is not 13 digits"),
        ("FILE a.bin BINARY\n  TRACK 01 AUDIO\n    FLAGS XYZ\n", "cue sheet line 3, FLAGS: unknown flag 'XYZ' (DCP, 4CH, PRE, SCMS)"),
        ("FILE a.bin BINARY\n  TRACK 01 MODE1/2048\n    INDEX 01 00:00:00\n  TRACK 02 AUDIO\n", "cue sheet line 4, TRACK mode: AUDIO sectors differ in size from MODE1/2048 in the same FILE"),
        ("BOGUS 1\n", "cue sheet line 1, BOGUS: unknown command"),
        ("REM nothing\n", "cue sheet line 2, TRACK: the sheet names no track"),
    ])
    func errorsNameLineAndField(text: String, message: String) {
        #expect(throws: CueSheetError.self) { try CueSheet(parsing: text) }
        do { _ = try CueSheet(parsing: text) } catch { #expect(error.description == message) }
    }

    @Test func layoutErrors() throws {
        let sheet = try CueSheet(parsing: CueDiscFixture.sheet)
        #expect(throws: CueSheetError(line: 3, field: "FILE data.bin", reason: "2049 bytes is not a whole number of 2048-byte sectors")) {
            try CDLayout(sheet, fileSizes: [2049, 25 * 2352])
        }
        #expect(throws: CueSheetError(line: 12, field: "TRACK 3", reason: "has no sectors of its own in audio.bin (12 sectors long)")) {
            try CDLayout(sheet, fileSizes: [20 * 2048, 12 * 2352])
        }
    }
}
