import Sense

/// GET PERFORMANCE (ACh) types 00h and 03h, and SET CD SPEED (BBh) (MMC-6 §6.8, §6.37).
///
/// GET PERFORMANCE CDB: | ACh | DATA TYPE (4-0) | STARTING LBA (4) @2 | rsvd ×2 |
///     MAXIMUM NUMBER OF DESCRIPTORS (2) @8 | TYPE @10 | CONTROL |
///   type 00h, DATA TYPE: TOLERANCE (4-3) | WRITE (2) | EXCEPT (1-0)
///   header: 0-3 PERFORMANCE DATA LENGTH (bytes after the field) | 4 WRITE (1) EXCEPT (0) | 5-7 rsvd
///   nominal descriptor (16 bytes): START LBA | START PERFORMANCE | END LBA | END PERFORMANCE (kB/s)
///   exception list (EXCEPT 01b/10b): no exceptions, header only
///   type 03h, write speed descriptor (16 bytes): 0 WRC (4-3) RDD (2) EXACT (1) MRW (0) | 1-3 rsvd |
///     4-7 END LBA | 8-11 READ SPEED | 12-15 WRITE SPEED
///
/// SET CD SPEED CDB: | BBh | ROTATIONAL CONTROL (1-0) | READ SPEED (2) @2 | WRITE SPEED (2) @4 | rsvd ×5 | CONTROL |
///   FFFFh selects the maximum; 10b/11b rotational control are reserved.
public enum Performance {
    public static func maximumReadSpeed(_ p: MediumProfile) -> UInt16 {
        p.isDVD ? ModePage.dvdMaximumReadSpeed : ModePage.cdMaximumReadSpeed
    }

    /// - Throws: INVALID FIELD IN CDB for a type other than 00h and 03h.
    public static func response(
        cdb: CDB, profile: MediumProfile, writable: Bool, blockCount: UInt32
    ) throws(Sense) -> [UInt8] {
        let maxDescriptors = Int(cdb.u16(8))
        let lastLBA = blockCount == 0 ? 0 : blockCount - 1
        let canWrite = profile.recording != .readOnly && writable
        var descriptors: [[UInt8]] = []
        var headerFlags: UInt8 = 0
        switch cdb[10] {
        case 0x00:
            let write = cdb[1] & 0x04 != 0
            let except = cdb[1] & 0x03
            headerFlags = (write ? 0x02 : 0) | (except != 0 ? 0x01 : 0)
            if except == 0 {
                if write {
                    if canWrite {
                        let s = UInt32(ModePage.dvdRAMWriteSpeed)
                        descriptors.append(be32(0) + be32(s) + be32(lastLBA) + be32(s))
                    }
                } else {
                    let s = UInt32(maximumReadSpeed(profile))
                    descriptors.append(be32(0) + be32(s) + be32(lastLBA) + be32(s))
                }
            }
        case 0x03:
            if canWrite {
                descriptors.append(
                    [0x00, 0, 0, 0] + be32(blockCount) + be32(UInt32(maximumReadSpeed(profile)))
                        + be32(UInt32(ModePage.dvdRAMWriteSpeed)))
            }
        default:
            throw Sense(.illegalRequest, .invalidFieldInCDB, keySpecific: .fieldPointer(inCDB: true, byte: 10, bit: 7))
        }
        let body = descriptors.prefix(maxDescriptors).flatMap { $0 }
        return be32(UInt32(4 + body.count)) + [headerFlags, 0, 0, 0] + body
    }

    /// The speeds SET CD SPEED selects: the read speed clamped to 1×…48× CD (176…8448 kB/s); the write
    /// speed is the one the drive has (DVD-RAM 5×), whatever was asked (MMC-6: the nearest supported).
    /// - Throws: INVALID FIELD IN CDB for rotational control 10b/11b.
    public static func selectSpeeds(cdb: CDB) throws(Sense) -> (read: UInt16, write: UInt16) {
        guard cdb[1] & 0x03 <= 1 else {
            throw Sense(.illegalRequest, .invalidFieldInCDB, keySpecific: .fieldPointer(inCDB: true, byte: 1, bit: 1))
        }
        let read = max(176, min(cdb.u16(2), ModePage.cdMaximumReadSpeed))
        return (read, ModePage.dvdRAMWriteSpeed)
    }
}
