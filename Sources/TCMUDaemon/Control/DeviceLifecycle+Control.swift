import SCSIEmu
import SystemCalls

/// The daemon's answers on the control socket: `list`, `help`, and `DEVICE COMMAND …` handed to the
/// device (`ControllableDevice`); plus RECONFIG DEV_CFG for device kinds that can take a new config.
///
/// Runs on the daemon's loop thread, the only one that changes `devices`; the device does its own locking
/// against its ring thread.
extension DeviceLifecycle: ControlResponder {
    public static let controlHelp = """
        list                    the devices: HBA/NAME SUBTYPE UIO CONFIG, one a line
        help                    this text
        DEVICE help             the commands DEVICE supports
        DEVICE COMMAND [ARG…]   run a command on DEVICE (its configfs name, or HBA/NAME)
        DEVICE fault …          fault injection on any device (docs/faults.md): add RULE…, list, clear [ID|bad]
        """

    public func respond(to words: [String]) -> ControlReply {
        guard let first = words.first else { return .error("empty request") }
        if words.count == 1, first == "list" { return .ok(deviceListing) }
        if words.count == 1, first == "help" { return .ok(Self.controlHelp) }
        let active: ActiveDevice
        do { active = try device(named: first).active } catch { return .error(error.message) }
        guard let request = ControlRequest(words: Array(words.dropFirst())) else {
            return .error("no command for \(first): try '\(first) help'")
        }
        do {
            if request.command.lowercased() == "fault", let faults = active.device.faults {
                return .ok(try FaultControl.respond(request.arguments, faults: faults))
            }
            return .ok(try active.device.control.control(request))
        } catch {
            return .error("\(first): \(error.message)")
        }
    }

    /// `HBA/NAME SUBTYPE uioN CONFIG` per device, by HBA and name.
    public var deviceListing: String {
        devices.sorted { ($0.value.uio.name.hba, $0.value.uio.name.deviceName) < ($1.value.uio.name.hba, $1.value.uio.name.deviceName) }
            .map { minor, a in "\(a.uio.name.hba)/\(a.uio.name.deviceName) \(a.subtype) uio\(minor) \(a.uio.name.configString)" }
            .joined(separator: "\n")
    }

    /// The device a control request names: its configfs name, or `HBA/NAME` (`1/dvd0`, `user_1/dvd0`).
    /// - Throws: `ControlError` naming the served devices when none matches, or the candidates when the
    ///   bare name is served under several HBAs.
    public func device(named name: String) throws(ControlError) -> (minor: UInt32, active: ActiveDevice) {
        var hba: String?
        var deviceName = name
        if let slash = name.firstIndex(of: "/") {
            let h = name[..<slash]
            hba = String(h.hasPrefix("user_") ? h.dropFirst(5) : h)
            deviceName = String(name[name.index(after: slash)...])
        }
        let matches = devices.filter { _, a in
            a.uio.name.deviceName == deviceName && (hba == nil || a.uio.name.hba == hba)
        }.sorted { $0.key < $1.key }
        if matches.count == 1 { return (matches[0].key, matches[0].value) }
        if matches.isEmpty {
            let known = devices.values.map { "\($0.uio.name.hba)/\($0.uio.name.deviceName)" }.sorted()
            throw ControlError(
                .usage, "no device '\(name)' is served (devices: \(known.isEmpty ? "none" : known.joined(separator: ", ")))")
        }
        let names = matches.map { "\($0.value.uio.name.hba)/\(deviceName)" }.joined(separator: ", ")
        throw ControlError(.usage, "'\(name)' is ambiguous (\(names)): name it as HBA/NAME")
    }

    // MARK: - RECONFIG DEV_CFG

    /// A new `dev_config`: handed to the device when its kind can take it (fbo: the new image goes in as a
    /// disc change). Returns 0 or -errno; on 0 the kernel commits the string and we serve under it.
    func reconfigureConfig(minor: UInt32, _ newConfig: String) -> Int32 {
        guard var active = devices[minor] else { return -Errno.noSuchDevice.rawValue }
        let configString = newConfig.trimmingWhitespace
        guard let target = active.device as? any ReconfigurableDevice else {
            logger.error("uio\(minor): changing the config string to '\(configString)' is not supported by \(active.subtype)")
            return -Errno.notSupported.rawValue
        }
        let parsed: HandlerConfigString
        do {
            let (handler, p) = try registry.resolve(configString)
            guard handler.subtype == active.subtype else {
                logger.error("uio\(minor): config '\(configString)' names handler \(handler.subtype), not \(active.subtype): remove and re-create the device")
                return -Errno.invalidArgument.rawValue
            }
            parsed = p
        } catch {
            logger.error("uio\(minor): config string '\(configString)': \(error)")
            return -Errno.invalidArgument.rawValue
        }
        do {
            let what = try target.applyConfig(parsed.config)
            active.uio.name.configString = configString
            devices[minor] = active
            logger.info("uio\(minor): config now '\(configString)': \(what)")
            return 0
        } catch {
            logger.error("uio\(minor): config '\(configString)' not applied: \(error.message)")
            return -error.code
        }
    }
}
