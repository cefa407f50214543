import SCSIEmu
import SystemCalls

#if canImport(Glibc)
import Glibc
#endif

/// `emud create` and `emud remove`: a TCMU device from one command, and its clean removal.
///
/// Create: check the request (name free, config string checked by its handler as opening would, size),
/// load the kernel modules it needs, make the storage object (`UserBackstore`), then a tcm_loop LUN or an
/// iSCSI TPG (`FabricLUN`), and wait for the Linux nodes. Any failure removes what was made.
/// Remove: every LUN of the object (any fabric), then the object.
public struct TargetSetup<Tree: TargetTree>: Sendable {
    public struct Request: Sendable {
        public var name: String
        public var configString: String
        /// nil: the size the image implies (`HandlerRegistry.impliedSize`).
        public var size: UInt64?
        /// The unit serial (`wwn/vpd_unit_serial`); nil: a random UUID, as rtslib.
        public var serial: String?
        /// An iSCSI target IQN instead of a tcm_loop LUN.
        public var iscsiIQN: String?

        public init(name: String, configString: String, size: UInt64? = nil, serial: String? = nil, iscsiIQN: String? = nil) {
            self.name = name
            self.configString = configString
            self.size = size
            self.serial = serial
            self.iscsiIQN = iscsiIQN
        }
    }

    public struct Created: Sendable, Hashable {
        public var object: UserBackstore
        public var size: UInt64
        public var lun: FabricLUN
        /// The Linux nodes of a tcm_loop LUN (`/dev/sr0`, `/dev/sg1`); [] for iSCSI.
        public var nodes: [String]
    }

    public let tree: Tree
    public let registry: HandlerRegistry
    /// sysfs and /dev (`sys/module`, `sys/bus/scsi`, `dev/…`) under a root: "/" on the live system.
    public let sys: ControlFiles
    /// Loads a kernel module (`modprobe NAME`); returns nil on success, else what went wrong.
    public let loadModule: @Sendable (String) -> String?
    /// Random bits for WWNs, serials and LUN link names.
    public let random: @Sendable () -> UInt64
    public var nodeTimeoutMilliseconds = 30_000
    /// The file rtslib locks (flock) while it picks an HBA index and makes the object; nil: no lock (tests).
    public var indexLockPath: String? = "/var/run/rtslib_backstore.lock"

    public init(
        tree: Tree, registry: HandlerRegistry = .standard, sys: ControlFiles = ControlFiles(),
        loadModule: @escaping @Sendable (String) -> String?,
        random: @escaping @Sendable () -> UInt64 = { UInt64.random(in: .min ... .max) }
    ) {
        self.tree = tree
        self.registry = registry
        self.sys = sys
        self.loadModule = loadModule
        self.random = random
    }

    // MARK: - Create

    /// The size the existing image gives the device. When it gives none, check-config's reason if it has
    /// one (an unreadable image, an rbd cluster that does not answer), else the hint to give `--size`.
    private func impliedSize(_ configString: String) throws(TargetSetupError) -> UInt64 {
        if let size = registry.impliedSize(configString) { return size }
        do throws(ConfigError) { try registry.checkConfig(configString, deviceSize: nil) } catch {
            throw TargetSetupError("\(configString): \(error)")
        }
        throw TargetSetupError("--size: the image does not exist yet; give the device size (e.g. --size 1G)")
    }

    public func create(_ r: Request) throws(TargetSetupError) -> Created {
        try Self.checkName(r.name)
        try Self.checkPassesConfigFS(r.configString)
        let size: UInt64
        if let given = r.size { size = given } else { size = try impliedSize(r.configString) }
        guard size > 0 else { throw TargetSetupError("--size: 0 bytes; give the device size (e.g. --size 1G)") }
        do throws(ConfigError) { try registry.checkConfig(r.configString, deviceSize: size) } catch {
            throw TargetSetupError("\(r.configString): \(error)")
        }
        try requireModule("target_core_user")
        try requireModule(r.iscsiIQN == nil ? "tcm_loop" : "iscsi_target_mod")
        guard tree.exists("core") else {
            throw TargetSetupError("no LIO target tree at \(tree.absolute("")): is configfs mounted (mount -t configfs none /sys/kernel/config)?")
        }
        let object = try makeObject(r, size: size)
        let lun: FabricLUN
        do {
            if let iqn = r.iscsiIQN {
                lun = try FabricLUN.createISCSI(for: object, iqn: iqn, alias: hex(10), in: tree)
            } else {
                lun = try FabricLUN.createLoopback(
                    for: object, targetWWN: "naa.5001405" + hex(9), nexusWWN: "naa.5001405" + hex(9), alias: hex(10),
                    in: tree)
            }
        } catch {
            try? object.remove(in: tree)
            throw TargetSetupError("\(error)")
        }
        var nodes: [String] = []
        if r.iscsiIQN == nil {
            guard let found = SCSINodes.wait(for: lun, tree: tree, sys: sys, timeoutMilliseconds: nodeTimeoutMilliseconds)
            else {
                throw TargetSetupError(
                    "\(r.name) is exported as \(lun.description), but no SCSI device appeared within \(Double(nodeTimeoutMilliseconds) / 1000) s ('emud remove \(r.name)' undoes it)")
            }
            nodes = found
        }
        return Created(object: object, size: size, lun: lun, nodes: nodes)
    }

