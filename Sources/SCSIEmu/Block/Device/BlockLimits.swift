/// The limits a disk advertises in the Block Limits VPD page and enforces in its handlers, derived once
/// from the configuration and the store so that VPD B0h, B2h and READ CAPACITY(16) cannot disagree.
struct BlockLimits: Sendable, Hashable {
    /// MAXIMUM TRANSFER LENGTH = OPTIMAL TRANSFER LENGTH (configfs hw_max_sectors, as tcmu-runner).
    var maxTransferBlocks: UInt32
    /// OPTIMAL TRANSFER LENGTH GRANULARITY: the store's allocation unit (a qcow2 cluster, a 4 KiB page).
    var transferGranularityBlocks: UInt16
    /// MAXIMUM COMPARE AND WRITE LENGTH: half a maximum transfer (the Data-Out holds twice the blocks),
    /// at most 255 (the field is one byte).
    var maxCompareAndWriteBlocks: UInt8
    /// MAXIMUM UNMAP LBA COUNT, MAXIMUM UNMAP BLOCK DESCRIPTOR COUNT, OPTIMAL UNMAP GRANULARITY: zero
    /// unless thin provisioned.
    var maxUnmapBlocks: UInt32
    var maxUnmapDescriptors: UInt32
    var unmapGranularityBlocks: UInt32
    /// MAXIMUM WRITE SAME LENGTH (enforced by WRITE SAME(10) and (16) alike).
    var maxWriteSameBlocks: UInt64

    /// FFFFh blocks: the most one WRITE SAME may cover. It is the largest count WRITE SAME(10) can carry,
    /// so (10) and (16) share one limit; it is LIO's default `max_write_same_len`, and it bounds how long
    /// one command writing a pattern may take (32 MiB of 512-byte blocks). Linux splits WRITE ZEROES to it.
    static let writeSameBlocks: UInt64 = 0xFFFF
    /// 1 Mi blocks: the most one UNMAP descriptor may cover (libiscsi's BlockLimits test wants at most
    /// 1 Mi unless unlimited).
    static let unmapRangeBlocks: UInt32 = 1 << 20

    init(blockSize: UInt32, maxTransferBlocks: UInt32, thin: Bool, discardGranularity: UInt64) {
        self.maxTransferBlocks = maxTransferBlocks
        let unitBlocks = max(1, discardGranularity / UInt64(blockSize))
        self.transferGranularityBlocks = UInt16(clamping: unitBlocks)
        self.maxCompareAndWriteBlocks = UInt8(clamping: max(1, maxTransferBlocks / 2))
        self.maxUnmapBlocks = thin ? Self.unmapRangeBlocks : 0
        self.maxUnmapDescriptors = thin ? 256 : 0
        self.unmapGranularityBlocks = thin ? UInt32(clamping: unitBlocks) : 0
        self.maxWriteSameBlocks = Self.writeSameBlocks
    }
}
