/// What a fault rule sees of a command: its kind and the logical blocks it touches.
///
/// Known from the CDB alone, whatever the device kind, so one injection point serves disks, zoned disks
/// and optical drives. Layouts (SBC-4 §5, MMC-6 §6.19):
///
/// | CDB                              | LBA            | blocks                     |
/// |----------------------------------|----------------|----------------------------|
/// | 6-byte READ/WRITE (08h/0Ah)      | bytes 1–3 (21 bits) | byte 4 (0 = 256)       |
/// | 10-byte (28h 2Ah 2Eh 2Fh 41h 35h)| bytes 2–5      | bytes 7–8                  |
/// | 12-byte (A8h AAh AEh AFh)        | bytes 2–5      | bytes 6–9                  |
/// | READ CD (BEh, 12 bytes)          | bytes 2–5      | bytes 6–8                  |
/// | 16-byte (88h 8Ah 8Eh 8Fh 93h 91h)| bytes 2–9      | bytes 10–13                |
/// | COMPARE AND WRITE (89h)          | bytes 2–9      | byte 13                    |
/// | 32-byte (7Fh SA 9h/Bh/Dh/Ah)     | bytes 12–19    | bytes 28–31                |
public struct CommandExtent: Sendable, Hashable {
    public var isRead: Bool
    public var isWrite: Bool
    public var isVerify: Bool
    /// The blocks the command addresses; nil when it addresses none (or zero blocks).
    public var lbas: Range<UInt64>?

    public init(_ cdb: CDB) {
        let op = cdb.opcode
        let sa = op == 0x7F ? cdb.serviceAction : 0
        isRead = Self.readOpcodes.contains(op) || (op == 0x7F && sa == 0x09)
        isWrite = Self.writeOpcodes.contains(op) || (op == 0x7F && (sa == 0x0B || sa == 0x0D || sa == 0x0C))
        isVerify = Self.verifyOpcodes.contains(op) || (op == 0x7F && sa == 0x0A)
        lbas = nil
        guard isRead || isWrite || isVerify || Self.rangeOnlyOpcodes.contains(op) else { return }
        var (lba, blocks) = cdb.lbaAndLength
        if op == 0xBE { blocks = cdb.u24(6) }
        if op == 0x89 { blocks = UInt32(cdb[13]) }
        guard blocks > 0 else { return }
        let (end, overflow) = lba.addingReportingOverflow(UInt64(blocks))
        lbas = lba..<(overflow ? UInt64.max : end)
    }

    public func belongs(to group: CommandGroup) -> Bool {
        switch group {
        case .read: isRead
        case .write: isWrite
        case .anyData: isRead || isWrite || isVerify
        case .any: true
        }
    }

    static let readOpcodes: Set<UInt8> = [0x08, 0x28, 0xA8, 0x88, 0xBE]
    static let writeOpcodes: Set<UInt8> = [0x0A, 0x2A, 0xAA, 0x8A, 0x2E, 0xAE, 0x8E, 0x41, 0x93, 0x89]
    static let verifyOpcodes: Set<UInt8> = [0x2F, 0xAF, 0x8F]
    /// SYNCHRONIZE CACHE and PRE-FETCH address a range too (an `lba=` rule may match them).
    static let rangeOnlyOpcodes: Set<UInt8> = [0x35, 0x91, 0x34, 0x90]
}
