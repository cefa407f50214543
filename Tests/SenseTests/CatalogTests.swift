import Foundation
import Sense
import Testing

@Suite("ASC/ASCQ catalog")
struct CatalogTests {
    @Test("no code and no name appears twice")
    func noDuplicates() {
        var codes: [UInt16: String] = [:]
        var names = Set<String>()
        for entry in AdditionalSenseCode.allNamed {
            #expect(codes[entry.code.combined] == nil, "\(entry.code) is both \(codes[entry.code.combined] ?? "") and \(entry.name)")
            codes[entry.code.combined] = entry.name
            #expect(names.insert(entry.name).inserted, "\(entry.name) listed twice")
        }
    }

    @Test("every entry's text is upper-case T10 text and the decoder's lookup finds it")
    func textLookup() {
        for entry in AdditionalSenseCode.allNamed {
            #expect(!entry.text.isEmpty)
            #expect(entry.text == entry.text.uppercased(), "\(entry.name)")
            #expect(AdditionalSenseCode(asc: entry.code.asc, ascq: entry.code.ascq).text == entry.text)
        }
        #expect(AdditionalSenseCode(asc: 0x80, ascq: 0x00).text == nil)
    }

    @Test("the static lets and allNamed agree: same names, codes, and doc-comment texts")
    func sourceListsAgree() throws {
        let directory = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Sources/Sense")
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path)
            .filter { $0.hasPrefix("AdditionalSenseCode+Catalog") }
        #expect(files.count >= 1)
        var declared: [String: (code: UInt16, text: String)] = [:]
        for file in files {
            let lines = try String(contentsOf: directory.appendingPathComponent(file), encoding: .utf8)
                .split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            for (index, line) in lines.enumerated() {
                guard let declaration = Self.parseStaticLet(line) else { continue }
                let doc = try #require(Self.parseDocComment(lines[index - 1]), "\(file): \(line)")
                #expect(doc.code == declaration.code, "\(declaration.name): doc comment code differs")
                #expect(declared[declaration.name] == nil)
                declared[declaration.name] = (declaration.code, doc.text)
            }
        }
        #expect(declared.count == AdditionalSenseCode.allNamed.count, "a static let is missing from allNamed or vice versa")
        for entry in AdditionalSenseCode.allNamed {
            let source = try #require(declared[entry.name], "\(entry.name) has no static let")
            #expect(source.code == entry.code.combined, "\(entry.name)")
            #expect(source.text == entry.text, "\(entry.name)")
        }
    }

    /// The list is the one spelling of every code: the generated Swift must say exactly what it says, in its
    /// order (an edited list without a re-run of Catalog/generate.py fails here).
    @Test("the generated catalog is the catalog list, entry for entry")
    func generatedFromTheList() throws {
        let list = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Sources/Sense/Catalog/AdditionalSenseCodes.txt")
        var rows: [(name: String, code: UInt16, text: String)] = []
        for line in try String(contentsOf: list, encoding: .utf8).split(separator: "\n") {
            guard let first = line.first, first.isHexDigit else { continue }  // comments and [part] headers
            // `AA QQ  name  TEXT`
            let fields = line.split(separator: " ", maxSplits: 3, omittingEmptySubsequences: true)
            let asc = try #require(UInt8(fields[0], radix: 16)), ascq = try #require(UInt8(fields[1], radix: 16))
            rows.append((String(fields[2]), UInt16(asc) << 8 | UInt16(ascq), fields[3].trimmingCharacters(in: .whitespaces)))
        }
        #expect(rows.count == AdditionalSenseCode.allNamed.count)
        for (row, entry) in zip(rows, AdditionalSenseCode.allNamed) {
            #expect(row.name == entry.name)
            #expect(row.code == entry.code.combined, "\(row.name)")
            #expect(row.text == entry.text, "\(row.name)")
        }
    }

    @Test("spot checks against the T10 list (asc-num.txt)")
    func t10Texts() {
        let expected: [(AdditionalSenseCode, String)] = [
            (.invalidFieldInCDB, "INVALID FIELD IN CDB"),
            (AdditionalSenseCode(asc: 0x04, ascq: 0x0A), "LOGICAL UNIT NOT ACCESSIBLE, ASYMMETRIC ACCESS STATE TRANSITION"),
            (AdditionalSenseCode(asc: 0x04, ascq: 0x0B), "LOGICAL UNIT NOT ACCESSIBLE, TARGET PORT IN STANDBY STATE"),
            (AdditionalSenseCode(asc: 0x2A, ascq: 0x16), "ZONE RESET WRITE POINTER RECOMMENDED"),
            (AdditionalSenseCode(asc: 0x67, ascq: 0x0A), "SET TARGET PORT GROUPS COMMAND FAILED"),
            (AdditionalSenseCode(asc: 0x21, ascq: 0x09), "ATTEMPT TO ACCESS GAP ZONE"),
            (AdditionalSenseCode(asc: 0x55, ascq: 0x0E), "INSUFFICIENT ZONE RESOURCES"),
            (AdditionalSenseCode(asc: 0x6F, ascq: 0x05), "DRIVE REGION MUST BE PERMANENT/REGION RESET COUNT ERROR"),
            (AdditionalSenseCode(asc: 0x72, ascq: 0x03), "SESSION FIXATION ERROR - INCOMPLETE TRACK IN SESSION"),
            (AdditionalSenseCode(asc: 0x73, ascq: 0x06), "RMA/PMA IS ALMOST FULL"),
            (AdditionalSenseCode(asc: 0x10, ascq: 0x03), "LOGICAL BLOCK REFERENCE TAG CHECK FAILED"),
        ]
        for (code, text) in expected {
            #expect(code.text == text, "\(code)")
        }
        // 2Ah/13h is DATA ENCRYPTION KEY INSTANCE COUNTER HAS CHANGED; the ZBC code is 2Ah/16h.
        #expect(AdditionalSenseCode.zoneResetWritePointerRecommended.combined == 0x2A16)
    }

    @Test("codes the SBC, MMC and ZBC handlers need are catalogued")
    func requiredCodes() {
        let required: [UInt16] = [
            // MMC
            0x2400, 0x3000, 0x3001, 0x3002, 0x3005, 0x3006, 0x3A00, 0x3A01, 0x3A02, 0x5302, 0x5A01,
            0x6F00, 0x6F01, 0x6F02, 0x6F03, 0x6300, 0x6400, 0x7200, 0x7203, 0x7300, 0x2C04, 0x0C09, 0x2802,
            // SBC
            0x1001, 0x1002, 0x1003, 0x0C00, 0x0C02, 0x1100, 0x1D00, 0x2100, 0x2600, 0x2700, 0x2A09,
            0x3100, 0x5D00, 0x1A00, 0x2000, 0x2901, 0x3807,
            // ZBC
            0x2104, 0x2105, 0x2106, 0x2107, 0x2108, 0x2109, 0x550E, 0x2708, 0x2C0E, 0x2C12, 0x2A16, 0x2C10,
        ]
        let catalogued = Set(AdditionalSenseCode.allNamed.map(\.code.combined))
        for code in required {
            #expect(catalogued.contains(code), "\(AdditionalSenseCode(asc: UInt8(code >> 8), ascq: UInt8(code & 0xFF)))")
        }
    }

    // `    public static let name = AdditionalSenseCode(asc: 0xAA, ascq: 0xQQ)`
    private static func parseStaticLet(_ line: String) -> (name: String, code: UInt16)? {
        let prefix = "    public static let "
        guard line.hasPrefix(prefix), let equals = line.range(of: " = AdditionalSenseCode(asc: 0x") else { return nil }
        let name = String(line[line.index(line.startIndex, offsetBy: prefix.count)..<equals.lowerBound])
        let rest = line[equals.upperBound...]
        guard let asc = UInt8(rest.prefix(2), radix: 16),
              let q = rest.range(of: "ascq: 0x"), let ascq = UInt8(rest[q.upperBound...].prefix(2), radix: 16)
        else { return nil }
        return (name, UInt16(asc) << 8 | UInt16(ascq))
    }

    // `    /// 04h/0Ah TEXT`
    private static func parseDocComment(_ line: String) -> (code: UInt16, text: String)? {
        let trimmed = line.drop { $0 == " " }
        guard trimmed.hasPrefix("/// "), trimmed.count > 12 else { return nil }
        let body = trimmed.dropFirst(4)
        guard let asc = UInt8(body.prefix(2), radix: 16), let ascq = UInt8(body.dropFirst(4).prefix(2), radix: 16)
        else { return nil }
        return (UInt16(asc) << 8 | UInt16(ascq), String(body.dropFirst(8)))
    }
}
