import SCSIEmu
import Sense

/// The one-line text of a CDB and its result, for trace logging (tcmu-runner's log level 5).
enum RingTrace {
    static func hex(_ bytes: some Sequence<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        for b in bytes {
            if !out.isEmpty { out.append(0x20) }
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 0xF)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func line(id: UInt16, cdb: CDB, result: CommandResult) -> String {
        var s = "cmd \(id) cdb [\(hex(cdb.bytes))] -> \(result.status)"
        if let sense = result.sense {
            s += " key \(hex([sense.key.rawValue])) asc/ascq \(hex([sense.code.asc]))/\(hex([sense.code.ascq]))"
        }
        if result.dataInLength > 0 { s += " data-in \(result.dataInLength)" }
        return s
    }
}
