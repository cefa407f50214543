import SCSIEmu
import SystemCalls
import Testing

struct StubHandler: DeviceHandler {
    var subtype: String
    var configDescription: String { "stub" }
    func checkConfig(_ config: String) throws(ConfigError) {
        guard config.hasPrefix("/") else { throw ConfigError(field: "path", reason: "'\(config)' is not absolute") }
    }
    func open(_ parameters: DeviceOpenParameters) throws(HandlerError) -> any EmulatedDevice {
        throw HandlerError(.notImplemented, message: "stub")
    }
}

@Suite struct HandlerRegistryTests {
    let registry = HandlerRegistry(["fbo", "file", "qcow", "zbc"].map { StubHandler(subtype: $0) })

    @Test func exactSubtypeWins() throws {
        #expect(try registry.handler(forSubtype: "file").subtype == "file")
        #expect(try registry.handler(forSubtype: "fbo").subtype == "fbo")
    }

    @Test func uniquePrefixMatchesLikeTcmuRunner() throws {
        #expect(try registry.handler(forSubtype: "fb").subtype == "fbo")
        #expect(try registry.handler(forSubtype: "q").subtype == "qcow")
    }

    @Test func ambiguousOrUnknownNamesTheSubtype() {
        #expect(throws: ConfigError(field: "subtype", reason: "'f' is ambiguous: fbo, file")) {
            try registry.handler(forSubtype: "f")
        }
        #expect(throws: ConfigError(field: "subtype", reason: "no handler 'rbd' (known: fbo, file, qcow, zbc)")) {
            try registry.handler(forSubtype: "rbd")
        }
        // Longer than the subtype is no match (tcmu-runner compares up to the written length).
        #expect(throws: ConfigError.self) { try registry.handler(forSubtype: "fbox") }
    }

    @Test func splitsConfigStringsAndStripsTheRunnerTimeout() throws {
        let c = try HandlerConfigString(parsing: "zbc/model-HM/zsize-128@/var/z.raw;tcmur_cmd_time_out=30")
        #expect(c.subtype == "zbc")
        #expect(c.config == "model-HM/zsize-128@/var/z.raw")
        #expect(c.commandTimeout == 30)
        let r = try HandlerConfigString(parsing: "rbd/pool/img;osd_op_timeout=30;tcmur_cmd_time_out=5;conf=/c")
        #expect(r.config == "pool/img;osd_op_timeout=30;conf=/c")
        #expect(r.commandTimeout == 5)
        #expect(try HandlerConfigString(parsing: "file//var/d.img").config == "/var/d.img")
    }

    @Test func badConfigStringsNameTheField() {
        #expect(throws: ConfigError(field: "tcmur_cmd_time_out", reason: "'x' is not a number of seconds (0 or more)")) {
            try HandlerConfigString(parsing: "file//d;tcmur_cmd_time_out=x")
        }
        #expect(throws: ConfigError(field: "subtype", reason: "empty handler name before the first '/'")) {
            try HandlerConfigString(parsing: "/var/d.img")
        }
        #expect { try registry.checkConfig("file") } throws: { ($0 as? ConfigError)?.field == "config string" }
        #expect(throws: ConfigError(field: "path", reason: "'rel.img' is not absolute")) {
            try registry.checkConfig("file/rel.img")
        }
        #expect(throws: Never.self) { try registry.checkConfig("fb//var/disc.iso") }
    }
}
