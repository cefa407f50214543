import TCMUDaemon
import Testing

/// The control protocol's request splitting and reply framing.
@Suite struct ControlWireTests {
    func words(_ s: String) throws(ControlWireError) -> [String] { try ControlWire.words(in: Array(s.utf8)[...]) }

    @Test func splitsOnBlanksAndKeepsQuotedSpaces() throws {
        #expect(try words("dvd0  eject\t--force") == ["dvd0", "eject", "--force"])
        #expect(try words("  list \r") == ["list"])
        #expect(try words(#"dvd0 insert "/srv/my disc.iso" ro"#) == ["dvd0", "insert", "/srv/my disc.iso", "ro"])
        #expect(try words(#"a"b c"d "" "\"q\\""#) == ["ab cd", "", #""q\"#])
        #expect(try words("") == [])
        #expect(try words("é ü") == ["é", "ü"])
    }

    @Test func refusesControlCharactersBadUTF8AndOpenQuotes() {
        #expect(throws: ControlWireError("control character \\u{1b} in the request")) { try words("dvd0 \u{1B}[2J") }
        #expect(throws: ControlWireError("control character \\u{0} in the request")) {
            try ControlWire.words(in: [0x61, 0x00, 0x62][...])
        }
        #expect(throws: ControlWireError("the request is not valid UTF-8")) {
            try ControlWire.words(in: [0x61, 0xC3, 0x28][...])
        }
        #expect(throws: ControlWireError("unclosed double quote in the request")) { try words(#"dvd0 insert "/a b"#) }
    }

    @Test func requestLineRoundTripsAnyWords() throws {
        let cases: [[String]] = [
            ["dvd0", "status"], ["dvd0", "insert", "/srv/a b.iso"], ["x", "", "\"", "\\", "a\"b\\c d"], ["list"],
            // A combining mark after a backslash (found by FuzzControlRequest): one Character, two scalars.
            ["\\\\\u{05A2}\\\\"], ["\\\u{0301} x", "\"\u{0301}"],
        ]
        for w in cases {
            let line = ControlWire.requestLine(w)
            #expect(line.hasSuffix("\n") && line.filter { $0 == "\n" }.count == 1)
            #expect(try words(String(line.dropLast())) == w)
        }
        #expect(ControlWire.requestLine(["dvd0", "insert", "/a b"]) == "dvd0 insert \"/a b\"\n")
    }

    @Test func repliesAreFramedAndCannotForgeLines() throws {
        #expect(ControlReply.ok("tray open").encoded == Array("ok tray open\n".utf8))
        #expect(ControlReply.ok("").encoded == Array("ok\n".utf8))
        #expect(ControlReply.error("no device 'x'").encoded == Array("error no device 'x'\n".utf8))
        #expect(ControlReply.ok("a\nb").encoded == Array("ok a\nb\n".utf8))
        #expect(ControlReply.ok("image=/x\r\u{1B}y").encoded == Array("ok image=/x??y\n".utf8))
        #expect(try ControlReply(parsing: Array("ok a\nb\n".utf8)) == .ok("a\nb"))
        #expect(try ControlReply(parsing: Array("ok\n".utf8)) == .ok(""))
        #expect(try ControlReply(parsing: Array("error busy\n".utf8)) == .error("busy"))
        #expect(throws: ControlWireError("empty reply")) { try ControlReply(parsing: []) }
        #expect(throws: ControlWireError.self) { try ControlReply(parsing: Array("okay\n".utf8)) }
    }
}
