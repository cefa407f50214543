import Sense

// READ CAPACITY(10) (SBC-4 §5.20) and READ CAPACITY(16) (SERVICE ACTION IN(16) 9Eh/10h, §5.21)
//
// (10) CDB:  | 2–5 | LOGICAL BLOCK ADDRESS (obsolete) | 8 | PMI (0, obsolete) |
// (10) data: | 0–3 | RETURNED LOGICAL BLOCK ADDRESS (FFFFFFFFh: use READ CAPACITY(16)) | 4–7 | BLOCK LENGTH |
// (16) CDB:  | 2–9 | LBA (obsolete) | 10–13 | ALLOCATION LENGTH | 14 | PMI (0, obsolete) |
// (16) data: | 0–7 | RETURNED LOGICAL BLOCK ADDRESS | 8–11 | LOGICAL BLOCK LENGTH IN BYTES |
//            | 12 | reserved (7–6) | RC BASIS (5–4) | P_TYPE (3–1) | PROT_EN (0) |
//            | 13 | P_I_EXPONENT (7–4) | LOGICAL BLOCKS PER PHYSICAL BLOCK EXPONENT (3–0) |
//            | 14 | LBPME (7) | LBPRZ (6) | LOWEST ALIGNED LOGICAL BLOCK ADDRESS 13–8 (5–0) |
//            | 15 | LOWEST ALIGNED LOGICAL BLOCK ADDRESS 7–0 | 16–31 | reserved |
//
// LBPME and LBPRZ agree with the Logical Block Provisioning VPD page: both set on a thin unit (its
// deallocated blocks read as zeros), both clear otherwise. RC BASIS 01b on a zoned disk (ZBC-2 §6.2): the
// returned LBA is the last LBA of the whole logical unit. MMC-6 §6.23 READ CAPACITY has the (10) data. No protection information; one logical block
// per physical block, aligned at LBA 0.

extension BlockEngine {
    public func readCapacity10(_ cmd: inout SCSICommand) throws(Sense) -> CommandOutcome {
        // SBC-3: with PMI = 0 the LOGICAL BLOCK ADDRESS field shall be zero.
        if !cmd.cdb.bit(8, 0), cmd.cdb.u32(2) != 0 { throw SPC.invalidFieldInCDB(byte: 2) }
        let last = blockCount == 0 ? 0 : blockCount - 1
        var data: [UInt8] = []
        data.appendBigEndian(UInt32(clamping: last))
        data.appendBigEndian(blockSize)
        return cmd.respond(data, allocationLength: 8)
    }

    public func readCapacity16(
        _ cmd: inout SCSICommand, rcBasis: UInt8 = 0, thin: Bool = false
    ) throws(Sense) -> CommandOutcome {
        if !cmd.cdb.bit(14, 0), cmd.cdb.u64(2) != 0 { throw SPC.invalidFieldInCDB(byte: 2) }
        return cmd.respond(readCapacity16Data(rcBasis: rcBasis, thin: thin), allocationLength: Int(cmd.cdb.u32(10)))
    }

    func readCapacity16Data(rcBasis: UInt8, thin: Bool) -> [UInt8] {
        var data: [UInt8] = []
        data.reserveCapacity(32)
        data.appendBigEndian(blockCount == 0 ? 0 : blockCount - 1)
        data.appendBigEndian(blockSize)
        data.append(rcBasis << 4)  // no protection
        data.append(0)  // one logical block per physical block
        data.append(thin ? 0xC0 : 0x00)  // LBPME, LBPRZ; lowest aligned LBA 0
        data.append(0)
        data += [UInt8](repeating: 0, count: 16)
        return data
    }
}
