/// The zoned disk's runtime control (`emud ctl zbc0 …`): put chosen zones into READ ONLY or OFFLINE,
/// flag them RWP recommended, or clear that, while the device is live, to test how a host driver copes
/// (ZBC-2 §4.4.3.2: a device may change these conditions at any time on its own).
///
/// Changes go through `setZoneCondition`, under the store lock the zone commands use, and are committed
/// before the reply, so the next REPORT ZONES (and a restart) shows them.
extension ZonedDevice: ControllableDevice {
    public var controlCommands: [ControlCommand<ZonedDevice>] { Self.controlTable }

    static let actions: [String: ZoneStateMachine.ForcedCondition] = [
        "readonly": .readOnly, "read-only": .readOnly, "offline": .offline, "rwp": .resetRecommended, "clear": .clear,
    ]

    static let controlTable: [ControlCommand<ZonedDevice>] = [
        ControlCommand("status", "size, block size, write cache, model, zone geometry") { d, args throws(ControlError) in
            try args.finish()
            let g = d.geometry
            return SPCStatusControl.report(of: d) + " model=\(g.model == .hostManaged ? "host-managed" : "host-aware")"
                + " zones=\(g.layout.zoneCount) zone-blocks=\(g.layout.zoneLength) conventional=\(g.conventionalZones)"
                + " max-open=\(g.maxOpenZones)"
        },
        ControlCommand("zones", "count the zones in each condition; list the read-only, offline and RWP ones") {
            d, args throws(ControlError) in
            try args.finish()
            return d.zonesReport
        },
        ControlCommand(
            "zone", usage: "zone INDEX|lba=LBA [readonly|offline|rwp|clear]",
            "show a zone, or force its condition (clear: back to what its write pointer says)"
        ) { d, args throws(ControlError) in
            let action = try args.keyword(oneOf: Array(actions.keys))
            let which = try args.positional("INDEX or lba=LBA")
            try args.finish()
            let zone = try d.zoneIndex(named: which, args)
            if let action, let forced = actions[action] {
                if forced == .resetRecommended, !d.zoneStateMachine.zones[zone].type.hasWritePointer {
                    throw ControlError(.refused, "zone \(zone) is conventional: it has no write pointer to reset")
                }
                do throws(StoreError) { try d.setZoneCondition(zone: zone, forced) } catch {
                    throw ControlError(.failed, "zone \(zone): committing the change failed: \(error)", errno: error.errno)
                }
            }
            return d.zoneLine(zone, d.zoneStateMachine.zones[zone])
        },
    ]

    /// The zone an argument names: `12` (an index) or `lba=4096` (the zone holding that LBA).
    func zoneIndex(named word: String, _ args: ControlArguments) throws(ControlError) -> Int {
        let layout = geometry.layout
        func number(_ s: Substring) -> UInt64? {
            s.lowercased().hasPrefix("0x") ? UInt64(s.dropFirst(2), radix: 16) : UInt64(s)
        }
        if word.lowercased().hasPrefix("lba=") {
            guard let lba = number(word.dropFirst(4)) else { throw args.usageError("'\(word)' is not lba=NUMBER") }
            guard lba < layout.capacity else {
                throw args.usageError("LBA \(lba) is past the last LBA (\(layout.capacity - 1))")
            }
            return layout.zoneIndex(of: lba)
        }
        guard let index = number(word[...]) else { throw args.usageError("'\(word)' is not a zone index or lba=LBA") }
        guard index < UInt64(layout.zoneCount) else {
            throw args.usageError("zone \(index) does not exist (zones 0-\(layout.zoneCount - 1))")
        }
        return Int(index)
    }

    /// `zone=5 start=10240 length=2048 type=seq-required condition=read-only wp=none rwp=no non-seq=no`; the
    /// write pointer only where REPORT ZONES reports a valid one (ZBC-2 §6.4.3: EMPTY, open, CLOSED).
    func zoneLine(_ i: Int, _ z: Zone) -> String {
        let layout = geometry.layout
        let wpValid = z.type.hasWritePointer && [.empty, .implicitlyOpen, .explicitlyOpen, .closed].contains(z.condition)
        return "zone=\(i) start=\(layout.start(of: i)) length=\(layout.length(of: i)) type=\(Self.typeName(z.type))"
            + " condition=\(Self.conditionName(z.condition)) wp=\(wpValid ? String(z.writePointer) : "none")"
            + " rwp=\(z.resetRecommended ? "yes" : "no") non-seq=\(z.nonSequential ? "yes" : "no")"
    }

    /// Counts per condition, then the READ ONLY, OFFLINE and RWP-recommended zones as index ranges.
    var zonesReport: String {
        let zones = zoneStateMachine.zones
        var lines = [
            "zones=\(zones.count) zone-blocks=\(geometry.layout.zoneLength) conventional=\(geometry.conventionalZones)",
            ZoneCondition.allCases.map { c in "\(Self.conditionName(c))=\(zones.count { $0.condition == c })" }
                .joined(separator: " ") + " rwp=\(zones.count { $0.resetRecommended })",
        ]
        let special: [(String, (Zone) -> Bool)] = [
            ("read-only", { $0.condition == .readOnly }), ("offline", { $0.condition == .offline }),
            ("rwp", { $0.resetRecommended }),
        ]
        for (name, test) in special {
            let indices = zones.indices.filter { test(zones[$0]) }
            if !indices.isEmpty { lines.append("\(name): " + Self.ranges(indices)) }
        }
        return lines.joined(separator: "\n")
    }

    /// `1-3,7,9-10` for [1, 2, 3, 7, 9, 10] (ascending input).
    static func ranges(_ sorted: [Int]) -> String {
        var parts: [String] = []
        var i = 0
        while i < sorted.count {
            var j = i
            while j + 1 < sorted.count, sorted[j + 1] == sorted[j] + 1 { j += 1 }
            parts.append(i == j ? "\(sorted[i])" : "\(sorted[i])-\(sorted[j])")
            i = j + 1
        }
        return parts.joined(separator: ",")
    }

    static func conditionName(_ c: ZoneCondition) -> String {
        switch c {
        case .notWritePointer: "not-wp"
        case .empty: "empty"
        case .implicitlyOpen: "implicit-open"
        case .explicitlyOpen: "explicit-open"
        case .closed: "closed"
        case .readOnly: "read-only"
        case .full: "full"
        case .offline: "offline"
        }
    }

    static func typeName(_ t: ZoneType) -> String {
        switch t {
        case .conventional: "conventional"
        case .sequentialWriteRequired: "seq-required"
        case .sequentialWritePreferred: "seq-preferred"
        }
    }
}
