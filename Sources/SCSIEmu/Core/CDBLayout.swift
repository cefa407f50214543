// A READ/WRITE-style CDB's layout as a type (SBC-4 §4.2.2, the layouts in CDB.swift): a row of a fixed
// CDB length names its layout, and the handler it builds is generic over it, so the compiler specialises
// it per layout with the fields' offsets constants (a load and a byte swap each), instead of a switch on
// the CDB's `count` per command. The row's length stays the one truth: the usage data, the opcode and
// the fields all come from `FixedCDBLayout.length` (docs/performance.md, session 15).

/// Where a READ/WRITE-style CDB holds its LBA and TRANSFER LENGTH.
public protocol CDBFieldLayout: Sendable {
    static func lbaAndLength(_ cdb: CDB) -> (lba: UInt64, blocks: UInt32)
}

/// The layout of a CDB of `length` bytes (6, 10, 12, 16): what a row of that length reads.
public protocol FixedCDBLayout: CDBFieldLayout {
    static var length: Int { get }
}

extension FixedCDBLayout {
    @inlinable @inline(__always) public static func lbaAndLength(_ cdb: CDB) -> (lba: UInt64, blocks: UInt32) {
        cdb.lbaAndLength(cdbLength: length)
    }
}

extension CDB {
    public enum Six: FixedCDBLayout { @inlinable public static var length: Int { 6 } }
    public enum Ten: FixedCDBLayout { @inlinable public static var length: Int { 10 } }
    public enum Twelve: FixedCDBLayout { @inlinable public static var length: Int { 12 } }
    public enum Sixteen: FixedCDBLayout { @inlinable public static var length: Int { 16 } }

    /// The layout the CDB's own `count` names (a caller that has no row: `lbaAndLength`).
    public enum OwnLength: CDBFieldLayout {
        @inlinable public static func lbaAndLength(_ cdb: CDB) -> (lba: UInt64, blocks: UInt32) { cdb.lbaAndLength }
    }
}
