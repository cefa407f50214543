// ASC/ASCQ catalog, part: SPC-5 codes beyond the core set: unit attentions, ALUA, self-test, power conditions, XCOPY, security.
// Texts are T10's (SPC-5 Annex F, t10.org asc-num.txt). Add a code with one line in each list below;
// `allNamed` (AdditionalSenseCode+Catalog.swift) concatenates every part, so the decoder sees it.

extension AdditionalSenseCode {
    /// 04h/09h LOGICAL UNIT NOT READY, SELF-TEST IN PROGRESS
    public static let logicalUnitNotReadySelfTestInProgress = AdditionalSenseCode(asc: 0x04, ascq: 0x09)
    /// 04h/0Ch LOGICAL UNIT NOT ACCESSIBLE, TARGET PORT IN UNAVAILABLE STATE
    public static let logicalUnitNotAccessibleTargetPortInUnavailableState = AdditionalSenseCode(asc: 0x04, ascq: 0x0C)
    /// 04h/12h LOGICAL UNIT NOT READY, OFFLINE
    public static let logicalUnitNotReadyOffline = AdditionalSenseCode(asc: 0x04, ascq: 0x12)
    /// 0Dh/00h ERROR DETECTED BY THIRD PARTY TEMPORARY INITIATOR
    public static let errorDetectedByThirdPartyTemporaryInitiator = AdditionalSenseCode(asc: 0x0D, ascq: 0x00)
    /// 0Dh/01h THIRD PARTY DEVICE FAILURE
    public static let thirdPartyDeviceFailure = AdditionalSenseCode(asc: 0x0D, ascq: 0x01)
    /// 24h/01h CDB DECRYPTION ERROR
    public static let cdbDecryptionError = AdditionalSenseCode(asc: 0x24, ascq: 0x01)
    /// 24h/04h SECURITY AUDIT VALUE FROZEN
    public static let securityAuditValueFrozen = AdditionalSenseCode(asc: 0x24, ascq: 0x04)
    /// 24h/05h SECURITY WORKING KEY FROZEN
    public static let securityWorkingKeyFrozen = AdditionalSenseCode(asc: 0x24, ascq: 0x05)
    /// 24h/06h NONCE NOT UNIQUE
    public static let nonceNotUnique = AdditionalSenseCode(asc: 0x24, ascq: 0x06)
    /// 24h/07h NONCE TIMESTAMP OUT OF RANGE
    public static let nonceTimestampOutOfRange = AdditionalSenseCode(asc: 0x24, ascq: 0x07)
    /// 24h/08h INVALID XCDB
    public static let invalidXCDB = AdditionalSenseCode(asc: 0x24, ascq: 0x08)
    /// 26h/03h THRESHOLD PARAMETERS NOT SUPPORTED
    public static let thresholdParametersNotSupported = AdditionalSenseCode(asc: 0x26, ascq: 0x03)
    /// 29h/02h SCSI BUS RESET OCCURRED
    public static let scsiBusResetOccurred = AdditionalSenseCode(asc: 0x29, ascq: 0x02)
    /// 29h/03h BUS DEVICE RESET FUNCTION OCCURRED
    public static let busDeviceResetFunctionOccurred = AdditionalSenseCode(asc: 0x29, ascq: 0x03)
    /// 29h/04h DEVICE INTERNAL RESET
    public static let deviceInternalReset = AdditionalSenseCode(asc: 0x29, ascq: 0x04)
    /// 29h/07h I_T NEXUS LOSS OCCURRED
    public static let itNexusLossOccurred = AdditionalSenseCode(asc: 0x29, ascq: 0x07)
    /// 2Ah/02h LOG PARAMETERS CHANGED
    public static let logParametersChanged = AdditionalSenseCode(asc: 0x2A, ascq: 0x02)
    /// 2Ah/03h RESERVATIONS PREEMPTED
    public static let reservationsPreempted = AdditionalSenseCode(asc: 0x2A, ascq: 0x03)
    /// 2Ah/04h RESERVATIONS RELEASED
    public static let reservationsReleased = AdditionalSenseCode(asc: 0x2A, ascq: 0x04)
    /// 2Ah/05h REGISTRATIONS PREEMPTED
    public static let registrationsPreempted = AdditionalSenseCode(asc: 0x2A, ascq: 0x05)
    /// 2Ah/06h ASYMMETRIC ACCESS STATE CHANGED
    public static let asymmetricAccessStateChanged = AdditionalSenseCode(asc: 0x2A, ascq: 0x06)
    /// 2Ah/10h TIMESTAMP CHANGED
    public static let timestampChanged = AdditionalSenseCode(asc: 0x2A, ascq: 0x10)
    /// 2Ch/05h ILLEGAL POWER CONDITION REQUEST
    public static let illegalPowerConditionRequest = AdditionalSenseCode(asc: 0x2C, ascq: 0x05)
    /// 2Ch/11h DESCRIPTOR FORMAT SENSE DATA REQUIRED
    public static let descriptorFormatSenseDataRequired = AdditionalSenseCode(asc: 0x2C, ascq: 0x11)
    /// 2Fh/02h COMMANDS CLEARED BY DEVICE SERVER
    public static let commandsClearedByDeviceServer = AdditionalSenseCode(asc: 0x2F, ascq: 0x02)
    /// 3Eh/00h LOGICAL UNIT HAS NOT SELF-CONFIGURED YET
    public static let logicalUnitHasNotSelfConfiguredYet = AdditionalSenseCode(asc: 0x3E, ascq: 0x00)
    /// 3Eh/01h LOGICAL UNIT FAILURE
    public static let logicalUnitFailure = AdditionalSenseCode(asc: 0x3E, ascq: 0x01)
    /// 3Eh/03h LOGICAL UNIT FAILED SELF-TEST
    public static let logicalUnitFailedSelfTest = AdditionalSenseCode(asc: 0x3E, ascq: 0x03)
    /// 3Fh/00h TARGET OPERATING CONDITIONS HAVE CHANGED
    public static let targetOperatingConditionsHaveChanged = AdditionalSenseCode(asc: 0x3F, ascq: 0x00)
    /// 3Fh/01h MICROCODE HAS BEEN CHANGED
    public static let microcodeHasBeenChanged = AdditionalSenseCode(asc: 0x3F, ascq: 0x01)
    /// 3Fh/02h CHANGED OPERATING DEFINITION
    public static let changedOperatingDefinition = AdditionalSenseCode(asc: 0x3F, ascq: 0x02)
    /// 3Fh/03h INQUIRY DATA HAS CHANGED
    public static let inquiryDataHasChanged = AdditionalSenseCode(asc: 0x3F, ascq: 0x03)
    /// 3Fh/0Eh REPORTED LUNS DATA HAS CHANGED
    public static let reportedLunsDataHasChanged = AdditionalSenseCode(asc: 0x3F, ascq: 0x0E)
    /// 55h/03h INSUFFICIENT RESOURCES
    public static let insufficientResources = AdditionalSenseCode(asc: 0x55, ascq: 0x03)
    /// 55h/04h INSUFFICIENT REGISTRATION RESOURCES
    public static let insufficientRegistrationResources = AdditionalSenseCode(asc: 0x55, ascq: 0x04)
    /// 5Eh/01h IDLE CONDITION ACTIVATED BY TIMER
    public static let idleConditionActivatedByTimer = AdditionalSenseCode(asc: 0x5E, ascq: 0x01)
    /// 5Eh/02h STANDBY CONDITION ACTIVATED BY TIMER
    public static let standbyConditionActivatedByTimer = AdditionalSenseCode(asc: 0x5E, ascq: 0x02)
    /// 5Eh/03h IDLE CONDITION ACTIVATED BY COMMAND
    public static let idleConditionActivatedByCommand = AdditionalSenseCode(asc: 0x5E, ascq: 0x03)
    /// 5Eh/04h STANDBY CONDITION ACTIVATED BY COMMAND
    public static let standbyConditionActivatedByCommand = AdditionalSenseCode(asc: 0x5E, ascq: 0x04)

