#if canImport(Glibc)
import Glibc
#endif
import SCSIEmu

/// Scale figures for the benchmark executable: a sparse 20 TiB host-managed image with 256 MiB zones
/// (81 920 zones) — format, reopen, and a full REPORT ZONES, in one call and as Linux's sd_zbc sweep
/// (PARTIAL, 512 KiB per call). The image must be on a file system that allows 20 TiB files (ext4 stops
/// at 16 TiB: use XFS, btrfs or tmpfs).
public enum ZonedBenchmark {
    public struct Figures: Sendable, CustomStringConvertible {
        public var zones: Int
        public var formatSeconds: Double
        public var reopenSeconds: Double
        public var reportAllSeconds: Double
        public var sweepSeconds: Double
        public var sweepCalls: Int
        public var imageAllocatedBytes: UInt64

        public var description: String {
            func ms(_ s: Double) -> String { String(Int((s * 1000).rounded())) + " ms" }
            return "zbc 20 TiB / 256 MiB zones (\(zones) zones): format \(ms(formatSeconds)), reopen "
                + "\(ms(reopenSeconds)), REPORT ZONES all in one call \(ms(reportAllSeconds)), sd_zbc sweep "
                + "\(sweepCalls) × 512 KiB \(ms(sweepSeconds)), image space allocated \(imageAllocatedBytes >> 20) MiB"
        }
    }

    static func now() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_MONOTONIC, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
    }

    /// Runs the measurement on an image at `path` (removed afterwards).
    public static func run(path: String) throws -> Figures {
        unlink(path)
        defer { unlink(path) }
        let size: UInt64 = 20 << 40
        var t = now()
        var d: ZonedDevice? = try ZonedDevice(configString: "zbc/zsize-256@\(path)", deviceSize: size)
        let format = now() - t
        d?.close()
        d = nil
        t = now()
        let device = try ZonedDevice(configString: "zbc/\(path)", deviceSize: size)
        let reopen = now() - t
        let zones = device.geometry.layout.zoneCount

        func report(_ lba: UInt64, _ alloc: Int, partial: Bool) -> [UInt8] {
            let owned = OwnedDataBuffer(count: alloc)
            var cdb: [UInt8] = [0x95, 0x00]
            cdb.appendBigEndian(lba)
            cdb.appendBigEndian(UInt32(alloc))
            cdb += [partial ? 0x80 : 0, 0]
            var c = SCSICommand(cdb: CDB(cdb)!, data: owned.view)
            let r = device.execute(&c)
            return Array(owned.bytes.prefix(r.dataInLength))
        }
        t = now()
        let all = report(0, 64 + 64 * zones, partial: false)
        let reportAll = now() - t
        precondition(all.count == 64 + 64 * zones)
        t = now()
        var lba: UInt64 = 0
        var calls = 0
        let capacity = device.geometry.layout.capacity
        while lba < capacity {
            let chunk = report(lba, 512 << 10, partial: true)
            calls += 1
            let n = (chunk.count - 64) / 64
            guard n > 0 else { break }
            let last = 64 + (n - 1) * 64
            lba = chunk.bigEndianValue(at: last + 16, width: 8) + chunk.bigEndianValue(at: last + 8, width: 8)
        }
        let sweep = now() - t
        var st = stat()
        stat(path, &st)
        device.close()
        return Figures(
            zones: zones, formatSeconds: format, reopenSeconds: reopen, reportAllSeconds: reportAll,
            sweepSeconds: sweep, sweepCalls: calls, imageAllocatedBytes: UInt64(st.st_blocks) * 512)
    }
}
