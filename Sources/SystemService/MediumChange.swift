import SCSIEmu
import SystemCalls
import TCMUDaemon

/// targetcli's `changemedium NAME SIZE CFGSTRING` (the D-Bus method ChangeMedium): another disc for a live
/// `fbo` drive, carried out through configfs so that the kernel's record stays the truth.
///
/// The new config string goes to the storage object's `attrib/dev_config`. For an enabled device the kernel
/// turns that write into a netlink RECONFIG_DEVICE (DEV_CFG) to the daemon, whose answer (the disc change
/// itself: `DeviceLifecycle.reconfigureConfig` → `OpticalDevice.applyConfig`, the same tray model
/// `emud ctl DEV insert` drives) decides whether the write succeeds; the kernel then also renames the
/// UIO device, so `saveconfig`, `emud ctl list` and a restarted daemon all see the new disc. A changed size
/// goes to `attrib/dev_size` afterwards (an optical drive's capacity is its image's; the size is what the
/// LUN is recreated with). This blocks until the daemon has answered, so it must not run on the daemon's
/// netlink thread.
public struct MediumChange: Sendable {
    public let files: ControlFiles
    public let registry: HandlerRegistry

    /// The target core's configfs directory, relative to the root.
    static let coreDirectory = "sys/kernel/config/target/core"

    public init(files: ControlFiles, registry: HandlerRegistry) {
        self.files = files
        self.registry = registry
    }

    /// Why a medium change was refused: the errno (D-Bus gets its negation) and a sentence.
    public struct Refusal: Error, Sendable, Hashable, CustomStringConvertible {
        public var errno: Errno
        public var message: String
        public init(_ errno: Errno, _ message: String) {
            self.errno = errno
            self.message = message
        }
        public var description: String { message }
    }

    /// Changes the disc of storage object `name` (`NAME` or `user_HBA/NAME`) to `configString`
    /// (`fbo/[opts/]/path.iso`). `subtype` is the handler the call came to; `size` 0 keeps the size.
    /// - Returns: what was done, for the log.
    /// - Throws: `Refusal`; nothing is written when a check fails.
    public func change(subtype: String, name: String, size: UInt64, configString: String) throws(Refusal) -> String {
        let directory = try storageObject(named: name)
        let current: String
        do { current = try files.readLine("\(directory)/attrib/dev_config").trimmingWhitespace } catch {
            throw Refusal(error.errno, "\(name): cannot read its config string: \(error)")
        }
        let currentSubtype = (try? registry.resolve(current))?.0.subtype
        guard currentSubtype == subtype else {
            throw Refusal(
                .invalidArgument, "\(name): its config string '\(current)' is not a \(subtype) device's; only \(subtype) drives change media")
        }
        do throws(ConfigError) { try registry.checkConfig(configString, subtype: subtype) } catch {
            throw Refusal(.invalidArgument, "cfgstring invalid: \(error)")
        }
        do { try files.write(configString, to: "\(directory)/attrib/dev_config") } catch {
            throw Refusal(error.errno, "\(name): \(configString) was refused: \(Self.explain(error.errno))")
        }
        guard size > 0 else { return "\(name): medium now \(configString)" }
        let oldSize = (try? files.read("\(directory)/info")).flatMap(ConfigFSDevice.size(fromInfo:))
        guard oldSize != size else { return "\(name): medium now \(configString)" }
        do { try files.write("\(size)", to: "\(directory)/attrib/dev_size") } catch {
            throw Refusal(error.errno, "\(name): medium changed to \(configString), but dev_size \(size) was refused: \(error.errno)")
        }
        return "\(name): medium now \(configString), dev_size \(size)"
    }

    /// The configfs directory of a user backstore: `NAME` under any `user_*` HBA, or `user_HBA/NAME` /
    /// `HBA/NAME` for one.
    func storageObject(named name: String) throws(Refusal) -> String {
        var hba: String?
        var object = name
        if let slash = name.firstIndex(of: "/") {
            let h = name[..<slash]
            hba = h.hasPrefix("user_") ? String(h) : "user_" + h
            object = String(name[name.index(after: slash)...])
        }
        guard !object.isEmpty, object != ".", object != "..", !object.contains("/") else {
            throw Refusal(.invalidArgument, "'\(name)' is not a storage object name")
        }
        let hbas: [String]
        do { hbas = try files.list(Self.coreDirectory).filter { $0.hasPrefix("user_") } } catch {
            throw Refusal(error.errno, "no target core in configfs (\(error)): is target_core_user loaded?")
        }
        let found = hbas.filter { h in
            (hba == nil || h == hba) && ((try? files.list("\(Self.coreDirectory)/\(h)"))?.contains(object) ?? false)
        }
        switch found.count {
        case 1: return "\(Self.coreDirectory)/\(found[0])/\(object)"
        case 0: throw Refusal(.noSuchDevice, "no user backstore named '\(name)'")
        default:
            throw Refusal(.invalidArgument, "'\(name)' names storage objects in \(found.joined(separator: ", ")): give HBA/NAME")
        }
    }

    /// The kernel passes our RECONFIG answer back as the write's errno; what it means for a disc change.
    static func explain(_ e: Errno) -> String {
        switch e {
        case .resourceBusy:
            "the initiator has locked the tray, FORMAT UNIT is running, or another change is in progress (\(e)); retry later"
        case .notSupported: "the serving daemon cannot change this device's config (\(e))"
        default: "\(e); the daemon's log says why"
        }
    }
}
