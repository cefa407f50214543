// The ASC/ASCQ catalog: every code a handler uses, with its T10 text (SPC-5 Annex F / t10.org asc-num.txt).
// The codes are spelled once, in Catalog/AdditionalSenseCodes.txt; Catalog/generate.py writes the
// constants and lists of AdditionalSenseCode+Catalog<Part>.swift from it. This file joins the parts.

extension AdditionalSenseCode {
    /// One catalog row: the constant's name, the code, and its T10 text.
    public typealias CatalogEntry = (name: String, code: AdditionalSenseCode, text: String)

    /// Every named code, for logs, decoding and tests: each part's list, in the order of the catalog file.
    public static let allNamed: [CatalogEntry] = coreNamed + primaryNamed + blockNamed + opticalNamed

    // Renamed to match the T10 text; the old spellings stay for code written against them.
    @available(*, deprecated, renamed: "logicalUnitNotAccessibleAsymmetricAccessStateTransition")
    public static var logicalUnitNotReadyAsymmetricAccessStateTransition: Self {
        .logicalUnitNotAccessibleAsymmetricAccessStateTransition
    }
    @available(*, deprecated, renamed: "logicalUnitNotAccessibleTargetPortInStandbyState")
    public static var logicalUnitNotReadyTargetPortInStandbyState: Self { .logicalUnitNotAccessibleTargetPortInStandbyState }
    @available(*, deprecated, renamed: "setTargetPortGroupsCommandFailed")
    public static var explicitAsymmetricAccessStateTransitionFailed: Self { .setTargetPortGroupsCommandFailed }

    static let catalog: [UInt16: String] = {
        var table: [UInt16: String] = [:]
        for entry in allNamed { table[entry.code.combined] = entry.text }
        return table
    }()
}
