import ArgumentParser
import Foundation
import RingIO

/// `emud replay PATH… [--junit FILE]`: replays corpus files through the simulated kernel ring and
/// compares every completion byte for byte. The last line is `N passed, M failed`.
struct Replay: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Replay conformance corpora against emud's devices and compare every answer.",
        discussion: """
            Each corpus (docs/corpus-format.md) builds its device from its header in a scratch directory \
            and sends every CDB through the simulated TCMU ring, in order. A directory stands for every \
            *.corpus file under it. Exits 1 when any exchange differs or a corpus cannot be replayed. \
            With --sg /dev/sgN the header is ignored and every CDB goes to that device through SG_IO; \
            the device keeps its state from one corpus to the next.
            """)

    @Argument(help: "Corpus files or directories of them.")
    var paths: [String]

    @Option(name: .long, help: "Write JUnit XML (one testsuite per corpus, one testcase per exchange) to FILE.")
    var junit: String?

    @Flag(name: .long, help: "Print one line per corpus file, passed or not.")
    var verbose = false

    @Option(
        name: .long,
        help: "Send the exchanges to this real device (/dev/sgN) through SG_IO instead of building the header's device.")
    var sg: String?

    func run() throws {
        let files: [String]
        do { files = try CorpusReplay.corpusFiles(paths) } catch {
            printError("emud replay: \(error)")
            throw ExitCode(1)
        }
        let replay = CorpusReplay()
        var reports: [CorpusReplayReport] = []
        for file in files {
            let report = sg.map { CorpusSGReplay(devicePath: $0).replay(fileAt: file) } ?? replay.replay(fileAt: file)
            if !report.passed { print(report.failureText, terminator: "") }
            if verbose || !report.passed {
                print("\(report.passed ? "ok  " : "FAIL") \(file): \(report.passedCount) passed, \(report.failedCount) failed")
            }
            reports.append(report)
        }
        if let junit {
            do { try CorpusJUnit.xml(reports).write(toFile: junit, atomically: true, encoding: .utf8) } catch {
                printError("emud replay: --junit \(junit): \(error.localizedDescription)")
                throw ExitCode(1)
            }
        }
        let passed = reports.reduce(0) { $0 + $1.passedCount }
        let failed = reports.reduce(0) { $0 + $1.failedCount }
        if files.isEmpty { printError("emud replay: no *.corpus files in \(paths.joined(separator: " "))") }
        print("\(passed) passed, \(failed) failed")
        if failed > 0 || files.isEmpty { throw ExitCode(1) }
    }
}
