import SCSIEmu

/// Best and median of a list of timings.
struct Spread {
    var best: Double
    var median: Double

    init(_ values: [Double]) {
        let sorted = values.sorted()
        best = sorted.first ?? .nan
        median = sorted.isEmpty ? .nan : sorted.count % 2 == 1
            ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
    }
}

/// One workload's runs.
struct ResultRow {
    var name: String
    var samples: [Sample] = []
    /// The bare syscall loop's ns per call, one per run (file workloads only).
    var floorNs: [Double] = []

    var ring: Spread { Spread(samples.map(\.ringNs)) }
    var total: Spread { Spread(samples.map(\.totalNs)) }
    var floor: Spread? { floorNs.isEmpty ? nil : Spread(floorNs) }

    static func ratio(_ a: Double, _ b: Double) -> String { fixed(a / b, 2) }

    static func fixed(_ v: Double, _ digits: Int) -> String {
        guard v.isFinite else { return "-" }
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        let r = Int((v * scale).rounded())
        let whole = String(r / Int(scale))
        guard digits > 0 else { return whole }
        let frac = String(r % Int(scale))
        return whole + "." + String(repeating: "0", count: digits - frac.count) + frac
    }

    static func pad(_ s: String, _ width: Int, left: Bool = false) -> String {
        let fill = String(repeating: " ", count: max(0, width - s.count))
        return left ? s + fill : fill + s
    }

    /// The summary: ns/command in the ring (best, median), the Mcmds/s of the best run, the same with
    /// the simulated kernel's side, and the floor and ratio for the file workloads.
    static func table(_ rows: [ResultRow]) -> String {
        let header = [
            pad("workload", 31, left: true), pad("ring ns/cmd", 14), pad("M cmd/s", 8), pad("+kernel ns", 13),
            pad("floor ns", 13), pad("ratio", 11),
        ].joined(separator: " ")
        var lines = ["", "best / median ns per command (ring = userspace side only)", header,
                     String(repeating: "-", count: header.count)]
        for row in rows {
            let r = row.ring, t = row.total
            var cells = [
                pad(row.name, 31, left: true), pad("\(Int(r.best)) / \(Int(r.median))", 14),
                pad(fixed(1e3 / r.best, 2), 8), pad("\(Int(t.best)) / \(Int(t.median))", 13),
            ]
            if let f = row.floor {
                cells.append(pad("\(Int(f.best)) / \(Int(f.median))", 13))
                cells.append(pad("\(ratio(r.best, f.best)) / \(ratio(r.median, f.median))", 11))
            }
            lines.append(cells.joined(separator: " "))
        }
        return lines.joined(separator: "\n")
    }
}

/// The zoned scale figures over several runs: best and median of each time.
struct ZonedSummary {
    let figures: [ZonedBenchmark.Figures]
    init(_ figures: [ZonedBenchmark.Figures]) { self.figures = figures }

    var text: String {
        func ms(_ values: [Double]) -> String {
            let s = Spread(values)
            return "\(ResultRow.fixed(s.best * 1000, 1)) / \(ResultRow.fixed(s.median * 1000, 1)) ms"
        }
        guard let first = figures.first else { return "" }
        return """

            zoned, 20 TiB sparse image, 256 MiB zones: \(first.zones) zones (best / median of \(figures.count))
              format (create)                      \(ms(figures.map(\.formatSeconds)))
              open (reopen existing image)         \(ms(figures.map(\.reopenSeconds)))
              REPORT ZONES, all zones in one call  \(ms(figures.map(\.reportAllSeconds)))
              REPORT ZONES, sd_zbc sweep (\(first.sweepCalls) calls) \(ms(figures.map(\.sweepSeconds)))
              image space allocated                \(first.imageAllocatedBytes >> 20) MiB
            """
    }
}
