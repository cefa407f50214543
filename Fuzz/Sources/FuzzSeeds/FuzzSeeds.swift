import Conformance
import FuzzSupport
import SCSIEmu

#if canImport(Glibc)
import Glibc
#endif

/// `FuzzSeeds FIXTURES OUT`: writes a seed corpus for every fuzz target under OUT/<target>/, from the
/// conformance corpora in FIXTURES (their CDBs, data and config strings) and from images made now
/// (qemu-img for qcow2, emud's own zoned format). Nothing here is committed: CI makes it each run.
struct FuzzSeeds {
    static func main() {
        let args = CommandLine.arguments
        guard args.count == 3 else {
            print("usage: FuzzSeeds FIXTURES-DIR OUT-DIR")
            exit(2)
        }
        let out = SeedDirectory(args[2])
        var corpora = 0
        for path in CorpusFiles.find(args[1]) {
            guard let bytes = FuzzDevice.readFile(path) else { continue }
            corpora += 1
            out.add("FuzzCorpus", bytes)
            guard let corpus = try? CorpusParser.parse(String(decoding: bytes, as: UTF8.self)) else { continue }
            let config = corpus.header.configString
            out.add("FuzzConfigString", Array(config.utf8))
            // SBC corpora (file/ or qcow/) seed both disk targets: the commands are the same.
            let targets: [String] =
                config.hasPrefix("file/") || config.hasPrefix("qcow/") ? ["FuzzCDBDisk", "FuzzCDBQcow2"]
                : config.hasPrefix("fbo/") ? ["FuzzCDBOptical"] : config.hasPrefix("zbc/") ? ["FuzzCDBZoned"] : []
            for target in targets {
            var batch: [UInt8] = [0]
            var n = 0
            for e in corpus.exchanges {
                let data: [UInt8]? = e.dataOut.map { payload in
                    if case .bytes(let b) = payload { return b }
                    return [UInt8](repeating: 0x5A, count: min(payload.length, 65_535))
                }
                batch += CommandProgram.encode(cdb: e.cdb, dataOut: data, dataInLength: e.dataInLength)
                n += 1
                if n == CommandProgram.maximumCommands || batch.count > 32_768 {
                    out_add(out, target, &batch, &n)
                }
            }
            if n > 0 { out_add(out, target, &batch, &n) }
            }
        }
        for s in HandWritten.configStrings { out.add("FuzzConfigString", Array(s.utf8)) }
        for s in HandWritten.tcmuConf { out.add("FuzzTCMUConf", Array(s.utf8)) }
        for s in HandWritten.controlRequests { out.add("FuzzControlRequest", s) }
        for s in HandWritten.ringPrograms { out.add("FuzzRing", s) }
        for (cluster, compressed) in [(4096, false), (65_536, false), (4096, true)] {
            let path = FuzzDevice.path("seed.qcow2")
            QemuImage.make(path, clusterSize: cluster, compressed: compressed)
            let image = FuzzDevice.readFile(path) ?? []
            out.add("FuzzQcow2Image", [0] + image)
            out.add("FuzzQcow2Image", [1] + image)
        }
        for options in ["zsize-1/conv-1/open-2", "model-HA/zsize-2/conv-0/open-1", "lba-4096/zsize-1/conv-2/open-4"] {
            let image = ZonedSeed.make(options)
            out.add("FuzzZonedImage", [0] + image)
            out.add("FuzzZonedImage", [1] + image)
        }
        print("seeds from \(corpora) corpus files in \(args[1]):")
        for (target, count) in out.counts.sorted(by: { $0.key < $1.key }) { print("  \(target): \(count)") }
    }

    static func out_add(_ out: SeedDirectory, _ target: String, _ batch: inout [UInt8], _ n: inout Int) {
        out.add(target, batch)
        batch = [0]
        n = 0
    }
}

// Built with the fuzz targets' flags, so libFuzzer is linked in too: it needs a callback, and SwiftPM's
// `main` is this target's `FuzzSeeds_main` (see FuzzSupport/LibFuzzer.swift).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt { 0 }

@_cdecl("FuzzSeeds_main")
public func seedsMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    FuzzSeeds.main()
    return 0
}