    /// The storage object, made under rtslib's backstore lock from the name check on (the HBA index is
    /// chosen from what exists).
    func makeObject(_ r: Request, size: UInt64) throws(TargetSetupError) -> UserBackstore {
        let lock = lockIndex()
        defer { if let lock { try? Syscalls.close(lock) } }  // closing releases the flock
        if let existing = UserBackstore.find(r.name, in: tree) {
            throw TargetSetupError("a device named '\(r.name)' exists (\(existing.path)); remove it first with 'emud remove \(r.name)'")
        }
        do {
            return try UserBackstore.create(
                name: r.name, configString: r.configString, size: size, serial: r.serial ?? uuid(),
                control: registry.blockSize(r.configString).map { ["hw_block_size=\($0)"] } ?? [], in: tree)
        } catch {
            throw TargetSetupError(
                error.operation.hasPrefix("write '1'")
                    ? "enabling \(error.path) failed (\(error.reason)): emud refused the device; its log says why"
                    : "\(error)")
        }
    }

    /// Takes rtslib's backstore lock, so a targetcli creating an object at the same time does not pick the
    /// same HBA index. Returns the descriptor holding it; nil when there is no lock file to take.
    func lockIndex() -> Int32? {
        guard let path = indexLockPath else { return nil }
        guard let fd = try? Syscalls.open(path, flags: O_RDWR | O_CREAT) else { return nil }
        _ = try? Syscalls.retrying { flock(fd, LOCK_EX) }
        return fd
    }

    /// A configfs directory name: not empty, no '/', no leading '.', no white space.
    static func checkName(_ name: String) throws(TargetSetupError) {
        guard !name.isEmpty, !name.hasPrefix("."), !name.contains(where: { $0 == "/" || $0.isWhitespace }) else {
            throw TargetSetupError("NAME '\(name)': expected a configfs name (no '/', white space or leading '.')")
        }
    }

    /// The kernel splits `control` at ',' and newlines, and rtslib refuses ':' (saveconfig could not
    /// restore it).
    static func checkPassesConfigFS(_ configString: String) throws(TargetSetupError) {
        if let bad = configString.first(where: { $0 == "," || $0 == "\n" || $0 == ":" }) {
            throw TargetSetupError(
                "config string: '\(bad == "\n" ? "\\n" : String(bad))' cannot pass through configfs (the kernel splits control at ',' and newlines; rtslib refuses ':'); separate options with '/'")
        }
    }

    /// A module the kernel needs: present in sysfs, else loaded.
    func requireModule(_ module: String) throws(TargetSetupError) {
        guard !sys.exists("sys/module/\(module)") else { return }
        if let problem = loadModule(module) {
            throw TargetSetupError("the kernel lacks module \(module): \(problem)")
        }
    }

    func hex(_ digits: Int) -> String {
        var s = ""
        while s.count < digits { s += String(random(), radix: 16).leftPadded(16) }
        return String(s.suffix(digits))
    }

    /// A random (version 4) UUID, as rtslib's unit serials.
    func uuid() -> String {
        let h = hex(32)
        let variant = Array("89ab")[Int(random() % 4)]
        let a = h.prefix(8), b = h.dropFirst(8).prefix(4), c = h.dropFirst(13).prefix(3), d = h.dropFirst(17).prefix(3)
        return "\(a)-\(b)-4\(c)-\(variant)\(d)-\(h.suffix(12))"
    }

    // MARK: - Remove

    /// Removes every LUN of the device `name` and the device; returns what was removed, in order.
    public func remove(name: String) throws(TargetSetupError) -> [String] {
        guard let object = UserBackstore.find(name, in: tree) else {
            throw TargetSetupError("no device named '\(name)' (see 'emud list')")
        }
        var removed: [String] = []
        do {
            for lun in FabricLUN.luns(of: object, in: tree) {
                try lun.remove(in: tree)
                removed.append(lun.description)
            }
            try object.remove(in: tree)
            removed.append(object.path)
        } catch {
            throw TargetSetupError("\(error)")
        }
        return removed
    }
}

/// Why `emud create` or `emud remove` refused or failed: one line for the user.
public struct TargetSetupError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

extension String {
    fileprivate func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
