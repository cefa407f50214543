import Foundation
import SCSIEmu

/// How the daemon captures a device (`emud serve --capture DIR`): the corpus header derived from the
/// device's open parameters, and those parameters made deterministic the way a replay makes them, so
/// a replay of the capture builds the same identifiers.
///
/// - The backing file's directory becomes `@DIR@` in the config string (`file//var/lib/d.img` →
///   `file/@DIR@/d.img`) and the device is identified by that string (VPD 83h vendor designator).
/// - A serial set in configfs is kept and written to the header; without one the device gets the
///   serial a replay derives (`CorpusHeader.effectiveSerial`) and the header has no `serial` line.
/// - The backing file is listed as a `create` of its current size: a replay starts from zeros, so a
///   capture replays exactly when the file held zeros (a fresh image) when the device was added.
public enum CorpusCapture {
    /// The corpus file for a device: `<directory>/<device name>.corpus`, or `-2`, `-3`… when that exists.
    public static func corpusPath(directory: String, deviceName: String) -> String {
        let safe = deviceName.isEmpty ? "device" : deviceName.replacingOccurrences(of: "/", with: "_")
        var candidate = "\(directory)/\(safe).corpus"
        var n = 2
        while FileManager.default.fileExists(atPath: candidate) {
            candidate = "\(directory)/\(safe)-\(n).corpus"
            n += 1
        }
        return candidate
    }

    /// The backing file a handler config names: the part after the last '@' (zbc), else the whole
    /// config (file, qcow, fbo), up to any ';' option; nil when it is not an absolute path.
    static func backingFile(config: String) -> String? {
        var path = Substring(config)
        if let at = path.lastIndex(of: "@") { path = path[path.index(after: at)...] }
        if let semicolon = path.firstIndex(of: ";") { path = path[..<semicolon] }
        guard path.hasPrefix("/"), path.count > 1, !path.hasSuffix("/") else { return nil }
        return String(path)
    }

    /// The header a capture of a device opened with `parameters` starts with.
    public static func header(for parameters: DeviceOpenParameters, note: String? = nil) -> CorpusHeader {
        var configString = parameters.fullConfigString
        var creates: [CorpusFile] = []
        if let file = backingFile(config: parameters.config),
            let range = configString.range(of: file, options: .backwards)
        {
            let name = String(file[file.index(after: file.lastIndex(of: "/") ?? file.startIndex)...])
            configString.replaceSubrange(range, with: CorpusScratchDirectory.placeholder + "/" + name)
            if let attributes = try? FileManager.default.attributesOfItem(atPath: file),
                attributes[.type] as? FileAttributeType == .typeRegular,
                let size = (attributes[.size] as? NSNumber)?.uint64Value
            {
                creates.append(CorpusFile(path: name, size: size))
            }
        }
        var notes = ["captured by emud serve --capture from device \(parameters.deviceName)"]
        if let note { notes.append(note) }
        return CorpusHeader(
            configString: configString, size: parameters.sizeInBytes, blockSize: parameters.blockSize,
            maxSectors: parameters.maxSectors, serial: parameters.unitSerial.isEmpty ? nil : parameters.unitSerial,
            creates: creates, notes: notes)
    }

    /// `parameters` as a replay of `header` would give them to the handler: the `@DIR@` config string
    /// as the identifying string and the derived serial when configfs set none.
    public static func deterministic(_ parameters: DeviceOpenParameters, header: CorpusHeader) -> DeviceOpenParameters {
        var p = parameters
        p.fullConfigString = header.configString
        p.unitSerial = header.effectiveSerial
        return p
    }

    /// Starts recording a device: the corpus file under `directory` with the header for `parameters`.
    public static func recorder(
        directory: String, parameters: DeviceOpenParameters, header: CorpusHeader, device: any EmulatedDevice
    ) throws(CorpusCaptureError) -> CorpusRecorder {
        do { try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) } catch {
            throw CorpusCaptureError("\(directory): \(error)")
        }
        return try CorpusRecorder(
            path: corpusPath(directory: directory, deviceName: parameters.deviceName), header: header, device: device)
    }
}
