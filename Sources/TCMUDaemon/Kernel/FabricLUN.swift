/// A LUN of a fabric target exporting a storage object, as rtslib-fb lays it out:
/// `<fabric>/<wwn>/tpgt_<tag>/lun/lun_<n>/<alias>` → `core/user_<N>/<name>`.
///
/// tcm_loop (`loopback`), rtslib's `LoopbackFabricModule`: target and nexus WWNs are `naa.5001405` + 9
/// random hex digits, one TPG `tpgt_1` whose `nexus` is written right after it is made, the LUN link
/// named by 10 random hex digits. The SCSI host appears when the nexus is set; the disk when the LUN is.
///
/// | step | loopback | iscsi |
/// |---|---|---|
/// | 1 | `mkdir loopback/<naa>` | `mkdir iscsi/<iqn>` |
/// | 2 | `mkdir …/tpgt_1` | `mkdir …/tpgt_1` |
/// | 3 | `nexus` ← `<naa>` | – |
/// | 4 | `mkdir …/lun/lun_0`, link `<alias>` → object | same |
/// | 5 | – | `mkdir …/np/0.0.0.0:3260`; attrib authentication=0, demo_mode_write_protect=0, generate_node_acls=1, cache_dynamic_acls=1; `enable` ← 1 |
public struct FabricLUN: Sendable, Hashable {
    public let fabric: String
    public let wwn: String
    public let tag: Int
    public let lun: Int
    public let alias: String

    public init(fabric: String, wwn: String, tag: Int, lun: Int, alias: String) {
        self.fabric = fabric
        self.wwn = wwn
        self.tag = tag
        self.lun = lun
        self.alias = alias
    }

    public var targetPath: String { "\(fabric)/\(wwn)" }
    public var tpgPath: String { "\(targetPath)/tpgt_\(tag)" }
    public var lunPath: String { "\(tpgPath)/lun/lun_\(lun)" }
    /// `loopback/naa.5001405…/tpgt_1/lun_0`, as `emud list` shows it.
    public var description: String { "\(tpgPath)/lun_\(lun)" }

    /// The iSCSI portal `emud create --iscsi` listens on (all addresses, the iSCSI port).
    public static let iscsiPortal = "0.0.0.0:3260"

    /// Every LUN, of any fabric, linked to `object`.
    public static func luns(of object: UserBackstore, in tree: some TargetTree) -> [FabricLUN] {
        var found: [FabricLUN] = []
        for fabric in tree.list("") where fabric != "core" {
            for wwn in tree.list(fabric) {
                for tpg in tree.list("\(fabric)/\(wwn)") where tpg.hasPrefix("tpgt_") {
                    guard let tag = Int(tpg.dropFirst(5)) else { continue }
                    for lunDir in tree.list("\(fabric)/\(wwn)/\(tpg)/lun") where lunDir.hasPrefix("lun_") {
                        guard let n = Int(lunDir.dropFirst(4)) else { continue }
                        let dir = "\(fabric)/\(wwn)/\(tpg)/lun/\(lunDir)"
                        for alias in tree.list(dir) where tree.isLink("\(dir)/\(alias)") {
                            if tree.linkTarget("\(dir)/\(alias)") == object.path {
                                found.append(FabricLUN(fabric: fabric, wwn: wwn, tag: tag, lun: n, alias: alias))
                            }
                        }
                    }
                }
            }
        }
        return found
    }

    /// A new tcm_loop target with `object` as LUN 0 and an I_T nexus; on failure removes what it made.
    public static func createLoopback(
        for object: UserBackstore, targetWWN: String, nexusWWN: String, alias: String, in tree: some TargetTree
    ) throws(TargetTreeError) -> FabricLUN {
        let lun = FabricLUN(fabric: "loopback", wwn: targetWWN, tag: 1, lun: 0, alias: alias)
        try lun.make(linking: object, in: tree) { tpg throws(TargetTreeError) in
            try tree.write(nexusWWN, to: "\(tpg)/nexus")
        } after: { _ throws(TargetTreeError) in }
        return lun
    }

