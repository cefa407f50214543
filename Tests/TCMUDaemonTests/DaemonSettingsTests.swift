import Foundation
import TCMUDaemon
import Testing

/// tcmu.conf parsing: tcmu-runner's file and the forms people write by hand.
@Suite struct DaemonSettingsTests {
    typealias E = DaemonSettings.ParseError

    @Test func tcmuRunnersShippedFileLoadsWithNothingSet() throws {
        let text = """
            # Master TCMU configuration file
            # log_level = 3
            #
            # log_dir = "/var/log"

            """
        #expect(try DaemonSettings(parsing: text) == DaemonSettings())
    }

    @Test func quotedAndBareValues() throws {
        let s = try DaemonSettings(parsing: "log_level = 4\nlog_dir = \"/var/log/tcmu\"\n")
        #expect(s.logLevel == 4)
        #expect(s.logDirectory == "/var/log/tcmu")
        #expect(try DaemonSettings(parsing: "log_dir='/srv/log'").logDirectory == "/srv/log")
        #expect(try DaemonSettings(parsing: "\tlog_level\t=\t2\t").logLevel == 2)
    }

    @Test func crlfLinesParseLikeLF() throws {
        let s = try DaemonSettings(parsing: "# windows editor\r\nlog_level = 5\r\nlog_dir = /var/log\r\n")
        #expect(s == DaemonSettings(logLevel: 5, logDirectory: "/var/log"))
        // The line number still counts CRLF lines.
        #expect(throws: E(line: 2, key: "log_level", reason: "'9' is not a level 0–5")) {
            try DaemonSettings(parsing: "# x\r\nlog_level = 9\r\n")
        }
    }

    @Test func commentAfterAValue() throws {
        #expect(try DaemonSettings(parsing: "log_dir = \"/var/log\" # where tcmu-runner logs").logDirectory == "/var/log")
        #expect(try DaemonSettings(parsing: "log_level = 4 # debug").logLevel == 4)
        #expect(try DaemonSettings(parsing: "log_level = '1'#errors only").logLevel == 1)
        // A '#' inside quotes is part of the value.
        #expect(try DaemonSettings(parsing: "log_dir = \"/var/log/#1\"").logDirectory == "/var/log/#1")
    }

    @Test func badLinesNameTheLineAndKey() {
        #expect(throws: E(line: 1, key: "log_level", reason: "'six' is not a level 0–5")) {
            try DaemonSettings(parsing: "log_level = six")
        }
        #expect(throws: E(line: 2, key: "log_dir", reason: "'var/log' is not an absolute directory")) {
            try DaemonSettings(parsing: "\nlog_dir = var/log")
        }
        #expect(throws: E(line: 1, key: "log_dir", reason: "missing closing \"")) {
            try DaemonSettings(parsing: "log_dir = \"/var/log")
        }
        #expect(throws: E(line: 1, key: "log_dir", reason: "unexpected 'x' after the quoted value")) {
            try DaemonSettings(parsing: "log_dir = \"/var/log\" x")
        }
        #expect(throws: E(line: 3, key: "just words", reason: "expected key = value")) {
            try DaemonSettings(parsing: "log_level = 1\n\njust words")
        }
    }

    @Test func unknownKeysAreKeptNotFatal() throws {
        let s = try DaemonSettings(parsing: "log_level = 3\nfuture_key = 1\n")
        #expect(s.logLevel == 3)
        #expect(s.unknownKeys == ["future_key"])
    }

    @Test func commandLineWinsOverFileOverEnvironment() {
        let file = DaemonSettings(logLevel: 1, logDirectory: "/from/file")
        let env = ["TCMU_LOGDIR": "/from/env"]
        #expect(DaemonSettings.resolve(commandLine: .init(logLevel: 5), file: file, environment: env) == (5, "/from/file"))
        #expect(DaemonSettings.resolve(commandLine: .init(), file: nil, environment: env) == (3, "/from/env"))
        #expect(DaemonSettings.resolve(commandLine: .init(logDirectory: "/cli"), file: file, environment: env) == (1, "/cli"))
    }

    @Test func loadReadsARealFileAndNamesItInErrors() throws {
        let dir = try ConfigScratch()
        try dir.write("log_level = 2\n", to: "tcmu.conf")
        #expect(try DaemonSettings.load(path: dir.path + "/tcmu.conf").logLevel == 2)
        try dir.write("log_level = 2\nlog_dir = relative\n", to: "bad.conf")
        #expect(throws: DaemonSettings.LoadError.invalid(
            path: dir.path + "/bad.conf", E(line: 2, key: "log_dir", reason: "'relative' is not an absolute directory"))
        ) { try DaemonSettings.load(path: dir.path + "/bad.conf") }
        #expect(throws: DaemonSettings.LoadError.self) { try DaemonSettings.load(path: dir.path + "/absent.conf") }
        // Relative paths are taken against the working directory (the command tests run emud in one).
        #expect(DaemonSettings.absolutePath("sub/x.conf") == FileManager.default.currentDirectoryPath + "/sub/x.conf")
    }
}
