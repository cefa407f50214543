import ArgumentParser
import Conformance
import Foundation

/// `emud replay PATH… [--junit FILE] [--known-failures FILE]`: replays corpus files through the simulated
/// kernel ring and compares every completion byte for byte. The last line is `N passed, M failed, K known`.
struct Replay: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Replay conformance corpora against emud's devices and compare every answer.",
        discussion: """
            Each corpus (docs/corpus-format.md) builds its device from its header in a scratch directory \
            and sends every CDB through the simulated TCMU ring, in order. A directory stands for every \
            *.corpus file under it. An exchange listed in a known-failures file (the nearest one in the \
            corpus's directory or above, e.g. fixtures/known-failures, or --known-failures FILE) that \
            differs is counted as known, not failed. Exits 1 when any other exchange differs or a corpus \
            cannot be replayed. \
            With --sg /dev/sgN the header is ignored and every CDB goes to that device through SG_IO; \
            the device keeps its state from one corpus to the next.
            """)

    @Argument(help: "Corpus files or directories of them.")
    var paths: [String]

    @Option(name: .long, help: "Write JUnit XML (one testsuite per corpus, one testcase per exchange) to FILE.")
    var junit: String?

    @Option(
        name: .long,
        help: "Read the known failures from FILE (corpus paths relative to its directory) instead of the nearest known-failures file.")
    var knownFailures: String?

    @Flag(name: .long, help: "Count every differing exchange as failed, listed or not.")
    var noKnownFailures = false

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
        var lists: KnownFailureLists
        do { lists = try KnownFailureLists(file: knownFailures, disabled: noKnownFailures) } catch {
            printError("emud replay: \(error)")
            throw ExitCode(1)
        }
        let replay = CorpusReplay()
        var reports: [CorpusReplayReport] = []
        var total = KnownFailureTotals()
        var knownByCorpus: [String: [String: KnownFailure]] = [:]
        for file in files {
            let report = sg.map { CorpusSGReplay(devicePath: $0).replay(fileAt: file) } ?? replay.replay(fileAt: file)
            let verdict: KnownFailureVerdict
            do {
                knownByCorpus[file] = try lists.entries(forCorpusAt: file)
                verdict = KnownFailureVerdict(report, known: knownByCorpus[file] ?? [:])
            } catch {
                printError("emud replay: \(error)")
                throw ExitCode(1)
            }
            if verdict.failed > 0 { print(verdict.unexpected.failureText, terminator: "") }
            for title in verdict.stale {
                printError("emud replay: \(file): '\(title)' is listed as a known failure but passes: remove the entry")
            }
            if verbose || verdict.failed > 0 {
                let known = verdict.known > 0 ? ", \(verdict.known) known" : ""
                print("\(verdict.failed == 0 ? "ok  " : "FAIL") \(file): \(verdict.passed) passed, \(verdict.failed) failed\(known)")
            }
            total.add(verdict)
            reports.append(report)
        }
        if let junit {
            do { try CorpusJUnit.xml(reports, known: knownByCorpus).write(toFile: junit, atomically: true, encoding: .utf8) } catch {
                printError("emud replay: --junit \(junit): \(error.localizedDescription)")
                throw ExitCode(1)
            }
        }
        if files.isEmpty { printError("emud replay: no *.corpus files in \(paths.joined(separator: " "))") }
        print("\(total.passed) passed, \(total.failed) failed, \(total.known) known")
        if total.failed > 0 || files.isEmpty { throw ExitCode(1) }
    }
}
