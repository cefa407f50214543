import Foundation
import Logging
import SystemCalls
import Synchronization
import TCMUDaemon
import TestSupport
import Testing

/// A scratch folder for config files (TestSupport's TemporaryDirectory), removed afterwards.
final class ConfigScratch {
    let directory: TemporaryDirectory
    var path: String { directory.path }
    init() throws { directory = try TemporaryDirectory("config") }
    deinit { directory.remove() }

    /// Writes in place (open, truncate, write, close), as `echo >` does.
    func write(_ text: String, to name: String) throws {
        try text.write(toFile: path + "/" + name, atomically: false, encoding: .utf8)
    }

    /// Writes a temporary file and renames it over `name`, as vim, nano and `sed -i` save.
    func replace(_ name: String, with text: String) throws {
        try write(text, to: ".\(name).swp")
        #expect(rename(path + "/.\(name).swp", path + "/" + name) == 0)
    }

    func remove(_ name: String) throws { try FileManager.default.removeItem(atPath: path + "/" + name) }
}

/// Waits (at most 10 s) until `condition` holds; inotify delivers within milliseconds, the bound is for
/// a loaded machine only.
func eventually(_ condition: () -> Bool) -> Bool {
    for _ in 0..<1000 {
        if condition() { return true }
        usleep(10_000)
    }
    return condition()
}

/// Reloading tcmu.conf on change: real files in a real folder, real inotify.
@Suite struct ConfigReloadTests {
    @Test func watchSeesInPlaceWritesRenameReplaceAndRemoval() throws {
        let dir = try ConfigScratch()
        try dir.write("log_level = 3\n", to: "tcmu.conf")
        let calls = Atomic<Int>(0)
        let watch = try ConfigFileWatch(path: dir.path + "/tcmu.conf") { calls.add(1, ordering: .relaxed) }
        defer { watch.stop() }

        try dir.write("log_level = 4\n", to: "tcmu.conf")
        #expect(eventually { calls.load(ordering: .relaxed) >= 1 }, "in-place write")
        var seen = calls.load(ordering: .relaxed)
        try dir.replace("tcmu.conf", with: "log_level = 5\n")
        #expect(eventually { calls.load(ordering: .relaxed) > seen }, "rename over the file")
        seen = calls.load(ordering: .relaxed)
        try dir.remove("tcmu.conf")
        #expect(eventually { calls.load(ordering: .relaxed) > seen }, "removal")
    }

    @Test func otherFilesInTheFolderAreIgnored() throws {
        let dir = try ConfigScratch()
        let calls = Atomic<Int>(0)
        let watch = try ConfigFileWatch(path: dir.path + "/tcmu.conf") { calls.add(1, ordering: .relaxed) }
        defer { watch.stop() }
        try dir.write("x\n", to: "other.conf")
        try dir.write("x\n", to: "tcmu.conf.bak")
        // A sentinel change of the watched file proves the events before it were read and skipped.
        try dir.write("log_level = 1\n", to: "tcmu.conf")
        #expect(eventually { calls.load(ordering: .relaxed) >= 1 })
        usleep(100_000)
        #expect(calls.load(ordering: .relaxed) == 1)
    }

    @Test func missingFolderIsAnErrorNotACrash() {
        #expect(throws: Errno.noSuchFileOrDirectory) {
            _ = try ConfigFileWatch(path: "/nonexistent-emud-dir/tcmu.conf") {}
        }
    }

    @Test func liveSettingsApplyTheNewLevelAndKeepTheOldOnABadFile() throws {
        let dir = try ConfigScratch()
        let path = dir.path + "/tcmu.conf"
        try dir.write("log_level = 2\nlog_dir = /var/log\n", to: "tcmu.conf")
        let applied = Mutex<[String]>([])
        let settings = try LiveSettings(commandLine: DaemonSettings(), configPath: path, environment: [:]) { level, dir in
            applied.withLock { $0.append("\(level) \(dir ?? "-")") }
        }
        let watch = try #require(settings.watch(Logger(label: "test")))
        defer { watch.stop() }
        #expect(applied.withLock { $0 } == ["2 /var/log"])

        try dir.replace("tcmu.conf", with: "log_level = 5\r\n")
        #expect(eventually { applied.withLock { $0.last } == "5 -" })

        // A broken file is refused; the level in force stays.
        try dir.write("log_level = eleven\n", to: "tcmu.conf")
        try dir.write("log_level = 4 # good again\n", to: "other.conf")
        usleep(200_000)
        #expect(settings.resolved.level == 5)
        #expect(applied.withLock { $0.last } == "5 -")

        try dir.remove("tcmu.conf")
        #expect(eventually { applied.withLock { $0.last } == "3 -" }, "no file: the defaults")
    }

    @Test func commandLineLevelStaysOverAReloadedFile() throws {
        let dir = try ConfigScratch()
        try dir.write("log_level = 1\n", to: "tcmu.conf")
        let levels = Mutex<[Int]>([])
        let settings = try LiveSettings(
            commandLine: DaemonSettings(logLevel: 4), configPath: dir.path + "/tcmu.conf", environment: [:]
        ) { level, _ in levels.withLock { $0.append(level) } }
        settings.reload(Logger(label: "test"))
        try dir.write("log_level = 0\n", to: "tcmu.conf")
        settings.reload(Logger(label: "test"))
        #expect(levels.withLock { $0 } == [4, 4, 4])
    }
}
