import Foundation
import TestSupport
import Testing

/// `emud serve`'s command line as tcmu-runner's users type it, run through the built binary.
@Suite(.enabled(if: emudBinary != nil, "emud binary not built next to the tests"))
struct ServeFlagsTests {
    @Test func tcmuRunnersVersionFlag() throws {
        for args in [["-V"], ["serve", "-V"], ["-d", "--handler_path", "/usr/lib/tcmu-runner", "-V"]] {
            let r = try runEmud(args)
            #expect(r.status == 0, "\(args)")
            #expect(r.out.hasPrefix("emud "), "\(args)")
        }
    }

    @Test func badConfigShowsServeUsageAndTheAbsolutePath() throws {
        let r = try runEmud(["serve", "--config", "no-such-dir/tcmu.conf"])
        #expect(r.status == 64)
        let cwd = FileManager.default.currentDirectoryPath
        #expect(r.err.contains("\(cwd)/no-such-dir/tcmu.conf: No such file or directory"))
        #expect(r.err.contains("Usage: emud serve"))
    }

    @Test func badConfigLineNamesLineAndKey() throws {
        let dir = try ConfigScratch()
        try dir.write("log_level = 3\r\nlog_dir = \"/var/log\" junk\r\n", to: "tcmu.conf")
        let r = try runEmud(["serve", "--config", dir.path + "/tcmu.conf"])
        #expect(r.status == 64)
        #expect(r.err.contains("tcmu.conf: line 2: log_dir: unexpected 'junk' after the quoted value"))
        #expect(r.err.contains("Usage: emud serve"))
    }

    @Test func nofileOutOfTcmuRunnersRangeIsRefused() throws {
        let r = try runEmud(["serve", "-f", "10"])
        #expect(r.status == 64)
        #expect(r.err.contains("--nofile 10: expected 65536 to 1048576"))
    }
}
