@testable import Conformance
import Testing
import TestSupport

@Suite("Corpus format")
struct CorpusFormatTests {
    @Test("SHA-256 matches the FIPS 180-4 example vectors")
    func sha256Vectors() {
        #expect(SHA256.hex(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256.hex([UInt8]()) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        let twoBlocks = Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)
        #expect(SHA256.hex(twoBlocks) == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        #expect(SHA256.hex([UInt8](repeating: 0x61, count: 1_000_000))
            == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    static let sample = """
        # emud corpus 1
        note        captured by hand
        device      file/@DIR@/disk.img
        size        1048576
        block-size  512
        max-sectors 128
        create      disk.img 1048576

        exchange    TEST UNIT READY
        cdb         00 00 00 00 00 00
        status      00 GOOD

        exchange    INQUIRY 8 bytes
        cdb         12 00 00 00 08 00
        in-len      36
        status      00 GOOD
        in          00 00 07 02 5b 00 00 02
        residual    28

        exchange    bad opcode
        cdb         ff 00 00 00 00 00
        status      02 CHECK CONDITION
        sense       70 00 05 00 00 00 00 0a 00 00 00 00 20 00 00 00
        sense       00 00

        exchange    WRITE(10) one block
        cdb         2a 00 00 00 00 00 00 00 01 00
        out-sha256  \(String(repeating: "ab", count: 32)) 512
        status      00

        """

    @Test("the sample parses into the fields it states")
    func parsesSample() throws {
        let corpus = try CorpusParser.parse(Self.sample)
        #expect(corpus.header.configString == "file/@DIR@/disk.img")
        #expect(corpus.header.size == 1_048_576)
        #expect(corpus.header.creates == [CorpusFile(path: "disk.img", size: 1_048_576)])
        #expect(corpus.exchanges.count == 4)
        let inquiry = corpus.exchanges[1]
        #expect(inquiry.cdb == [0x12, 0, 0, 0, 8, 0])
        #expect(inquiry.dataInLength == 36)
        #expect(inquiry.dataIn == .bytes([0x00, 0x00, 0x07, 0x02, 0x5B, 0x00, 0x00, 0x02]))
        #expect(inquiry.residual == 28)
        #expect(inquiry.line == 13)
        #expect(corpus.exchanges[2].status == 0x02)
        #expect(corpus.exchanges[2].sense.count == 18)
        #expect(corpus.exchanges[3].dataOut == .digest(sha256: String(repeating: "ab", count: 32), length: 512))
    }

    @Test("writing then parsing gives the same corpus")
    func roundTrip() throws {
        let corpus = try CorpusParser.parse(Self.sample)
        let text = CorpusWriter.text(corpus)
        #expect(try CorpusParser.parse(text) == corpus)
        #expect(CorpusWriter.text(try CorpusParser.parse(text)) == text)
    }

    @Test("seeded random exchanges survive a round trip")
    func randomRoundTrip() throws {
        var rng = SplitMix64(seed: 0xE3D)
        var corpus = Corpus(header: CorpusHeader(configString: "zbc/model-HA@@DIR@/z.raw", size: 1 << 30, serial: "abc"))
        for i in 0..<200 {
            let cdb = (0..<[6, 10, 12, 16, 32][Int(rng.next() % 5)]).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            let inBytes = (0..<Int(rng.next() % 70)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            let extra = Int(rng.next() % 5)
            corpus.exchanges.append(CorpusExchange(
                title: "x\(i)", cdb: cdb,
                dataOut: rng.next() % 3 == 0 ? .bytes((0..<Int(1 + rng.next() % 40)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }) : nil,
                dataInLength: inBytes.count + extra, status: rng.next() % 2 == 0 ? 0 : 2,
                sense: rng.next() % 2 == 0 ? [] : [0x72, 0x05, 0x24, 0x00, 0, 0, 0, 0],
                dataIn: .bytes(inBytes), residual: extra))
        }
        let parsed = try CorpusParser.parse(CorpusWriter.text(corpus))
        #expect(parsed.exchanges.count == corpus.exchanges.count)
        let firstDifference = corpus.exchanges.indices.first { parsed.exchanges[$0] != corpus.exchanges[$0] }
        #expect(firstDifference == nil, "exchange \(firstDifference ?? -1) differs")
    }

    @Test("errors carry a stable code and the line", arguments: [
        ("device x\nsize 1\n", CorpusError.Code.missingMagic, 1),
        ("# emud corpus 1\ndevice x\nsize 1\nbogus 3\n", .unknownKey, 4),
        ("# emud corpus 1\nsize 1\n\nexchange A\ncdb 00\nstatus 00\n", .missingField, 4),
        ("# emud corpus 1\ndevice x\nsize one\n", .badNumber, 3),
        ("# emud corpus 1\ndevice x\nsize 1\n\nexchange A\ncdb 0g\n", .badHex, 6),
        ("# emud corpus 1\ndevice x\nsize 1\n\nexchange A\nstatus 00\n", .missingField, 5),
        ("# emud corpus 1\ndevice x\nsize 1\n\nexchange A\ncdb 00\ncdb 00\n", .duplicateField, 7),
        ("# emud corpus 1\ndevice x\nsize 1\n\nexchange A\ncdb 00\nstatus 00\nin-len 4\nin 00\nresidual 1\n", .inconsistent, 5),
    ])
    func errors(text: String, code: CorpusError.Code, line: Int) {
        #expect(throws: CorpusError(code, line: line, "")) { try CorpusParser.parse(text) }
    }

    @Test("every prefix of the sample either parses or throws a CorpusError, never traps")
    func prefixes() {
        let text = Self.sample
        for n in stride(from: 0, through: text.utf8.count, by: 7) {
            let prefix = String(decoding: text.utf8.prefix(n), as: UTF8.self)
            _ = try? CorpusParser.parse(prefix)
        }
    }

    @Test("digest payloads match by length and hash")
    func digestMatch() {
        let data = [UInt8](repeating: 7, count: 4096)
        let payload = CorpusPayload.digest(sha256: SHA256.hex(data), length: 4096)
        #expect(payload.matches(data))
        var changed = data
        changed[4095] = 8
        #expect(!payload.matches(changed))
        #expect(!payload.matches(Array(data.prefix(4095))))
    }

    @Test("the serial derives from the configuration when absent")
    func derivedSerial() {
        let a = CorpusHeader(configString: "file/@DIR@/a", size: 1024)
        #expect(a.effectiveSerial == String(SHA256.hex(Array("file/@DIR@/a|1024|512".utf8)).prefix(16)))
        #expect(a.effectiveSerial.count == 16)
        #expect(CorpusHeader(configString: "file/@DIR@/a", size: 1024, serial: "s1").effectiveSerial == "s1")
    }
}

