import Foundation
import Logging
import RingIO
import SCSIEmu

/// Many devices in one process, each as the daemon serves it: a `RingServiceLoop` with its ring thread and
/// the I/O workers the `file`/`qcow` handlers ask for, over a simulated kernel ring (64 KiB ring, 1 MiB
/// data area) and a 4 MiB memory disk. Measures what a device costs while idle (threads, resident
/// memory, CPU, wake-ups) and what all of them do together under load: one driver thread keeps
/// `depth` 4 KiB READs in flight on every device, round robin, for `seconds`. `shared`: every ring on one
/// `RingScheduler` (the daemon's layout since issue 16); otherwise each with threads of its own (before).
enum ScaleBenchmark {
    struct Figures: CustomStringConvertible {
        var devices: Int
        var createMs: Double
        var threadsPerDevice: Double
        var rssKiBPerDevice: Double
        var idleCPUPercent: Double
        var idleWakeupsPerDeviceSecond: Double
        var iops: Double
        var fairness: Double
        var removeMs: Double

        var description: String {
            String(
                format: "%d devices: create %.0f ms, %.1f threads and %.0f KiB RSS per device; idle: %.1f %% CPU, "
                    + "%.0f wake-ups/s per device; loaded: %.0f IOPS total (4 KiB READ), min/max per device %.2f; "
                    + "remove %.0f ms", devices, createMs, threadsPerDevice, rssKiBPerDevice, idleCPUPercent,
                idleWakeupsPerDeviceSecond, iops, fairness, removeMs)
        }
    }

    static let diskBytes = 4 << 20
    static let workersPerDevice = 2  // BlockHandlers' ioWorkerThreads (file, qcow)

    static func run(devices count: Int, shared: Bool, depth: Int = 8, seconds: Double = 3) throws -> Figures {
        var logger = Logger(label: "bench-scale")
        logger.logLevel = .warning
        let threads0 = processStatus("Threads"), rss0 = processStatus("VmRSS")
        let scheduler = shared ? try RingScheduler.shared() : nil
        let t0 = clock.now
        var kernels: [SimulatedKernel] = []
        var runners: [RingServiceLoop] = []
        for i in 0..<count {
            let kernel = try SimulatedKernel()
            let disk = try BlockDevice(store: try MemoryStore(size: UInt64(diskBytes)), configuration: BlockDeviceConfiguration())
            let runner = RingServiceLoop(
                name: "scale\(i)", device: disk, ring: try kernel.makeRing(), doorbell: kernel.doorbell,
                ioWorkers: workersPerDevice, scheduler: scheduler, logger: logger)
            runner.start()
            kernels.append(kernel)
            runners.append(runner)
        }
        let createMs = nanoseconds(clock.now - t0) / 1e6
        Thread.sleep(forTimeInterval: 0.5)
        let threads = Double(processStatus("Threads") - threads0) / Double(count)
        let rss = Double(processStatus("VmRSS") - rss0) / Double(count)

        // Idle: nothing queued for 2 s.
        let cpu0 = cpuTicks(), wake0 = contextSwitches()
        Thread.sleep(forTimeInterval: 2)
        let idleCPU = Double(cpuTicks() - cpu0) / 2  // ticks per second = % of one CPU at 100 Hz
        let idleWakeups = Double(contextSwitches() - wake0) / 2 / Double(count)

        // Loaded: `depth` READs in flight on every device.
        let units = diskBytes / 4096
        var done = [Int](repeating: 0, count: count)
        var inFlight = [Int](repeating: 0, count: count)
        var next = 0
        let deadline = clock.now + .milliseconds(Int(seconds * 1000))
        while clock.now < deadline {
            for d in 0..<count {
                let k = kernels[d]
                if inFlight[d] > 0 {
                    _ = k.waitForCompletions(timeoutMilliseconds: 0)
                    let reaped = try k.reap()
                    done[d] += reaped.count
                    inFlight[d] -= reaped.count
                }
                guard inFlight[d] < depth else { continue }
                for _ in inFlight[d]..<depth {
                    let lba = (next &* 7919 % units) * 8
                    next += 1
                    let cdb: [UInt8] = [0x28, 0, UInt8(lba >> 24 & 0xFF), UInt8(lba >> 16 & 0xFF), UInt8(lba >> 8 & 0xFF),
                                        UInt8(lba & 0xFF), 0, 0, 8, 0]
                    try k.submit(cdb: cdb, dataOut: nil, dataInLength: 4096, notify: false)
                }
                inFlight[d] = depth
                k.notifyUser()
            }
        }
        let total = done.reduce(0, +)
        let fairness = Double(done.min() ?? 0) / Double(max(1, done.max() ?? 1))

        let t1 = clock.now
        for r in runners { r.stop() }
        runners.removeAll()
        kernels.removeAll()
        let removeMs = nanoseconds(clock.now - t1) / 1e6
        return Figures(
            devices: count, createMs: createMs, threadsPerDevice: threads, rssKiBPerDevice: rss,
            idleCPUPercent: idleCPU, idleWakeupsPerDeviceSecond: idleWakeups, iops: Double(total) / seconds,
            fairness: fairness, removeMs: removeMs)
    }

    /// A numeric field of /proc/self/status ("Threads", "VmRSS" in KiB).
    static func processStatus(_ field: String) -> Int {
        let text = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
        for line in text.split(separator: "\n") where line.hasPrefix(field + ":") {
            return Int(line.dropFirst(field.count + 1).split(whereSeparator: \.isWhitespace).first ?? "") ?? 0
        }
        return 0
    }

    /// utime + stime of the process, in clock ticks (/proc/self/stat fields 14 and 15).
    static func cpuTicks() -> Int {
        let text = (try? String(contentsOfFile: "/proc/self/stat", encoding: .utf8)) ?? ""
        guard let close = text.lastIndex(of: ")") else { return 0 }
        let fields = text[text.index(after: close)...].split(separator: " ")
        return (Int(fields[11]) ?? 0) + (Int(fields[12]) ?? 0)
    }

    /// Voluntary context switches (a thread going to sleep, then woken) summed over the threads.
    static func contextSwitches() -> Int {
        let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/task")) ?? []
        var sum = 0
        for t in tasks {
            let text = (try? String(contentsOfFile: "/proc/self/task/\(t)/status", encoding: .utf8)) ?? ""
            for line in text.split(separator: "\n") where line.hasPrefix("voluntary_ctxt_switches:") {
                sum += Int(line.split(separator: "\t").last ?? "") ?? 0
            }
        }
        return sum
    }
}
