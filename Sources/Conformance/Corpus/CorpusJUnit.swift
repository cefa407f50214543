import Foundation

/// JUnit XML for replay reports: one `<testsuite>` per corpus file, one `<testcase>` per exchange, the
/// diff as the failure message (what CI systems show for a failed test). A differing exchange listed in
/// `known` (corpus path → title → entry) is `<skipped>` with the entry's reason: not a failure, not a pass.
public enum CorpusJUnit {
    public static func xml(_ reports: [CorpusReplayReport], known: [String: [String: KnownFailure]] = [:]) -> String {
        func isKnown(_ r: CorpusReplayReport, _ e: CorpusExchangeResult) -> Bool { !e.passed && known[r.path]?[e.title] != nil }
        func skipped(_ r: CorpusReplayReport) -> Int { r.results.count(where: { isKnown(r, $0) }) }
        let tests = reports.reduce(0) { $0 + $1.results.count + ($1.setupFailure == nil ? 0 : 1) }
        let skips = reports.reduce(0) { $0 + skipped($1) }
        let failures = reports.reduce(0) { $0 + $1.failedCount } - skips
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        out += "<testsuites name=\"emud replay\" tests=\"\(tests)\" failures=\"\(failures)\" skipped=\"\(skips)\">\n"
        for r in reports {
            let count = r.results.count + (r.setupFailure == nil ? 0 : 1)
            let skip = skipped(r)
            out += "  <testsuite name=\"\(escape(r.path))\" tests=\"\(count)\" failures=\"\(r.failedCount - skip)\" skipped=\"\(skip)\">\n"
            if let setup = r.setupFailure {
                out += "    <testcase classname=\"\(escape(r.path))\" name=\"setup\">\n"
                out += "      <failure message=\"\(escape(setup))\">\(escape(setup))</failure>\n"
                out += "    </testcase>\n"
            }
            for e in r.results {
                out += "    <testcase classname=\"\(escape(r.path))\" name=\"\(escape(e.heading))\""
                if e.passed {
                    out += "/>\n"
                    continue
                }
                if isKnown(r, e), let entry = known[r.path]?[e.title] {
                    out += ">\n      <skipped message=\"\(escape("known failure: " + entry.reason))\"/>\n    </testcase>\n"
                    continue
                }
                let first = e.failures.first.map { String($0.prefix(while: { $0 != "\n" })) } ?? "failed"
                out += ">\n      <failure message=\"\(escape(first))\">"
                out += escape("cdb \(Hex.string(e.cdb))\n\(e.diff)")
                out += "</failure>\n    </testcase>\n"
            }
            out += "  </testsuite>\n"
        }
        out += "</testsuites>\n"
        return out
    }

    /// XML text and attribute escaping; control characters other than tab and newline are dropped.
    static func escape(_ s: String) -> String {
        var out = ""
        for u in s.unicodeScalars {
            switch u {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\n", "\t": out.unicodeScalars.append(u)
            default: if u.value >= 0x20 { out.unicodeScalars.append(u) }
            }
        }
        return out
    }
}

extension CorpusReplay {
    /// The corpus files named by `paths`: a file as given, a directory as every `*.corpus` under it
    /// (recursively, sorted). Missing paths are reported, not skipped.
    public static func corpusFiles(_ paths: [String]) throws(CorpusReplayError) -> [String] {
        var out: [String] = []
        for path in paths {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw CorpusReplayError("\(path): no such file or directory")
            }
            guard isDirectory.boolValue else {
                out.append(path)
                continue
            }
            let base = path.hasSuffix("/") ? String(path.dropLast()) : path
            let found = (FileManager.default.enumerator(atPath: base)?.allObjects as? [String] ?? [])
                .filter { $0.hasSuffix(".corpus") && !$0.split(separator: "/").contains("blobs") }
                .sorted()
            out += found.map { base + "/" + $0 }
        }
        return out
    }
}
