import Sense

/// The commands every device kind shares (SPC-5): generic handlers over `SPCDevice`, and the table rows
/// that call them (`SPC+Rows.swift`).
///
/// Each handler has the table's handler shape, so a device kind can call one from its own row or wrap it.
public enum SPC {}

extension SPC {
    /// ILLEGAL REQUEST / INVALID FIELD IN CDB pointing at `byte`, bit `bit` (the field's leftmost bit).
    @inlinable public static func invalidFieldInCDB(byte: Int, bit: UInt8 = 7) -> Sense {
        Sense(.illegalRequest, .invalidFieldInCDB, keySpecific: .fieldPointer(inCDB: true, byte: UInt16(byte), bit: bit))
    }

    /// ILLEGAL REQUEST / INVALID FIELD IN PARAMETER LIST pointing at `byte` of the parameter data.
    @inlinable public static func invalidFieldInParameterList(byte: Int, bit: UInt8 = 7) -> Sense {
        Sense(
            .illegalRequest, .invalidFieldInParameterList,
            keySpecific: .fieldPointer(inCDB: false, byte: UInt16(clamping: byte), bit: bit))
    }

    /// ILLEGAL REQUEST / PARAMETER LIST LENGTH ERROR: the list truncates a header, descriptor or page.
    public static let parameterListLengthError = Sense(.illegalRequest, .parameterListLengthError)
}
