import Sense

// The SBC VPD pages (SBC-4 §6.6). The SPC core adds the 4-byte header (`SPC.wrapVPD`).
//
// Block Limits (B0h), page length 3Ch:
// | 4 | reserved (7–1) | WSNZ (0) | 5 | MAXIMUM COMPARE AND WRITE LENGTH |
// | 6–7 | OPTIMAL TRANSFER LENGTH GRANULARITY | 8–11 | MAXIMUM TRANSFER LENGTH |
// | 12–15 | OPTIMAL TRANSFER LENGTH | 16–19 | MAXIMUM PREFETCH LENGTH (0: no limit) |
// | 20–23 | MAXIMUM UNMAP LBA COUNT | 24–27 | MAXIMUM UNMAP BLOCK DESCRIPTOR COUNT |
// | 28–31 | OPTIMAL UNMAP GRANULARITY | 32–35 | UGAVALID (31) | UNMAP GRANULARITY ALIGNMENT (30–0) |
// | 36–43 | MAXIMUM WRITE SAME LENGTH | 44–63 | atomic write limits (0: not supported) |
//
// Block Device Characteristics (B1h), page length 3Ch:
// | 4–5 | MEDIUM ROTATION RATE (0001h: non-rotating) | 6 | PRODUCT TYPE |
// | 7 | WABEREQ (7–6) | WACEREQ (5–4) | NOMINAL FORM FACTOR (3–0): 0 not reported |
// | 8 | reserved (7–6) | ZONED (5–4) | reserved (3–2) | FUAB (1) | VBULS (0) | 9–63 | reserved |
//
// Logical Block Provisioning (B2h), page length 4:
// | 4 | THRESHOLD EXPONENT | 5 | LBPU (7) | LBPWS (6) | LBPWS10 (5) | LBPRZ (4–2) | ANC_SUP (1) | DP (0) |
// | 6 | MINIMUM PERCENTAGE (7–3) | PROVISIONING TYPE (2–0): 000b full, 010b thin | 7 | THRESHOLD PERCENTAGE |

extension BlockDevice {
    public func vpdPage(_ code: UInt8) -> [UInt8]? {
        switch code {
        case 0xB0: SPC.wrapVPD(0, 0xB0, blockLimitsPage())
        case 0xB1: SPC.wrapVPD(0, 0xB1, SPC.blockDeviceCharacteristics(byte8: 0x03))  // FUAB, VBULS
        case 0xB2: SPC.wrapVPD(0, 0xB2, logicalBlockProvisioningPage())
        default: nil
        }
    }

    func blockLimitsPage() -> [UInt8] {
        var b: [UInt8] = []
        b.reserveCapacity(60)
        b.append(0x01)  // WSNZ: WRITE SAME with 0 blocks is refused
        b.append(limits.maxCompareAndWriteBlocks)
        b.appendBigEndian(limits.transferGranularityBlocks)
        b.appendBigEndian(limits.maxTransferBlocks)
        b.appendBigEndian(limits.maxTransferBlocks)
        b.appendBigEndian(UInt32(0))
        b.appendBigEndian(limits.maxUnmapBlocks)
        b.appendBigEndian(limits.maxUnmapDescriptors)
        b.appendBigEndian(limits.unmapGranularityBlocks)
        b.appendBigEndian(isThin ? UInt32(0x8000_0000) : 0)  // UGAVALID, alignment 0
        b.appendBigEndian(limits.maxWriteSameBlocks)
        b += [UInt8](repeating: 0, count: 20)
        return b
    }

    func logicalBlockProvisioningPage() -> [UInt8] {
        guard isThin else { return [0, 0, 0, 0] }
        return [0, 0xE0 | 0x04, 0x02, 0]  // LBPU, LBPWS, LBPWS10, LBPRZ 001b; thin provisioned
    }
}

extension SPC {
    /// The Block Device Characteristics page body (layout above) of a non-rotating medium, `byte8` holding
    /// ZONED, FUAB and VBULS: the disk's and the zoned disk's.
    static func blockDeviceCharacteristics(byte8: UInt8) -> [UInt8] {
        var b = [UInt8](repeating: 0, count: 60)
        b[1] = 0x01  // MEDIUM ROTATION RATE 0001h: non-rotating
        b[4] = byte8
        return b
    }
}
