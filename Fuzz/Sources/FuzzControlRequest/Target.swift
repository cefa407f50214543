import FuzzSupport
import SCSIEmu
import TCMUDaemon

/// The control socket's request parser (`ControlWire.words`, as the server reads a line) and the
/// device-level commands it reaches (`emud ctl DEVICE COMMAND …` on a zoned disk or an optical drive),
/// plus the client's reply parser on the same bytes. Byte 0 bit 0: which device. Words naming a path
/// (containing '/') are not sent on, so the fuzzer never opens files of this machine.
enum FuzzTarget {
    static func run(_ bytes: [UInt8]) {
        _ = try? ControlReply(parsing: bytes)
        let line = bytes.dropFirst().prefix(ControlWire.maximumRequestBytes)
        guard let words = try? ControlWire.words(in: line) else { return }
        let again = ControlWire.requestLine(words).utf8.dropLast()
        guard (try? ControlWire.words(in: ArraySlice(again))) == words else {
            fuzzFailure("requestLine(\(words)) does not parse back")
        }
        guard let request = ControlRequest(words: words), words.count >= 2,
            !words.contains(where: { $0.contains("/") })
        else { return }
        let device = ControlRequest(request.arguments[0], Array(request.arguments.dropFirst()))
        if (bytes.first ?? 0) & 1 == 0 {
            let path = FuzzDevice.path("control-zoned.img")
            FuzzDevice.remove(path)
            guard let d = FuzzDevice.open("zbc/zsize-1/conv-1/open-2@\(path)", size: 8 << 20) as? any ControllableDevice
            else { fuzzFailure("the zoned disk did not open") }
            _ = try? d.control(device)
            (d as? any EmulatedDevice)?.close()
        } else {
            let path = FuzzDevice.path("control-disc.img")
            FuzzDevice.writeFile(path, [], truncateTo: 1 << 20)
            guard let d = FuzzDevice.open("fbo/\(path)", size: 1 << 20, blockSize: 2048) as? any ControllableDevice
            else { fuzzFailure("the drive did not open") }
            _ = try? d.control(device)
            (d as? any EmulatedDevice)?.close()
        }
    }
}
