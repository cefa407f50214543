/// A TCMU storage object in the target tree, `core/user_<N>/<name>`, made the way rtslib-fb's
/// `UserBackedStorageObject` makes it, so targetcli lists it as `user:<subtype>` and `saveconfig` /
/// `restoreconfig` round-trip it:
///
/// | step | operation | rtslib |
/// |---|---|---|
/// | 1 | `mkdir core/user_<N>` (N: the lowest index no `core/*_<N>` uses) | `_Backstore` |
/// | 2 | `mkdir core/user_<N>/<name>` | `StorageObject` |
/// | 3 | `control` ← `dev_config=<subtype>/<config>` | `_configure` |
/// | 4 | `control` ← `dev_size=<bytes>` | `_configure` |
/// | 4a | `control` ← `hw_block_size=2048` (fbo; zbc with lba-4096), as targetcli's `control=` | `_configure` |
/// | 5 | `wwn/vpd_unit_serial` ← `<serial>\n` (a UUID unless given) | `StorageObject._configure` |
/// | 6 | `enable` ← `1\n`: the kernel asks the daemon, which opens the image | `_enable` |
///
/// One difference: rtslib writes the unit serial after `enable`; we write it before, because the daemon
/// builds VPD pages 80h/83h from the serial it reads when the device is added.
public struct UserBackstore: Sendable, Hashable {
    /// `core/user_<hba>/<name>`.
    public let path: String
    public let hba: Int
    public let name: String

    public init(hba: Int, name: String) {
        self.hba = hba
        self.name = name
        self.path = "core/user_\(hba)/\(name)"
    }

    /// The user backstore called `name`, if one exists.
    public static func find(_ name: String, in tree: some TargetTree) -> UserBackstore? {
        all(in: tree).first { $0.name == name }
    }

    /// Every user backstore, by HBA index then name.
    public static func all(in tree: some TargetTree) -> [UserBackstore] {
        tree.list("core").compactMap { hba -> [UserBackstore]? in
            guard hba.hasPrefix("user_"), let n = Int(hba.dropFirst(5)) else { return nil }
            return objects(inHBA: "core/\(hba)", tree).map { UserBackstore(hba: n, name: $0) }
        }.joined().sorted { ($0.hba, $0.name) < ($1.hba, $1.name) }
    }

    /// The storage objects of an HBA directory (entries with an `enable` file; the HBA's own `hba_info`
    /// and `hba_mode` are attribute files).
    static func objects(inHBA hba: String, _ tree: some TargetTree) -> [String] {
        tree.list(hba).filter { tree.exists("\(hba)/\($0)/enable") }
    }

    /// The lowest HBA index no backstore of any kind (`fileio_0`, `user_1`…) holds an object in, as rtslib
    /// picks it (one object per HBA).
    static func freeIndex(in tree: some TargetTree) -> Int {
        var used = Set<Int>()
        for hba in tree.list("core") {
            guard let underscore = hba.lastIndex(of: "_"), let n = Int(hba[hba.index(after: underscore)...]) else {
                continue
            }
            // An HBA directory of our kind is in use even when empty: mkdir of it would fail.
            if !objects(inHBA: "core/\(hba)", tree).isEmpty || hba.hasPrefix("user_") { used.insert(n) }
        }
        return (0...).first { !used.contains($0) }!
    }

    /// Makes, configures and enables the object; on any failure removes what it made.
    /// - Throws: `TargetTreeError` of the step that failed (an `enable` refused by the daemon is EINVAL or
    ///   EIO from the write).
    public static func create(
        name: String, configString: String, size: UInt64, serial: String, control: [String] = [],
        in tree: some TargetTree
    ) throws(TargetTreeError) -> UserBackstore {
        let object = UserBackstore(hba: freeIndex(in: tree), name: name)
        let hbaPath = "core/user_\(object.hba)"
        try tree.makeDirectory(hbaPath)
        do throws(TargetTreeError) {
            try tree.makeDirectory(object.path)
            do throws(TargetTreeError) {
                try tree.write("dev_config=\(configString)", to: "\(object.path)/control")
                try tree.write("dev_size=\(size)", to: "\(object.path)/control")
                for word in control { try tree.write(word, to: "\(object.path)/control") }
                try tree.write("\(serial)\n", to: "\(object.path)/wwn/vpd_unit_serial")
                try tree.write("1\n", to: "\(object.path)/enable")
            } catch {
                try? tree.removeDirectory(object.path)
                throw error
            }
        } catch {
            try? tree.removeDirectory(hbaPath)
            throw error
        }
        return object
    }

    /// Removes the object and, once empty, its HBA (the caller has removed its LUNs).
    public func remove(in tree: some TargetTree) throws(TargetTreeError) {
        try tree.removeDirectory(path)
        if Self.objects(inHBA: "core/user_\(hba)", tree).isEmpty { try tree.removeDirectory("core/user_\(hba)") }
    }

    /// The config string and size from `info` (`… Config: <cfgstring> Size: <bytes> …`), nil when unreadable.
    public func configuration(in tree: some TargetTree) -> (configString: String, size: UInt64)? {
        guard let info = try? tree.read("\(path)/info") else { return nil }
        let flat = info.split(whereSeparator: { $0 == "\n" || $0 == "\t" }).joined(separator: " ")
        guard let config = flat.range(of: "Config: "), let size = flat.ranges(of: " Size: ").last,
            config.upperBound <= size.lowerBound
        else { return nil }
        let digits = flat[size.upperBound...].prefix { $0.isASCII && $0.isNumber }
        return (String(flat[config.upperBound..<size.lowerBound]).trimmingWhitespace, UInt64(digits) ?? 0)
    }
}
