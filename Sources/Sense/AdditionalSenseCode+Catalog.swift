// The ASC/ASCQ catalog: every code a handler uses, with its T10 text (SPC-5 Annex F / t10.org asc-num.txt).
// Add a code here (one line in each list) before any handler throws it. More codes, grouped by command
// set, are in AdditionalSenseCode+CatalogPrimary/Block/Optical.swift; `allNamed` joins every list.

extension AdditionalSenseCode {
    /// 00h/00h NO ADDITIONAL SENSE INFORMATION
    public static let noAdditionalSenseInformation = AdditionalSenseCode(asc: 0x00, ascq: 0x00)
    /// 00h/16h OPERATION IN PROGRESS
    public static let operationInProgress = AdditionalSenseCode(asc: 0x00, ascq: 0x16)
    /// 04h/00h LOGICAL UNIT NOT READY, CAUSE NOT REPORTABLE
    public static let logicalUnitNotReadyCauseNotReportable = AdditionalSenseCode(asc: 0x04, ascq: 0x00)
    /// 04h/01h LOGICAL UNIT IS IN PROCESS OF BECOMING READY
    public static let logicalUnitIsInProcessOfBecomingReady = AdditionalSenseCode(asc: 0x04, ascq: 0x01)
    /// 04h/02h LOGICAL UNIT NOT READY, INITIALIZING COMMAND REQUIRED
    public static let logicalUnitNotReadyInitializingCommandRequired = AdditionalSenseCode(asc: 0x04, ascq: 0x02)
    /// 04h/03h LOGICAL UNIT NOT READY, MANUAL INTERVENTION REQUIRED
    public static let logicalUnitNotReadyManualInterventionRequired = AdditionalSenseCode(asc: 0x04, ascq: 0x03)
    /// 04h/04h LOGICAL UNIT NOT READY, FORMAT IN PROGRESS
    public static let logicalUnitNotReadyFormatInProgress = AdditionalSenseCode(asc: 0x04, ascq: 0x04)
    /// 04h/07h LOGICAL UNIT NOT READY, OPERATION IN PROGRESS
    public static let logicalUnitNotReadyOperationInProgress = AdditionalSenseCode(asc: 0x04, ascq: 0x07)
    /// 04h/0Ah LOGICAL UNIT NOT ACCESSIBLE, ASYMMETRIC ACCESS STATE TRANSITION
    public static let logicalUnitNotAccessibleAsymmetricAccessStateTransition = AdditionalSenseCode(asc: 0x04, ascq: 0x0A)
    /// 04h/0Bh LOGICAL UNIT NOT ACCESSIBLE, TARGET PORT IN STANDBY STATE
    public static let logicalUnitNotAccessibleTargetPortInStandbyState = AdditionalSenseCode(asc: 0x04, ascq: 0x0B)
    /// 04h/1Bh LOGICAL UNIT NOT READY, SANITIZE IN PROGRESS
    public static let logicalUnitNotReadySanitizeInProgress = AdditionalSenseCode(asc: 0x04, ascq: 0x1B)
    /// 08h/00h LOGICAL UNIT COMMUNICATION FAILURE
    public static let logicalUnitCommunicationFailure = AdditionalSenseCode(asc: 0x08, ascq: 0x00)
    /// 0Ch/00h WRITE ERROR
    public static let writeError = AdditionalSenseCode(asc: 0x0C, ascq: 0x00)
    /// 0Ch/02h WRITE ERROR - AUTO REALLOCATION FAILED
    public static let writeErrorAutoReallocationFailed = AdditionalSenseCode(asc: 0x0C, ascq: 0x02)
    /// 10h/00h ID CRC OR ECC ERROR
    public static let idCRCOrECCError = AdditionalSenseCode(asc: 0x10, ascq: 0x00)
    /// 11h/00h UNRECOVERED READ ERROR
    public static let unrecoveredReadError = AdditionalSenseCode(asc: 0x11, ascq: 0x00)
    /// 1Dh/00h MISCOMPARE DURING VERIFY OPERATION
    public static let miscompareDuringVerifyOperation = AdditionalSenseCode(asc: 0x1D, ascq: 0x00)
    /// 1Ah/00h PARAMETER LIST LENGTH ERROR
    public static let parameterListLengthError = AdditionalSenseCode(asc: 0x1A, ascq: 0x00)
    /// 20h/00h INVALID COMMAND OPERATION CODE
    public static let invalidCommandOperationCode = AdditionalSenseCode(asc: 0x20, ascq: 0x00)
    /// 21h/00h LOGICAL BLOCK ADDRESS OUT OF RANGE
    public static let logicalBlockAddressOutOfRange = AdditionalSenseCode(asc: 0x21, ascq: 0x00)
    /// 21h/01h INVALID ELEMENT ADDRESS
    public static let invalidElementAddress = AdditionalSenseCode(asc: 0x21, ascq: 0x01)
    /// 21h/02h INVALID ADDRESS FOR WRITE
    public static let invalidAddressForWrite = AdditionalSenseCode(asc: 0x21, ascq: 0x02)
    /// 21h/04h UNALIGNED WRITE COMMAND
    public static let unalignedWriteCommand = AdditionalSenseCode(asc: 0x21, ascq: 0x04)
    /// 21h/05h WRITE BOUNDARY VIOLATION
    public static let writeBoundaryViolation = AdditionalSenseCode(asc: 0x21, ascq: 0x05)
    /// 21h/06h ATTEMPT TO READ INVALID DATA
    public static let attemptToReadInvalidData = AdditionalSenseCode(asc: 0x21, ascq: 0x06)
    /// 21h/07h READ BOUNDARY VIOLATION
    public static let readBoundaryViolation = AdditionalSenseCode(asc: 0x21, ascq: 0x07)
    /// 21h/08h MISALIGNED WRITE COMMAND
    public static let misalignedWriteCommand = AdditionalSenseCode(asc: 0x21, ascq: 0x08)
    /// 21h/09h ATTEMPT TO ACCESS GAP ZONE
    public static let attemptToAccessGapZone = AdditionalSenseCode(asc: 0x21, ascq: 0x09)
    /// 24h/00h INVALID FIELD IN CDB
    public static let invalidFieldInCDB = AdditionalSenseCode(asc: 0x24, ascq: 0x00)
    /// 25h/00h LOGICAL UNIT NOT SUPPORTED
    public static let logicalUnitNotSupported = AdditionalSenseCode(asc: 0x25, ascq: 0x00)
    /// 26h/00h INVALID FIELD IN PARAMETER LIST
    public static let invalidFieldInParameterList = AdditionalSenseCode(asc: 0x26, ascq: 0x00)
    /// 26h/01h PARAMETER NOT SUPPORTED
    public static let parameterNotSupported = AdditionalSenseCode(asc: 0x26, ascq: 0x01)
    /// 26h/02h PARAMETER VALUE INVALID
    public static let parameterValueInvalid = AdditionalSenseCode(asc: 0x26, ascq: 0x02)
    /// 26h/06h TOO MANY TARGET DESCRIPTORS
    public static let tooManyTargetDescriptors = AdditionalSenseCode(asc: 0x26, ascq: 0x06)
    /// 26h/07h UNSUPPORTED TARGET DESCRIPTOR TYPE CODE
    public static let unsupportedTargetDescriptorTypeCode = AdditionalSenseCode(asc: 0x26, ascq: 0x07)
    /// 26h/08h TOO MANY SEGMENT DESCRIPTORS
    public static let tooManySegmentDescriptors = AdditionalSenseCode(asc: 0x26, ascq: 0x08)
    /// 26h/09h UNSUPPORTED SEGMENT DESCRIPTOR TYPE CODE
    public static let unsupportedSegmentDescriptorTypeCode = AdditionalSenseCode(asc: 0x26, ascq: 0x09)
    /// 26h/0Ah UNEXPECTED INEXACT SEGMENT
    public static let unexpectedInexactSegment = AdditionalSenseCode(asc: 0x26, ascq: 0x0A)
    /// 26h/0Bh INLINE DATA LENGTH EXCEEDED
    public static let inlineDataLengthExceeded = AdditionalSenseCode(asc: 0x26, ascq: 0x0B)
    /// 26h/0Ch INVALID OPERATION FOR COPY SOURCE OR DESTINATION
    public static let invalidOperationForCopySourceOrDestination = AdditionalSenseCode(asc: 0x26, ascq: 0x0C)
    /// 26h/0Dh COPY SEGMENT GRANULARITY VIOLATION
    public static let copySegmentGranularityViolation = AdditionalSenseCode(asc: 0x26, ascq: 0x0D)
    /// 27h/00h WRITE PROTECTED
    public static let writeProtected = AdditionalSenseCode(asc: 0x27, ascq: 0x00)
    /// 27h/01h HARDWARE WRITE PROTECTED
    public static let hardwareWriteProtected = AdditionalSenseCode(asc: 0x27, ascq: 0x01)
    /// 27h/02h LOGICAL UNIT SOFTWARE WRITE PROTECTED
    public static let logicalUnitSoftwareWriteProtected = AdditionalSenseCode(asc: 0x27, ascq: 0x02)
    /// 28h/00h NOT READY TO READY CHANGE, MEDIUM MAY HAVE CHANGED
    public static let notReadyToReadyChangeMediumMayHaveChanged = AdditionalSenseCode(asc: 0x28, ascq: 0x00)
    /// 29h/00h POWER ON, RESET, OR BUS DEVICE RESET OCCURRED
    public static let powerOnResetOrBusDeviceResetOccurred = AdditionalSenseCode(asc: 0x29, ascq: 0x00)
    /// 29h/01h POWER ON OCCURRED
    public static let powerOnOccurred = AdditionalSenseCode(asc: 0x29, ascq: 0x01)
    /// 2Ah/00h PARAMETERS CHANGED
    public static let parametersChanged = AdditionalSenseCode(asc: 0x2A, ascq: 0x00)
    /// 2Ah/01h MODE PARAMETERS CHANGED
    public static let modeParametersChanged = AdditionalSenseCode(asc: 0x2A, ascq: 0x01)
    /// 2Ah/07h IMPLICIT ASYMMETRIC ACCESS STATE TRANSITION FAILED
    public static let implicitAsymmetricAccessStateTransitionFailed = AdditionalSenseCode(asc: 0x2A, ascq: 0x07)
    /// 2Ah/09h CAPACITY DATA HAS CHANGED
    public static let capacityDataHasChanged = AdditionalSenseCode(asc: 0x2A, ascq: 0x09)
    /// 2Ch/00h COMMAND SEQUENCE ERROR
    public static let commandSequenceError = AdditionalSenseCode(asc: 0x2C, ascq: 0x00)
    /// 30h/00h INCOMPATIBLE MEDIUM INSTALLED
    public static let incompatibleMediumInstalled = AdditionalSenseCode(asc: 0x30, ascq: 0x00)
    /// 30h/01h CANNOT READ MEDIUM - UNKNOWN FORMAT
    public static let cannotReadMediumUnknownFormat = AdditionalSenseCode(asc: 0x30, ascq: 0x01)
    /// 30h/02h CANNOT READ MEDIUM - INCOMPATIBLE FORMAT
    public static let cannotReadMediumIncompatibleFormat = AdditionalSenseCode(asc: 0x30, ascq: 0x02)
    /// 30h/05h CANNOT WRITE MEDIUM - INCOMPATIBLE FORMAT
    public static let cannotWriteMediumIncompatibleFormat = AdditionalSenseCode(asc: 0x30, ascq: 0x05)
    /// 30h/06h CANNOT FORMAT MEDIUM - INCOMPATIBLE MEDIUM
    public static let cannotFormatMediumIncompatibleMedium = AdditionalSenseCode(asc: 0x30, ascq: 0x06)
    /// 31h/00h MEDIUM FORMAT CORRUPTED
    public static let mediumFormatCorrupted = AdditionalSenseCode(asc: 0x31, ascq: 0x00)
    /// 31h/01h FORMAT COMMAND FAILED
    public static let formatCommandFailed = AdditionalSenseCode(asc: 0x31, ascq: 0x01)
    /// 3Ah/00h MEDIUM NOT PRESENT
    public static let mediumNotPresent = AdditionalSenseCode(asc: 0x3A, ascq: 0x00)
    /// 3Ah/01h MEDIUM NOT PRESENT - TRAY CLOSED
    public static let mediumNotPresentTrayClosed = AdditionalSenseCode(asc: 0x3A, ascq: 0x01)
    /// 3Ah/02h MEDIUM NOT PRESENT - TRAY OPEN
    public static let mediumNotPresentTrayOpen = AdditionalSenseCode(asc: 0x3A, ascq: 0x02)
    /// 39h/00h SAVING PARAMETERS NOT SUPPORTED
    public static let savingParametersNotSupported = AdditionalSenseCode(asc: 0x39, ascq: 0x00)
    /// 44h/00h INTERNAL TARGET FAILURE
    public static let internalTargetFailure = AdditionalSenseCode(asc: 0x44, ascq: 0x00)
    /// 49h/00h INVALID MESSAGE ERROR
    public static let invalidMessageError = AdditionalSenseCode(asc: 0x49, ascq: 0x00)
    /// 4Ah/00h COMMAND PHASE ERROR
    public static let commandPhaseError = AdditionalSenseCode(asc: 0x4A, ascq: 0x00)
    /// 4Bh/00h DATA PHASE ERROR
    public static let dataPhaseError = AdditionalSenseCode(asc: 0x4B, ascq: 0x00)
    /// 2Fh/00h COMMANDS CLEARED BY ANOTHER INITIATOR
    public static let commandsClearedByAnotherInitiator = AdditionalSenseCode(asc: 0x2F, ascq: 0x00)
    /// 53h/02h MEDIUM REMOVAL PREVENTED
    public static let mediumRemovalPrevented = AdditionalSenseCode(asc: 0x53, ascq: 0x02)
    /// 55h/0Eh INSUFFICIENT ZONE RESOURCES
    public static let insufficientZoneResources = AdditionalSenseCode(asc: 0x55, ascq: 0x0E)
    /// 5Ah/01h OPERATOR MEDIUM REMOVAL REQUEST
    public static let operatorMediumRemovalRequest = AdditionalSenseCode(asc: 0x5A, ascq: 0x01)
    /// 5Eh/00h LOW POWER CONDITION ON
    public static let lowPowerConditionOn = AdditionalSenseCode(asc: 0x5E, ascq: 0x00)
    /// 67h/0Ah SET TARGET PORT GROUPS COMMAND FAILED
    public static let setTargetPortGroupsCommandFailed = AdditionalSenseCode(asc: 0x67, ascq: 0x0A)
    /// 0Dh/02h COPY TARGET DEVICE NOT REACHABLE
    public static let copyTargetDeviceNotReachable = AdditionalSenseCode(asc: 0x0D, ascq: 0x02)
    /// 0Dh/03h INCORRECT COPY TARGET DEVICE TYPE
    public static let incorrectCopyTargetDeviceType = AdditionalSenseCode(asc: 0x0D, ascq: 0x03)
    /// 0Dh/04h COPY TARGET DEVICE DATA UNDERRUN
    public static let copyTargetDeviceDataUnderrun = AdditionalSenseCode(asc: 0x0D, ascq: 0x04)
    /// 0Dh/05h COPY TARGET DEVICE DATA OVERRUN
    public static let copyTargetDeviceDataOverrun = AdditionalSenseCode(asc: 0x0D, ascq: 0x05)
    /// 26h/04h INVALID RELEASE OF PERSISTENT RESERVATION
    public static let invalidReleaseOfPersistentReservation = AdditionalSenseCode(asc: 0x26, ascq: 0x04)
    /// 10h/01h LOGICAL BLOCK GUARD CHECK FAILED
    public static let logicalBlockGuardCheckFailed = AdditionalSenseCode(asc: 0x10, ascq: 0x01)
    /// 6Fh/03h READ OF SCRAMBLED SECTOR WITHOUT AUTHENTICATION
    public static let readOfScrambledSectorWithoutAuthentication = AdditionalSenseCode(asc: 0x6F, ascq: 0x03)
    /// 64h/01h INVALID PACKET SIZE
    public static let invalidPacketSize = AdditionalSenseCode(asc: 0x64, ascq: 0x01)
    /// 64h/00h ILLEGAL MODE FOR THIS TRACK
    public static let illegalModeForThisTrack = AdditionalSenseCode(asc: 0x64, ascq: 0x00)
    /// 63h/00h END OF USER AREA ENCOUNTERED ON THIS TRACK
    public static let endOfUserAreaEncounteredOnThisTrack = AdditionalSenseCode(asc: 0x63, ascq: 0x00)
    /// 05h/00h LOGICAL UNIT DOES NOT RESPOND TO SELECTION
    public static let logicalUnitDoesNotRespondToSelection = AdditionalSenseCode(asc: 0x05, ascq: 0x00)
    /// 0Eh/03h INVALID FIELD IN COMMAND INFORMATION UNIT
    public static let invalidFieldInCommandInformationUnit = AdditionalSenseCode(asc: 0x0E, ascq: 0x03)
    /// 4Eh/00h OVERLAPPED COMMANDS ATTEMPTED
    public static let overlappedCommandsAttempted = AdditionalSenseCode(asc: 0x4E, ascq: 0x00)
    /// 2Ah/16h ZONE RESET WRITE POINTER RECOMMENDED
    public static let zoneResetWritePointerRecommended = AdditionalSenseCode(asc: 0x2A, ascq: 0x16)
    /// 27h/08h ZONE IS READ ONLY
    public static let zoneIsReadOnly = AdditionalSenseCode(asc: 0x27, ascq: 0x08)
    /// 2Ch/0Eh ZONE IS OFFLINE
    public static let zoneIsOffline = AdditionalSenseCode(asc: 0x2C, ascq: 0x0E)
    /// 31h/03h SANITIZE COMMAND FAILED
    public static let sanitizeCommandFailed = AdditionalSenseCode(asc: 0x31, ascq: 0x03)

