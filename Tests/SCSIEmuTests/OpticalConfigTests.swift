import SystemCalls
import Testing

@testable import SCSIEmu

@Suite struct OpticalConfigTests {
    @Test func tcmuRunnerStringsStayValid() throws {
        let rw = try OpticalConfig(parsing: "fbo//srv/disc.img")
        #expect(rw == OpticalConfig(imagePath: "/srv/disc.img"))
        #expect(rw.effectiveProfile == .dvdRAM)
        let ro = try OpticalConfig(parsing: "fbo/ro//srv/disc.iso")
        #expect(ro == OpticalConfig(imagePath: "/srv/disc.iso", readOnly: true))
        #expect(ro.effectiveProfile == .dvdROM)
        // Case-insensitive like tcmu-runner's strncasecmp; the fbo/ prefix may be left off.
        #expect(try OpticalConfig(parsing: "RO//a/b") == OpticalConfig(imagePath: "/a/b", readOnly: true))
        #expect(try OpticalConfig(parsing: "/a/b") == OpticalConfig(imagePath: "/a/b"))
    }

    @Test func newOptionWords() throws {
        let cd = try OpticalConfig(parsing: "fbo/profile-cdrom//x.iso")
        #expect(cd.effectiveProfile == .cdROM)
        #expect(cd.imagePath == "/x.iso")
        let wpRAM = try OpticalConfig(parsing: "fbo/ro/Profile-DVDRAM//x.img")
        #expect(wpRAM.effectiveProfile == .dvdRAM && wpRAM.readOnly)
        let empty = try OpticalConfig(parsing: "fbo/empty//x.iso")
        #expect(empty.startEmpty && empty.imagePath == "/x.iso")
        let bare = try OpticalConfig(parsing: "fbo/empty")
        #expect(bare.startEmpty && bare.imagePath == nil)
        #expect(try OpticalConfig(parsing: "fbo/profile-dvdrom/profile-dvdrom//x").profile == .dvdROM)
    }

    static let known =
        "ro, empty, capacity-BLOCKS, profile-cdrom, profile-cdr, profile-cdrw, profile-dvdrom, profile-dvd-r, "
        + "profile-dvdram, profile-dvd-rw-ro, profile-dvd-rw, profile-dvd+rw, profile-dvd+r, profile-bd-r, profile-bd-re"

    @Test func badStringsNameTheField() {
        #expect(throws: OpticalConfigError(
            "fbo: unknown option 'rw' (known: \(Self.known))")
        ) { try OpticalConfig(parsing: "fbo/rw//x") }
        #expect(throws: OpticalConfigError("fbo: option 'profile-cdrom' conflicts with 'profile-dvdram'")) {
            try OpticalConfig(parsing: "fbo/profile-dvdram/profile-cdrom//x")
        }
        #expect(throws: OpticalConfigError(
            "fbo: no image path in 'fbo/ro/'; expected fbo/[option/]…/absolute/path (options: \(Self.known))")
        ) { try OpticalConfig(parsing: "fbo/ro/") }
        // "fbo/ro/tmp/x" is not an absolute path: "tmp" is read as an option word, as tcmu-runner does.
        #expect(throws: OpticalConfigError.self) { try OpticalConfig(parsing: "fbo/ro/tmp/x") }
    }

    @Test func deviceReportsMissingImage() {
        #expect(throws: OpticalControlError.image(.system(operation: "open /nonexistent/x.iso", errno: .noSuchFileOrDirectory))) {
            try OpticalDevice(configString: "fbo/ro//nonexistent/x.iso")
        }
        #expect(throws: OpticalControlError.config(OpticalConfigError(
            "fbo: unknown option 'zz' (known: \(Self.known))"))
        ) { try OpticalDevice(configString: "fbo/zz//x") }
    }
}

@Suite struct OpticalHandlerTests {
    @Test func registeredAsFbo() throws {
        let handler = try HandlerRegistry.standard.handler(forSubtype: "fbo")
        #expect(handler.subtype == "fbo" && handler.ioWorkerThreads == 1)
        try handler.checkConfig("ro/profile-cdrom//srv/disc.iso")
        #expect(throws: ConfigError(
            field: "fbo config",
            reason: "fbo: unknown option 'rw' (known: \(OpticalConfigTests.known))")
        ) { try handler.checkConfig("rw//x") }
    }
}