    /// A new iSCSI target `iqn` with `object` as LUN 0 of TPG 1, a portal on 0.0.0.0:3260, no
    /// authentication and ACLs generated for any initiator (targetcli's demo mode); on failure removes
    /// what it made.
    public static func createISCSI(
        for object: UserBackstore, iqn: String, alias: String, in tree: some TargetTree
    ) throws(TargetTreeError) -> FabricLUN {
        let lun = FabricLUN(fabric: "iscsi", wwn: iqn, tag: 1, lun: 0, alias: alias)
        try lun.make(linking: object, in: tree) { _ throws(TargetTreeError) in } after: { tpg throws(TargetTreeError) in
            try tree.makeDirectory("\(tpg)/np/\(iscsiPortal)")
            for (attribute, value) in [
                ("authentication", "0"), ("demo_mode_write_protect", "0"), ("generate_node_acls", "1"),
                ("cache_dynamic_acls", "1"),
            ] {
                try tree.write(value, to: "\(tpg)/attrib/\(attribute)")
            }
            try tree.write("1", to: "\(tpg)/enable")
        }
        return lun
    }

    /// Makes the fabric directory (when missing), the target, the TPG (then `before(tpgPath)`), the LUN
    /// and its link to `object` (then `after(tpgPath)`); on any failure removes what it made.
    private func make(
        linking object: UserBackstore, in tree: some TargetTree,
        before: (String) throws(TargetTreeError) -> Void, after: (String) throws(TargetTreeError) -> Void
    ) throws(TargetTreeError) {
        try Self.ensureFabric(fabric, in: tree)
        try tree.makeDirectory(targetPath)
        do throws(TargetTreeError) {
            try tree.makeDirectory(tpgPath)
            try before(tpgPath)
            try tree.makeDirectory(lunPath)
            try tree.link("\(lunPath)/\(alias)", to: object.path)
            try after(tpgPath)
        } catch {
            removeTarget(in: tree)
            throw error
        }
    }

    /// The fabric's directory, made when missing (making it registers the fabric, as rtslib does).
    static func ensureFabric(_ fabric: String, in tree: some TargetTree) throws(TargetTreeError) {
        if !tree.exists(fabric) { try tree.makeDirectory(fabric) }
    }

    /// Removes this LUN: the ACL mappings of it, its link, its directory; then its TPG when no LUN is left
    /// in it (disabled first; portals and ACLs removed) and the target when no TPG is left.
    public func remove(in tree: some TargetTree) throws(TargetTreeError) {
        for acl in tree.list("\(tpgPath)/acls") {
            for mapped in tree.list("\(tpgPath)/acls/\(acl)") where mapped.hasPrefix("lun_") {
                let dir = "\(tpgPath)/acls/\(acl)/\(mapped)"
                for entry in tree.list(dir) where tree.isLink("\(dir)/\(entry)") {
                    guard tree.linkTarget("\(dir)/\(entry)") == lunPath else { continue }
                    try tree.unlink("\(dir)/\(entry)")
                    try tree.removeDirectory(dir)
                }
            }
        }
        try tree.unlink("\(lunPath)/\(alias)")
        try tree.removeDirectory(lunPath)
        guard !tree.list("\(tpgPath)/lun").contains(where: { $0.hasPrefix("lun_") }) else { return }
        try removeTPG(in: tree)
    }

    private func removeTPG(in tree: some TargetTree) throws(TargetTreeError) {
        if tree.exists("\(tpgPath)/enable"), (try? tree.read("\(tpgPath)/enable"))?.trimmingWhitespace == "1" {
            try tree.write("0", to: "\(tpgPath)/enable")
        }
        for portal in tree.list("\(tpgPath)/np") where portal.contains(":") {
            try tree.removeDirectory("\(tpgPath)/np/\(portal)")
        }
        for acl in tree.list("\(tpgPath)/acls") where tree.exists("\(tpgPath)/acls/\(acl)/info") {
            try tree.removeDirectory("\(tpgPath)/acls/\(acl)")
        }
        try tree.removeDirectory(tpgPath)
        if tree.list(targetPath).allSatisfy({ !$0.hasPrefix("tpgt_") }) { try tree.removeDirectory(targetPath) }
    }

    /// Best-effort undo of a half-made target (a failed create).
    private func removeTarget(in tree: some TargetTree) {
        if tree.isLink("\(lunPath)/\(alias)") { try? tree.unlink("\(lunPath)/\(alias)") }
        if tree.exists(lunPath) { try? tree.removeDirectory(lunPath) }
        if tree.exists(tpgPath) { try? removeTPG(in: tree) }
        if tree.exists(targetPath) { try? tree.removeDirectory(targetPath) }
    }
}
