/// The control commands every SPC device has, whatever its kind: `status` from the state the SPC core
/// already keeps (the mode parameter block descriptor, the header's WP bit, the Caching page's WCE bit,
/// the unit's condition). The daemon uses it for a device kind that has no control commands of its own,
/// and a kind's own `status` may start from `SPCStatusControl.report(of:)`.
public struct SPCStatusControl: ControllableDevice {
    public let device: any SPCDevice

    public init(_ device: any SPCDevice) { self.device = device }

    public var controlCommands: [ControlCommand<SPCStatusControl>] { Self.table }

    static let table: [ControlCommand<SPCStatusControl>] = [
        ControlCommand("status", "size, block size, read-only, write cache, condition") { c, args throws(ControlError) in
            try args.finish()
            return Self.report(of: c.device)
        }
    ]

    /// `blocks=N block-size=B bytes=N read-only=yes|no write-cache=on|off condition=…`; the first three
    /// only when the device has a block descriptor (disks, zoned disks).
    public static func report(of device: any SPCDevice) -> String {
        var words: [String] = []
        if let d = device.modeBlockDescriptor {
            words += ["blocks=\(d.numberOfBlocks)", "block-size=\(d.blockLength)",
                      "bytes=\(d.numberOfBlocks.multipliedReportingOverflow(by: UInt64(d.blockLength)).partialValue)"]
        }
        // SBC-4 §6.5.2: WP is bit 7 of the mode parameter header's DEVICE-SPECIFIC PARAMETER.
        words.append("read-only=\(device.modeDeviceSpecificParameter & 0x80 != 0 ? "yes" : "no")")
        let (caching, condition) = device.unit.withState { s in
            (s.modePages.first { $0.code == 0x08 && $0.subpage == 0 }?.current, s.condition)
        }
        // SBC-4 §7.5.5: Caching page byte 2 bit 2 is WCE.
        if let page = caching, page.count > 2 { words.append("write-cache=\(page[2] & 0x04 != 0 ? "on" : "off")") }
        words.append("condition=\(conditionName(condition))")
        return words.joined(separator: " ")
    }

    /// A one-word name for a unit condition (`ready`, `no-medium`, `formatting-42%`…).
    public static func conditionName(_ c: DeviceCondition) -> String {
        switch c {
        case .ready: "ready"
        case .stopped: "stopped"
        case .noMedium(let open): open ? "no-medium-tray-open" : "no-medium"
        case .formatting(let p): "formatting-\(Int(p) * 100 / 65536)%"
        case .sanitizing(let p): "sanitizing-\(Int(p) * 100 / 65536)%"
        case .becomingReady: "becoming-ready"
        }
    }
}
