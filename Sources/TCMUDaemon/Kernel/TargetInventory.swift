import SystemCalls
/// What `emud list` shows: every TCMU storage object, its config string and size, its LUNs and the Linux
/// nodes of its tcm_loop LUNs.
public struct TargetInventory: Sendable {
    public struct Device: Sendable, Hashable {
        public var object: UserBackstore
        /// From `info`; nil when unreadable.
        public var configString: String?
        public var size: UInt64?
        public var luns: [LUN]
    }

    public struct LUN: Sendable, Hashable {
        public var lun: FabricLUN
        /// `/dev/sr0`, `/dev/sg1`…: block node first, then the generic one (tcm_loop LUNs only).
        public var nodes: [String]
    }

    public let devices: [Device]

    /// Reads the target tree and sysfs (`sys` under `sysRoot`: "/" on the live system).
    public init(tree: some TargetTree, sysRoot: String = "/") {
        let sys = ControlFiles(root: sysRoot)
        devices = UserBackstore.all(in: tree).map { object in
            let c = object.configuration(in: tree)
            let luns = FabricLUN.luns(of: object, in: tree).map { lun in
                LUN(lun: lun, nodes: SCSINodes.of(lun, tree: tree, sys: sys) ?? [])
            }
            return Device(object: object, configString: c?.configString, size: c?.size, luns: luns)
        }
    }

    /// One line per device: `NAME  HBA  SIZE  CONFIG  LUN [NODES]; LUN…`, columns separated by two spaces.
    public var lines: [String] {
        devices.map { d in
            let luns = d.luns.map { ([$0.lun.description] + $0.nodes).joined(separator: " ") }
            return [
                d.object.name, "user_\(d.object.hba)", d.size.map(String.init) ?? "?", d.configString ?? "?",
                luns.isEmpty ? "-" : luns.joined(separator: "; "),
            ].joined(separator: "  ")
        }
    }
}

/// The Linux nodes of a tcm_loop LUN: the TPG's `address` file says `<host>:0:<target>`; the SCSI device
/// `<host>:0:<target>:<lun>` in sysfs lists its block and generic devices.
public enum SCSINodes {
    /// `/dev/sdX /dev/sgN` (or `/dev/srN …`); nil when the LUN has no SCSI device (yet), or is not tcm_loop.
    public static func of(_ lun: FabricLUN, tree: some TargetTree, sys: ControlFiles) -> [String]? {
        guard lun.fabric == "loopback", let address = try? tree.read("\(lun.tpgPath)/address").trimmingWhitespace,
            address.split(separator: ":").count == 3
        else { return nil }
        let device = "sys/bus/scsi/devices/\(address):\(lun.lun)"
        let block = (try? sys.list("\(device)/block")) ?? []
        let generic = (try? sys.list("\(device)/scsi_generic")) ?? []
        guard !block.isEmpty || !generic.isEmpty else { return nil }
        return (block.prefix(1) + generic.prefix(1)).map { "/dev/\($0)" }
    }

    /// Waits until the LUN's nodes exist in sysfs and under `/dev` (a block device may attach a little
    /// after the generic one), polling every 100 ms for at most `timeoutMilliseconds`.
    public static func wait(
        for lun: FabricLUN, tree: some TargetTree, sys: ControlFiles, timeoutMilliseconds: Int
    ) -> [String]? {
        var waited = 0
        var last: [String]?
        while true {
            if let nodes = of(lun, tree: tree, sys: sys) {
                last = nodes
                let present = nodes.allSatisfy { sys.exists(String($0.dropFirst())) }
                // sd/sr bind after sg: wait for a block node unless the type has none (give it a second).
                if present, nodes.count == 2 || waited >= 1000 { return nodes }
            }
            guard waited < timeoutMilliseconds else { return last }
            Syscalls.sleep(milliseconds: 100)
            waited += 100
        }
    }
}
