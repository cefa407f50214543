import Conformance
import Foundation
import TestSupport

/// Where the committed corpora live — the repository's top-level `fixtures/` — found from this source file
/// (the test bundle has no resources).
enum ReplayFixtures {
    static let directory: String = {
        var url = URL(fileURLWithPath: #filePath)  // <repo>/Tests/Conformance/Support/ReplayFixtures.swift
        for _ in 0..<4 { url.deleteLastPathComponent() }  // <repo>
        return url.appendingPathComponent("fixtures").path
    }()

    /// Every `*.corpus` under fixtures/, relative to it, sorted.
    static let all: [String] = {
        let files = (try? CorpusReplay.corpusFiles([directory])) ?? []
        return files.map { String($0.dropFirst(directory.count + 1)) }
    }()

    static func path(_ relative: String) -> String { directory + "/" + relative }
}

/// 512 bytes per block of a recognisable pattern: byte i of block b is ((b + seed)·7 + i) mod 256.
func pattern(blocks: Int, seed: Int = 0) -> [UInt8] { TestPattern.blocks(from: seed, count: blocks) }
