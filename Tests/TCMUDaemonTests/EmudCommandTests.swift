import Foundation
import Testing
import TestSupport

@Suite(.enabled(if: emudBinary != nil, "emud binary not built next to the tests"))
struct EmudCommandTests {

    func run(_ arguments: [String]) throws -> (status: Int32, out: String, err: String) {
        try runEmud(arguments)
    }

    @Test func checkConfigNamesTheFieldAndFails() throws {
        let r = try run(["check-config", "nofield"])
        #expect(r.status == 1)
        #expect(r.out.isEmpty)
        #expect(r.err.contains("config string: 'nofield' has no '/'"))
        let t = try run(["check-config", "file//d;tcmur_cmd_time_out=soon"])
        #expect(t.status == 1)
        #expect(t.err.contains("tcmur_cmd_time_out: 'soon' is not a number"))
    }

    @Test func versionAndBadLogLevel() throws {
        let v = try run(["--version"])
        #expect(v.status == 0 && v.out == "emud 0.1.0\n")
        let bad = try run(["serve", "--log-level", "6"])
        #expect(bad.status == 64)
        #expect(bad.err.contains("--log-level 6: expected 0 to 5"))
    }

    @Test func configFileErrorsNameLineAndKey() throws {
        let path = NSTemporaryDirectory() + "emud-\(UUID().uuidString).conf"
        try "# tcmu.conf\nlog_dir = \"/var/log\"  \nlog_level = 9\n".write(toFile: path, atomically: false, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let r = try run(["serve", "--config", path])
        #expect(r.status == 64)
        #expect(r.err.contains("line 3: log_level: '9' is not a level 0–5"))
    }
}
