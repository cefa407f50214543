import SCSIEmu
import Testing

@Suite struct ZonedConfigTests {
    @Test func tcmuRunnerDefaults() throws {
        let c = try ZoneConfig(parsing: "zbc//var/lib/zbc.img")
        #expect(c.path == "/var/lib/zbc.img")
        let g = try c.geometry(deviceSize: 100 << 30)  // 100 GiB: 400 zones of 256 MiB
        #expect(g.model == .hostManaged)
        #expect(g.logicalBlockSize == 512)
        #expect(g.layout.zoneLength == (256 << 20) / 512)
        #expect(g.layout.zoneCount == 400)
        #expect(g.conventionalZones == 4)  // 1 %
        #expect(g.maxOpenZones == 128)
        #expect(g.unrestrictedReads)
    }

    @Test func optionsAndClamping() throws {
        let c = try ZoneConfig(parsing: "zbc/model-HA/lba-4096/zsize-64/conv-3/open-500/ro-5/offline-6/rwp-7@/img")
        #expect(c.path == "/img")
        let g = try c.geometry(deviceSize: 1 << 30)  // 16 zones
        #expect(g.model == .hostAware)
        #expect(g.layout.zoneLength == (64 << 20) / 4096)
        #expect(g.conventionalZones == 3)
        #expect(g.maxOpenZones == 6)  // clamped to (16 - 3) / 2
        #expect(c.readOnlyZones == [5] && c.offlineZones == [6] && c.resetRecommendedZones == [7])
        // 1 % of a small device is still one conventional zone; a short last zone counts.
        let small = try ZoneConfig(parsing: "zbc/zsize-1@/x").geometry(deviceSize: (5 << 20) + 4096)
        #expect(small.layout.zoneCount == 6 && small.conventionalZones == 1)
        #expect(small.layout.length(of: 5) == 8)
    }

    @Test(arguments: [
        ("zbc/model-XX@/a", "model"), ("zbc/lba-1024@/a", "lba"), ("zbc/zsize-3@/a", "zsize"),
        ("zbc/zsize-0@/a", "zsize"), ("zbc/open-0@/a", "open"), ("zbc/conv-x@/a", "conv"),
        ("zbc/size-4@/a", "size"), ("zbc/model-HM", "path"), ("file//a", "handler"), ("zbc/urswrz-2@/a", "urswrz"),
        ("zbc/lba-512/lba-4096@/a", "lba"), ("zbc/fast@/a", "fast"), ("zbc/model-HM@", "path"),
    ])
    func badOptionIsNamed(_ string: String, _ option: String) {
        #expect(throws: ZoneConfigError.self) { try ZoneConfig(parsing: string) }
        do { _ = try ZoneConfig(parsing: string) } catch {
            #expect(error.option == option)
            #expect(error.description.contains("'\(option)'"))
        }
    }

    @Test func geometryErrorsNameTheOption() throws {
        let c = try ZoneConfig(parsing: "zbc/zsize-1/conv-4@/a")
        #expect(throws: ZoneConfigError(option: "conv", "4 conventional zones leave no sequential zone (the device has 4 zones)")) {
            try c.geometry(deviceSize: 4 << 20)
        }
        let r = try ZoneConfig(parsing: "zbc/zsize-1/ro-9@/a")
        #expect(throws: ZoneConfigError(option: "ro", "zone 9 does not exist (the device has 4 zones)")) {
            try r.geometry(deviceSize: 4 << 20)
        }
        _ = try ZoneConfig(parsing: "zbc//a").geometry(deviceSize: 1 << 40)
    }
}

@Suite struct ZBCHandlerTests {
    @Test func registeredAndChecksConfig() throws {
        #expect(try HandlerRegistry.standard.handler(forSubtype: "zbc").subtype == "zbc")
        #expect(throws: ConfigError(field: "zsize", reason: "3 MiB is not a power of two (1…1048576)")) {
            try ZBCHandler().checkConfig("zsize-3@/a")
        }
        try ZBCHandler().checkConfig("/var/lib/z.img")
    }
}