    /// The codes of this part, in `allNamed` form.
    static let primaryNamed: [CatalogEntry] = [
        ("logicalUnitNotReadySelfTestInProgress", .logicalUnitNotReadySelfTestInProgress, "LOGICAL UNIT NOT READY, SELF-TEST IN PROGRESS"),
        ("logicalUnitNotAccessibleTargetPortInUnavailableState", .logicalUnitNotAccessibleTargetPortInUnavailableState, "LOGICAL UNIT NOT ACCESSIBLE, TARGET PORT IN UNAVAILABLE STATE"),
        ("logicalUnitNotReadyOffline", .logicalUnitNotReadyOffline, "LOGICAL UNIT NOT READY, OFFLINE"),
        ("errorDetectedByThirdPartyTemporaryInitiator", .errorDetectedByThirdPartyTemporaryInitiator, "ERROR DETECTED BY THIRD PARTY TEMPORARY INITIATOR"),
        ("thirdPartyDeviceFailure", .thirdPartyDeviceFailure, "THIRD PARTY DEVICE FAILURE"),
        ("cdbDecryptionError", .cdbDecryptionError, "CDB DECRYPTION ERROR"),
        ("securityAuditValueFrozen", .securityAuditValueFrozen, "SECURITY AUDIT VALUE FROZEN"),
        ("securityWorkingKeyFrozen", .securityWorkingKeyFrozen, "SECURITY WORKING KEY FROZEN"),
        ("nonceNotUnique", .nonceNotUnique, "NONCE NOT UNIQUE"),
        ("nonceTimestampOutOfRange", .nonceTimestampOutOfRange, "NONCE TIMESTAMP OUT OF RANGE"),
        ("invalidXCDB", .invalidXCDB, "INVALID XCDB"),
        ("thresholdParametersNotSupported", .thresholdParametersNotSupported, "THRESHOLD PARAMETERS NOT SUPPORTED"),
        ("scsiBusResetOccurred", .scsiBusResetOccurred, "SCSI BUS RESET OCCURRED"),
        ("busDeviceResetFunctionOccurred", .busDeviceResetFunctionOccurred, "BUS DEVICE RESET FUNCTION OCCURRED"),
        ("deviceInternalReset", .deviceInternalReset, "DEVICE INTERNAL RESET"),
        ("itNexusLossOccurred", .itNexusLossOccurred, "I_T NEXUS LOSS OCCURRED"),
        ("logParametersChanged", .logParametersChanged, "LOG PARAMETERS CHANGED"),
        ("reservationsPreempted", .reservationsPreempted, "RESERVATIONS PREEMPTED"),
        ("reservationsReleased", .reservationsReleased, "RESERVATIONS RELEASED"),
        ("registrationsPreempted", .registrationsPreempted, "REGISTRATIONS PREEMPTED"),
        ("asymmetricAccessStateChanged", .asymmetricAccessStateChanged, "ASYMMETRIC ACCESS STATE CHANGED"),
        ("timestampChanged", .timestampChanged, "TIMESTAMP CHANGED"),
        ("illegalPowerConditionRequest", .illegalPowerConditionRequest, "ILLEGAL POWER CONDITION REQUEST"),
        ("descriptorFormatSenseDataRequired", .descriptorFormatSenseDataRequired, "DESCRIPTOR FORMAT SENSE DATA REQUIRED"),
        ("commandsClearedByDeviceServer", .commandsClearedByDeviceServer, "COMMANDS CLEARED BY DEVICE SERVER"),
        ("logicalUnitHasNotSelfConfiguredYet", .logicalUnitHasNotSelfConfiguredYet, "LOGICAL UNIT HAS NOT SELF-CONFIGURED YET"),
        ("logicalUnitFailure", .logicalUnitFailure, "LOGICAL UNIT FAILURE"),
        ("logicalUnitFailedSelfTest", .logicalUnitFailedSelfTest, "LOGICAL UNIT FAILED SELF-TEST"),
        ("targetOperatingConditionsHaveChanged", .targetOperatingConditionsHaveChanged, "TARGET OPERATING CONDITIONS HAVE CHANGED"),
        ("microcodeHasBeenChanged", .microcodeHasBeenChanged, "MICROCODE HAS BEEN CHANGED"),
        ("changedOperatingDefinition", .changedOperatingDefinition, "CHANGED OPERATING DEFINITION"),
        ("inquiryDataHasChanged", .inquiryDataHasChanged, "INQUIRY DATA HAS CHANGED"),
        ("reportedLunsDataHasChanged", .reportedLunsDataHasChanged, "REPORTED LUNS DATA HAS CHANGED"),
        ("insufficientResources", .insufficientResources, "INSUFFICIENT RESOURCES"),
        ("insufficientRegistrationResources", .insufficientRegistrationResources, "INSUFFICIENT REGISTRATION RESOURCES"),
        ("idleConditionActivatedByTimer", .idleConditionActivatedByTimer, "IDLE CONDITION ACTIVATED BY TIMER"),
        ("standbyConditionActivatedByTimer", .standbyConditionActivatedByTimer, "STANDBY CONDITION ACTIVATED BY TIMER"),
        ("idleConditionActivatedByCommand", .idleConditionActivatedByCommand, "IDLE CONDITION ACTIVATED BY COMMAND"),
        ("standbyConditionActivatedByCommand", .standbyConditionActivatedByCommand, "STANDBY CONDITION ACTIVATED BY COMMAND"),
    ]
}
