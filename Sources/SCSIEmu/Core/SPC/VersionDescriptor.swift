// VERSION DESCRIPTOR values of the standard INQUIRY data (SPC-5 §6.7.2, table "Version descriptor
// values"); the "(no version claimed)" code of each standard a device kind conforms to.

/// The version descriptors the device kinds claim.
public enum VersionDescriptor {
    /// SAM-5 (no version claimed)
    public static let sam5: UInt16 = 0x00A0
    /// SAM-6 (no version claimed)
    public static let sam6: UInt16 = 0x00C0
    /// SPC-4 (no version claimed)
    public static let spc4: UInt16 = 0x0460
    /// SPC-5 (no version claimed)
    public static let spc5: UInt16 = 0x05C0
    /// SBC-3 (no version claimed)
    public static let sbc3: UInt16 = 0x04C0
    /// SBC-4 (no version claimed)
    public static let sbc4: UInt16 = 0x0600
    /// MMC-5 (no version claimed)
    public static let mmc5: UInt16 = 0x0420
    /// MMC-6 (no version claimed)
    public static let mmc6: UInt16 = 0x04E0
    /// ZBC (no version claimed)
    public static let zbc: UInt16 = 0x0620
    /// ZBC-2 (no version claimed)
    public static let zbc2: UInt16 = 0x0660
}