    /// One catalog row: the constant's name, the code, and its T10 text.
    public typealias CatalogEntry = (name: String, code: AdditionalSenseCode, text: String)

    /// Every named code, for logs, decoding and tests: this file's list and each part's
    /// (`+CatalogPrimary`, `+CatalogBlock`, `+CatalogOptical`).
    public static let allNamed: [CatalogEntry] = coreNamed + primaryNamed + blockNamed + opticalNamed

    /// The core codes, in `allNamed` form.
    static let coreNamed: [CatalogEntry] = [
        ("noAdditionalSenseInformation", .noAdditionalSenseInformation, "NO ADDITIONAL SENSE INFORMATION"),
        ("operationInProgress", .operationInProgress, "OPERATION IN PROGRESS"),
        ("logicalUnitNotReadyCauseNotReportable", .logicalUnitNotReadyCauseNotReportable, "LOGICAL UNIT NOT READY, CAUSE NOT REPORTABLE"),
        ("logicalUnitIsInProcessOfBecomingReady", .logicalUnitIsInProcessOfBecomingReady, "LOGICAL UNIT IS IN PROCESS OF BECOMING READY"),
        ("logicalUnitNotReadyInitializingCommandRequired", .logicalUnitNotReadyInitializingCommandRequired, "LOGICAL UNIT NOT READY, INITIALIZING COMMAND REQUIRED"),
        ("logicalUnitNotReadyManualInterventionRequired", .logicalUnitNotReadyManualInterventionRequired, "LOGICAL UNIT NOT READY, MANUAL INTERVENTION REQUIRED"),
        ("logicalUnitNotReadyFormatInProgress", .logicalUnitNotReadyFormatInProgress, "LOGICAL UNIT NOT READY, FORMAT IN PROGRESS"),
        ("logicalUnitNotReadyOperationInProgress", .logicalUnitNotReadyOperationInProgress, "LOGICAL UNIT NOT READY, OPERATION IN PROGRESS"),
        ("logicalUnitNotAccessibleAsymmetricAccessStateTransition", .logicalUnitNotAccessibleAsymmetricAccessStateTransition, "LOGICAL UNIT NOT ACCESSIBLE, ASYMMETRIC ACCESS STATE TRANSITION"),
        ("logicalUnitNotAccessibleTargetPortInStandbyState", .logicalUnitNotAccessibleTargetPortInStandbyState, "LOGICAL UNIT NOT ACCESSIBLE, TARGET PORT IN STANDBY STATE"),
        ("logicalUnitNotReadySanitizeInProgress", .logicalUnitNotReadySanitizeInProgress, "LOGICAL UNIT NOT READY, SANITIZE IN PROGRESS"),
        ("logicalUnitCommunicationFailure", .logicalUnitCommunicationFailure, "LOGICAL UNIT COMMUNICATION FAILURE"),
        ("writeError", .writeError, "WRITE ERROR"),
        ("writeErrorAutoReallocationFailed", .writeErrorAutoReallocationFailed, "WRITE ERROR - AUTO REALLOCATION FAILED"),
        ("idCRCOrECCError", .idCRCOrECCError, "ID CRC OR ECC ERROR"),
        ("unrecoveredReadError", .unrecoveredReadError, "UNRECOVERED READ ERROR"),
        ("miscompareDuringVerifyOperation", .miscompareDuringVerifyOperation, "MISCOMPARE DURING VERIFY OPERATION"),
        ("parameterListLengthError", .parameterListLengthError, "PARAMETER LIST LENGTH ERROR"),
        ("invalidCommandOperationCode", .invalidCommandOperationCode, "INVALID COMMAND OPERATION CODE"),
        ("logicalBlockAddressOutOfRange", .logicalBlockAddressOutOfRange, "LOGICAL BLOCK ADDRESS OUT OF RANGE"),
        ("invalidElementAddress", .invalidElementAddress, "INVALID ELEMENT ADDRESS"),
        ("invalidAddressForWrite", .invalidAddressForWrite, "INVALID ADDRESS FOR WRITE"),
        ("unalignedWriteCommand", .unalignedWriteCommand, "UNALIGNED WRITE COMMAND"),
        ("writeBoundaryViolation", .writeBoundaryViolation, "WRITE BOUNDARY VIOLATION"),
        ("attemptToReadInvalidData", .attemptToReadInvalidData, "ATTEMPT TO READ INVALID DATA"),
        ("readBoundaryViolation", .readBoundaryViolation, "READ BOUNDARY VIOLATION"),
        ("misalignedWriteCommand", .misalignedWriteCommand, "MISALIGNED WRITE COMMAND"),
        ("attemptToAccessGapZone", .attemptToAccessGapZone, "ATTEMPT TO ACCESS GAP ZONE"),
        ("invalidFieldInCDB", .invalidFieldInCDB, "INVALID FIELD IN CDB"),
        ("logicalUnitNotSupported", .logicalUnitNotSupported, "LOGICAL UNIT NOT SUPPORTED"),
        ("invalidFieldInParameterList", .invalidFieldInParameterList, "INVALID FIELD IN PARAMETER LIST"),
        ("parameterNotSupported", .parameterNotSupported, "PARAMETER NOT SUPPORTED"),
        ("parameterValueInvalid", .parameterValueInvalid, "PARAMETER VALUE INVALID"),
        ("tooManyTargetDescriptors", .tooManyTargetDescriptors, "TOO MANY TARGET DESCRIPTORS"),
        ("unsupportedTargetDescriptorTypeCode", .unsupportedTargetDescriptorTypeCode, "UNSUPPORTED TARGET DESCRIPTOR TYPE CODE"),
        ("tooManySegmentDescriptors", .tooManySegmentDescriptors, "TOO MANY SEGMENT DESCRIPTORS"),
        ("unsupportedSegmentDescriptorTypeCode", .unsupportedSegmentDescriptorTypeCode, "UNSUPPORTED SEGMENT DESCRIPTOR TYPE CODE"),
        ("unexpectedInexactSegment", .unexpectedInexactSegment, "UNEXPECTED INEXACT SEGMENT"),
        ("inlineDataLengthExceeded", .inlineDataLengthExceeded, "INLINE DATA LENGTH EXCEEDED"),
        ("invalidOperationForCopySourceOrDestination", .invalidOperationForCopySourceOrDestination, "INVALID OPERATION FOR COPY SOURCE OR DESTINATION"),
        ("copySegmentGranularityViolation", .copySegmentGranularityViolation, "COPY SEGMENT GRANULARITY VIOLATION"),
        ("writeProtected", .writeProtected, "WRITE PROTECTED"),
        ("hardwareWriteProtected", .hardwareWriteProtected, "HARDWARE WRITE PROTECTED"),
        ("logicalUnitSoftwareWriteProtected", .logicalUnitSoftwareWriteProtected, "LOGICAL UNIT SOFTWARE WRITE PROTECTED"),
        ("notReadyToReadyChangeMediumMayHaveChanged", .notReadyToReadyChangeMediumMayHaveChanged, "NOT READY TO READY CHANGE, MEDIUM MAY HAVE CHANGED"),
        ("powerOnResetOrBusDeviceResetOccurred", .powerOnResetOrBusDeviceResetOccurred, "POWER ON, RESET, OR BUS DEVICE RESET OCCURRED"),
        ("powerOnOccurred", .powerOnOccurred, "POWER ON OCCURRED"),
        ("parametersChanged", .parametersChanged, "PARAMETERS CHANGED"),
        ("modeParametersChanged", .modeParametersChanged, "MODE PARAMETERS CHANGED"),
        ("implicitAsymmetricAccessStateTransitionFailed", .implicitAsymmetricAccessStateTransitionFailed, "IMPLICIT ASYMMETRIC ACCESS STATE TRANSITION FAILED"),
        ("capacityDataHasChanged", .capacityDataHasChanged, "CAPACITY DATA HAS CHANGED"),
        ("commandSequenceError", .commandSequenceError, "COMMAND SEQUENCE ERROR"),
        ("incompatibleMediumInstalled", .incompatibleMediumInstalled, "INCOMPATIBLE MEDIUM INSTALLED"),
        ("cannotReadMediumUnknownFormat", .cannotReadMediumUnknownFormat, "CANNOT READ MEDIUM - UNKNOWN FORMAT"),
        ("cannotReadMediumIncompatibleFormat", .cannotReadMediumIncompatibleFormat, "CANNOT READ MEDIUM - INCOMPATIBLE FORMAT"),
        ("cannotWriteMediumIncompatibleFormat", .cannotWriteMediumIncompatibleFormat, "CANNOT WRITE MEDIUM - INCOMPATIBLE FORMAT"),
        ("cannotFormatMediumIncompatibleMedium", .cannotFormatMediumIncompatibleMedium, "CANNOT FORMAT MEDIUM - INCOMPATIBLE MEDIUM"),
        ("mediumFormatCorrupted", .mediumFormatCorrupted, "MEDIUM FORMAT CORRUPTED"),
        ("formatCommandFailed", .formatCommandFailed, "FORMAT COMMAND FAILED"),
        ("mediumNotPresent", .mediumNotPresent, "MEDIUM NOT PRESENT"),
        ("mediumNotPresentTrayClosed", .mediumNotPresentTrayClosed, "MEDIUM NOT PRESENT - TRAY CLOSED"),
        ("mediumNotPresentTrayOpen", .mediumNotPresentTrayOpen, "MEDIUM NOT PRESENT - TRAY OPEN"),
        ("savingParametersNotSupported", .savingParametersNotSupported, "SAVING PARAMETERS NOT SUPPORTED"),
        ("internalTargetFailure", .internalTargetFailure, "INTERNAL TARGET FAILURE"),
        ("invalidMessageError", .invalidMessageError, "INVALID MESSAGE ERROR"),
        ("commandPhaseError", .commandPhaseError, "COMMAND PHASE ERROR"),
        ("dataPhaseError", .dataPhaseError, "DATA PHASE ERROR"),
        ("commandsClearedByAnotherInitiator", .commandsClearedByAnotherInitiator, "COMMANDS CLEARED BY ANOTHER INITIATOR"),
        ("mediumRemovalPrevented", .mediumRemovalPrevented, "MEDIUM REMOVAL PREVENTED"),
        ("insufficientZoneResources", .insufficientZoneResources, "INSUFFICIENT ZONE RESOURCES"),
        ("operatorMediumRemovalRequest", .operatorMediumRemovalRequest, "OPERATOR MEDIUM REMOVAL REQUEST"),
        ("lowPowerConditionOn", .lowPowerConditionOn, "LOW POWER CONDITION ON"),
        ("setTargetPortGroupsCommandFailed", .setTargetPortGroupsCommandFailed, "SET TARGET PORT GROUPS COMMAND FAILED"),
        ("copyTargetDeviceNotReachable", .copyTargetDeviceNotReachable, "COPY TARGET DEVICE NOT REACHABLE"),
        ("incorrectCopyTargetDeviceType", .incorrectCopyTargetDeviceType, "INCORRECT COPY TARGET DEVICE TYPE"),
        ("copyTargetDeviceDataUnderrun", .copyTargetDeviceDataUnderrun, "COPY TARGET DEVICE DATA UNDERRUN"),
        ("copyTargetDeviceDataOverrun", .copyTargetDeviceDataOverrun, "COPY TARGET DEVICE DATA OVERRUN"),
        ("invalidReleaseOfPersistentReservation", .invalidReleaseOfPersistentReservation, "INVALID RELEASE OF PERSISTENT RESERVATION"),
        ("logicalBlockGuardCheckFailed", .logicalBlockGuardCheckFailed, "LOGICAL BLOCK GUARD CHECK FAILED"),
        ("readOfScrambledSectorWithoutAuthentication", .readOfScrambledSectorWithoutAuthentication, "READ OF SCRAMBLED SECTOR WITHOUT AUTHENTICATION"),
        ("invalidPacketSize", .invalidPacketSize, "INVALID PACKET SIZE"),
        ("illegalModeForThisTrack", .illegalModeForThisTrack, "ILLEGAL MODE FOR THIS TRACK"),
        ("endOfUserAreaEncounteredOnThisTrack", .endOfUserAreaEncounteredOnThisTrack, "END OF USER AREA ENCOUNTERED ON THIS TRACK"),
        ("logicalUnitDoesNotRespondToSelection", .logicalUnitDoesNotRespondToSelection, "LOGICAL UNIT DOES NOT RESPOND TO SELECTION"),
        ("invalidFieldInCommandInformationUnit", .invalidFieldInCommandInformationUnit, "INVALID FIELD IN COMMAND INFORMATION UNIT"),
        ("overlappedCommandsAttempted", .overlappedCommandsAttempted, "OVERLAPPED COMMANDS ATTEMPTED"),
        ("zoneResetWritePointerRecommended", .zoneResetWritePointerRecommended, "ZONE RESET WRITE POINTER RECOMMENDED"),
        ("zoneIsReadOnly", .zoneIsReadOnly, "ZONE IS READ ONLY"),
        ("zoneIsOffline", .zoneIsOffline, "ZONE IS OFFLINE"),
        ("sanitizeCommandFailed", .sanitizeCommandFailed, "SANITIZE COMMAND FAILED"),
    ]

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
