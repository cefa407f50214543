import RingIO
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
    /// The bare floor loop, one per run (memory and file workloads only).
    var floors: [FloorSample] = []
    /// The file READ's second floor, one per run: the pread loop into rotating data-area blocks.
    var dataAreaFloors: [FloorSample] = []

    var ring: Spread { Spread(samples.map(\.ringNs)) }
    var ringP50: Spread { Spread(samples.map(\.ringP50Ns)) }
    var total: Spread { Spread(samples.map(\.totalNs)) }
    var floor: Spread? { floors.isEmpty ? nil : Spread(floors.map(\.ns)) }
    var floorP50: Spread? { floors.isEmpty ? nil : Spread(floors.map(\.p50Ns)) }
    var dataAreaFloorP50: Spread? { dataAreaFloors.isEmpty ? nil : Spread(dataAreaFloors.map(\.p50Ns)) }

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

    /// The summary. Per workload: ring ns/command (best and median run), the median run's p50 batch,
    /// M commands/s of the best run, ns/command with the simulated kernel's side; for the memory and
    /// file workloads the floor (best and median run, p50 batch) and the ratios ring/floor (best runs,
    /// and p50 batches); for the file READ also the data-area floor's p50 batch and the ratio of the p50s.
    static func table(_ rows: [ResultRow]) -> String {
        let widths = [30, 13, 6, 7, 13, 13, 6, 6, 6, 9, 6]
        func line(_ cells: [String]) -> String {
            zip(cells, widths).enumerated().map { i, c in pad(c.0, c.1, left: i == 0) }.joined(separator: " ")
        }
        let header = line(["workload", "ring ns/cmd", "p50", "Mcmd/s", "+kernel ns", "floor ns", "p50", "ratio", "p50", "da-fl p50", "ratio"])
        var lines = [
            "", "ns per command, best / median of the runs; p50 = median batch of 32 (unpreempted cost);",
            "ring = userspace (RingServiceLoop.serviceRing); +kernel adds the simulated kernel's submit and reap;",
            "floor = bare pread/pwrite (memcpy) loop; da-fl = data-area floor (pread into 32 rotating 4 KiB blocks)",
            header, String(repeating: "-", count: header.count),
        ]
        for row in rows {
            let r = row.ring, t = row.total
            var cells = [
                row.name, "\(Int(r.best)) / \(Int(r.median))", "\(Int(row.ringP50.median))", fixed(1e3 / r.best, 2),
                "\(Int(t.best)) / \(Int(t.median))",
            ]
            if let f = row.floor, let f50 = row.floorP50 {
                cells += [
                    "\(Int(f.best)) / \(Int(f.median))", "\(Int(f50.median))", ratio(r.best, f.best),
                    ratio(row.ringP50.median, f50.median),
                ]
            }
            if let d50 = row.dataAreaFloorP50 {
                cells += ["\(Int(d50.median))", ratio(row.ringP50.median, d50.median)]
            }
            lines.append(line(cells))
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
