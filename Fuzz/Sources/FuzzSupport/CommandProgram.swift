import SCSIEmu
import Sense

/// A fuzz input read as a sequence of SCSI commands for one device, and the encoding the seed writer
/// uses for corpus exchanges.
///
/// One command (repeated until the input ends, at most `maximumCommands`):
///
/// | bytes | field                                                                          |
/// |-------|--------------------------------------------------------------------------------|
/// | 1     | CDB length n (mod 33; 0 means 6)                                               |
/// | n     | CDB                                                                            |
/// | 1     | bits 0–1 data phase: 0 none, 1 Data-Out, 2 Data-In, 3 both; bit 2 two segments |
/// | 2     | buffer length, big-endian                                                      |
/// | len   | Data-Out bytes (Data-Out phases only; a short input is padded with zeros)      |
public enum CommandProgram {
    public static let maximumCommands = 24

    public struct Step: Sendable {
        public var cdb: [UInt8]
        public var phase: UInt8
        public var length: Int
        public var dataOut: [UInt8]
    }

    /// Decodes the steps of an input.
    public static func steps(_ bytes: [UInt8]) -> [Step] {
        var r = FuzzReader(bytes)
        var steps: [Step] = []
        while !r.isAtEnd && steps.count < maximumCommands {
            var n = Int(r.byte() % 33)
            if n == 0 { n = 6 }
            let cdb = r.bytes(n)
            let flags = r.byte()
            let length = Int(r.uint16())
            let out = flags & 1 != 0 ? r.bytes(length) : []
            steps.append(Step(cdb: cdb, phase: flags & 7, length: length, dataOut: out))
        }
        return steps
    }

    /// The encoding of one command (what `steps` reads back).
    public static func encode(cdb: [UInt8], dataOut: [UInt8]?, dataInLength: Int) -> [UInt8] {
        let out = dataOut ?? []
        let length = min(65_535, max(out.count, dataInLength))
        let phase: UInt8 = (out.isEmpty ? 0 : 1) | (dataInLength > 0 ? 2 : 0)
        return [UInt8(cdb.count % 33)] + cdb + [phase, UInt8(length >> 8), UInt8(length & 0xFF)]
            + (out.isEmpty ? [] : Array(out.prefix(length)) + [UInt8](repeating: 0, count: max(0, length - out.count)))
    }

    /// Runs every step on `device` and checks what must hold for any command: the Data-In length fits
    /// the buffer, CHECK CONDITION carries sense and the sense encodes in both formats.
    public static func run(_ bytes: [UInt8], on device: any EmulatedDevice) {
        for step in steps(bytes) {
            guard let cdb = CDB(step.cdb) else { continue }
            let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: max(1, step.length), alignment: 16)
            defer { buffer.deallocate() }
            buffer.initializeMemory(as: UInt8.self, repeating: 0xA5)
            for (i, b) in step.dataOut.enumerated() { buffer[i] = b }
            let whole = UnsafeMutableRawBufferPointer(rebasing: buffer[0..<step.length])
            let data: DataBuffer
            if step.length == 0 || step.phase & 3 == 0 {
                data = DataBuffer()
            } else if step.phase & 4 != 0 && step.length > 1 {
                let half = step.length / 2
                data = DataBuffer(unsafeSegments: [
                    UnsafeMutableRawBufferPointer(rebasing: whole[0..<half]),
                    UnsafeMutableRawBufferPointer(rebasing: whole[half...]),
                ])
            } else {
                data = DataBuffer(unsafeSegment: whole)
            }
            var command = SCSICommand(cdb: cdb, data: data)
            let result = device.execute(&command)
            if result.dataInLength < 0 || result.dataInLength > data.count {
                fuzzFailure("Data-In length \(result.dataInLength) for a \(data.count)-byte buffer, CDB \(step.cdb)")
            }
            if result.status == .checkCondition {
                guard let sense = result.sense else { fuzzFailure("CHECK CONDITION without sense, CDB \(step.cdb)") }
                _ = sense.encoded(as: .fixed)
                _ = sense.encoded(as: .descriptor)
            }
        }
    }
}
