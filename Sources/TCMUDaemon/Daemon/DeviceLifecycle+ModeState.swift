import Foundation
import Logging
import SCSIEmu

/// The mode page values a device's initiator selected (MODE SELECT) outlive a restart of the daemon: a
/// restart is no power cycle for the initiator (LIO's LUN and sd stay), so the restarted device must keep
/// e.g. the write cache sd turned off, or acknowledged writes become volatile behind sd's back
/// (`ModePageValues`). One file per device under `stateDirectory`: the device's config string on the first
/// line, the values after it. Written after every MODE SELECT that changes a page, read only when a
/// restart serves an existing device, removed when the device is added fresh or removed.
extension DeviceLifecycle {
    /// The default state directory: runtime state, gone at reboot with the devices it describes.
    public static let defaultStateDirectory = "/run/emud/state"

    /// A saved record is a config string and at most a few hundred hex bytes: a larger file is not read.
    static let maximumModeStateBytes = 64 << 10

    static func readBoundedModeState(_ path: String, log: Logger) -> String? {
        guard let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int else { return nil }
        guard size <= maximumModeStateBytes else {
            log.warning("mode page values in \(path) not restored: \(size) bytes, more than \(maximumModeStateBytes)")
            return nil
        }
        return try? String(contentsOfFile: path, encoding: .utf8)
    }

    /// Restores the saved values when `reopen` (the device existed before this daemon), forgets them
    /// otherwise, then keeps them up to date.
    func keepModeState(of device: any EmulatedDevice, uio: UIODevice, reopen: Bool, log: Logger) {
        guard let path = modeStatePath(uio) else { return }
        if reopen, let saved = Self.readBoundedModeState(path, log: log) {
            restoreModeState(saved, into: device, configString: uio.name.configString, path: path, log: log)
        } else if !reopen {
            try? FileManager.default.removeItem(atPath: path)
        }
        let configString = uio.name.configString
        device.observeModePages { values in
            do {
                if values.isEmpty {
                    if FileManager.default.fileExists(atPath: path) { try FileManager.default.removeItem(atPath: path) }
                } else {
                    try (configString + "\n" + values.text).write(toFile: path, atomically: true, encoding: .utf8)
                }
            } catch {
                log.error("mode page values not kept in \(path): \(error); a restart would bring back the defaults")
            }
        }
    }

    /// Removes the device's saved values (the device is gone).
    func forgetModeState(of uio: UIODevice) {
        guard let path = modeStatePath(uio) else { return }
        try? FileManager.default.removeItem(atPath: path)
    }

    private func restoreModeState(_ saved: String, into device: any EmulatedDevice, configString: String, path: String, log: Logger) {
        let lines = saved.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false)
        guard lines.first.map(String.init) == configString else {
            log.warning("mode page values in \(path) belong to another config string: not restored")
            return
        }
        let values: ModePageValues
        do { values = try ModePageValues(parsing: lines.count > 1 ? String(lines[1]) : "") } catch {
            log.error("mode page values in \(path) not restored: \(error)")
            return
        }
        let skipped = device.restoreModePages(values)
        log.notice("mode pages as the previous daemon left them (MODE SELECT): \(values.pages.map { "page \($0.name)" }.joined(separator: ", "))\(skipped.isEmpty ? "" : "; not restored: \(skipped.joined(separator: "; "))")")
    }

    private func modeStatePath(_ uio: UIODevice) -> String? {
        guard let dir = stateDirectory else { return nil }
        do { try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700]) } catch {
            logger.error("state directory \(dir): \(error); mode page values are not kept across a restart")
            return nil
        }
        return "\(dir)/\(uio.name.hbaDirectory)-\(uio.name.deviceName).modes"
    }
}
