/// The VPD pages a zoned device adds (bodies, without the 4-byte header).
enum ZonedVPD {
    // Block Limits (B0h) and Block Device Characteristics (B1h): layouts in Block/Device/BlockVPDPages.swift.
    /// All limits 0 ("not reported"): no COMPARE AND WRITE, UNMAP or WRITE SAME on a zoned device.
    static func blockLimits() -> [UInt8] { [UInt8](repeating: 0, count: 0x3C) }

    /// ZONED 01b for host-aware (host-managed says so by its PDT); FUAB 1 (a FUA write is durable the way
    /// SYNCHRONIZE CACHE makes it).
    static func blockDeviceCharacteristics(_ g: ZonedGeometry) -> [UInt8] {
        SPC.blockDeviceCharacteristics(byte8: (g.model == .hostAware ? 0x10 : 0x00) | 0x02)
    }

    // Zoned Block Device Characteristics (ZBC-2 §6.5.2), page B6h, length 3Ch
    // | 4 | ZONED BLOCK DEVICE EXTENSION (7–4) | reserved | AAORB (1) | URSWRZ (0) |
    // | 8–11 | OPTIMAL NUMBER OF OPEN SEQUENTIAL WRITE PREFERRED ZONES |
    // | 12–15 | OPTIMAL NUMBER OF NON-SEQUENTIALLY WRITTEN SEQUENTIAL WRITE PREFERRED ZONES |
    // | 16–19 | MAXIMUM NUMBER OF OPEN SEQUENTIAL WRITE REQUIRED ZONES |
    // | 23 | reserved (7–4) | ZONE ALIGNMENT METHOD (3–0) | 24–31 | ZONE STARTING LBA GRANULARITY |
    /// Host-aware: extension 1h and the two optimal counts (the `open` option); the maximum "not reported"
    /// (FFFFFFFFh). Host-managed: the maximum, the optimal counts not reported. Alignment method 0h.
    static func zonedCharacteristics(_ g: ZonedGeometry) -> [UInt8] {
        var b = [UInt8](repeating: 0, count: 0x3C)  // b[k] is page byte k + 4
        let open = UInt32(clamping: g.maxOpenZones)
        let hostAware = g.model == .hostAware
        b[0] = (hostAware ? 0x10 : 0x00) | (g.unrestrictedReads ? 0x01 : 0x00)
        b.setBigEndian(hostAware ? open : UInt32.max, at: 4)
        b.setBigEndian(hostAware ? open : UInt32.max, at: 8)
        b.setBigEndian(hostAware ? UInt32.max : open, at: 12)
        return b
    }
}
