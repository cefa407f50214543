// ASC/ASCQ catalog, part: MMC-6 codes: audio status, streaming write errors, medium formats, tray, copy protection, session fixation, CD control.
// Texts are T10's (SPC-5 Annex F, t10.org asc-num.txt). Add a code with one line in each list below;
// `allNamed` (AdditionalSenseCode+Catalog.swift) concatenates every part, so the decoder sees it.

extension AdditionalSenseCode {
    /// 00h/11h AUDIO PLAY OPERATION IN PROGRESS
    public static let audioPlayOperationInProgress = AdditionalSenseCode(asc: 0x00, ascq: 0x11)
    /// 00h/12h AUDIO PLAY OPERATION PAUSED
    public static let audioPlayOperationPaused = AdditionalSenseCode(asc: 0x00, ascq: 0x12)
    /// 00h/13h AUDIO PLAY OPERATION SUCCESSFULLY COMPLETED
    public static let audioPlayOperationSuccessfullyCompleted = AdditionalSenseCode(asc: 0x00, ascq: 0x13)
    /// 00h/14h AUDIO PLAY OPERATION STOPPED DUE TO ERROR
    public static let audioPlayOperationStoppedDueToError = AdditionalSenseCode(asc: 0x00, ascq: 0x14)
    /// 00h/15h NO CURRENT AUDIO STATUS TO RETURN
    public static let noCurrentAudioStatusToReturn = AdditionalSenseCode(asc: 0x00, ascq: 0x15)
    /// 02h/00h NO SEEK COMPLETE
    public static let noSeekComplete = AdditionalSenseCode(asc: 0x02, ascq: 0x00)
    /// 04h/08h LOGICAL UNIT NOT READY, LONG WRITE IN PROGRESS
    public static let logicalUnitNotReadyLongWriteInProgress = AdditionalSenseCode(asc: 0x04, ascq: 0x08)
    /// 0Ch/07h WRITE ERROR - RECOVERY NEEDED
    public static let writeErrorRecoveryNeeded = AdditionalSenseCode(asc: 0x0C, ascq: 0x07)
    /// 0Ch/08h WRITE ERROR - RECOVERY FAILED
    public static let writeErrorRecoveryFailed = AdditionalSenseCode(asc: 0x0C, ascq: 0x08)
    /// 0Ch/09h WRITE ERROR - LOSS OF STREAMING
    public static let writeErrorLossOfStreaming = AdditionalSenseCode(asc: 0x0C, ascq: 0x09)
    /// 0Ch/0Ah WRITE ERROR - PADDING BLOCKS ADDED
    public static let writeErrorPaddingBlocksAdded = AdditionalSenseCode(asc: 0x0C, ascq: 0x0A)
    /// 11h/05h L-EC UNCORRECTABLE ERROR
    public static let lecUncorrectableError = AdditionalSenseCode(asc: 0x11, ascq: 0x05)
    /// 11h/06h CIRC UNRECOVERED ERROR
    public static let circUnrecoveredError = AdditionalSenseCode(asc: 0x11, ascq: 0x06)
    /// 11h/0Fh ERROR READING UPC/EAN NUMBER
    public static let errorReadingUPCOrEANNumber = AdditionalSenseCode(asc: 0x11, ascq: 0x0F)
    /// 11h/10h ERROR READING ISRC NUMBER
    public static let errorReadingISRCNumber = AdditionalSenseCode(asc: 0x11, ascq: 0x10)
    /// 11h/11h READ ERROR - LOSS OF STREAMING
    public static let readErrorLossOfStreaming = AdditionalSenseCode(asc: 0x11, ascq: 0x11)
    /// 15h/00h RANDOM POSITIONING ERROR
    public static let randomPositioningError = AdditionalSenseCode(asc: 0x15, ascq: 0x00)
    /// 21h/03h INVALID WRITE CROSSING LAYER JUMP
    public static let invalidWriteCrossingLayerJump = AdditionalSenseCode(asc: 0x21, ascq: 0x03)
    /// 28h/02h FORMAT-LAYER MAY HAVE CHANGED
    public static let formatLayerMayHaveChanged = AdditionalSenseCode(asc: 0x28, ascq: 0x02)
    /// 2Ah/15h MEDIUM REMOVAL PREVENTION PREEMPTED
    public static let mediumRemovalPreventionPreempted = AdditionalSenseCode(asc: 0x2A, ascq: 0x15)
    /// 2Ch/03h CURRENT PROGRAM AREA IS NOT EMPTY
    public static let currentProgramAreaIsNotEmpty = AdditionalSenseCode(asc: 0x2C, ascq: 0x03)
    /// 2Ch/04h CURRENT PROGRAM AREA IS EMPTY
    public static let currentProgramAreaIsEmpty = AdditionalSenseCode(asc: 0x2C, ascq: 0x04)
    /// 30h/03h CLEANING CARTRIDGE INSTALLED
    public static let cleaningCartridgeInstalled = AdditionalSenseCode(asc: 0x30, ascq: 0x03)
    /// 30h/04h CANNOT WRITE MEDIUM - UNKNOWN FORMAT
    public static let cannotWriteMediumUnknownFormat = AdditionalSenseCode(asc: 0x30, ascq: 0x04)
    /// 30h/07h CLEANING FAILURE
    public static let cleaningFailure = AdditionalSenseCode(asc: 0x30, ascq: 0x07)
    /// 30h/08h CANNOT WRITE - APPLICATION CODE MISMATCH
    public static let cannotWriteApplicationCodeMismatch = AdditionalSenseCode(asc: 0x30, ascq: 0x08)
    /// 30h/09h CURRENT SESSION NOT FIXATED FOR APPEND
    public static let currentSessionNotFixatedForAppend = AdditionalSenseCode(asc: 0x30, ascq: 0x09)
    /// 30h/10h MEDIUM NOT FORMATTED
    public static let mediumNotFormatted = AdditionalSenseCode(asc: 0x30, ascq: 0x10)
    /// 3Ah/03h MEDIUM NOT PRESENT - LOADABLE
    public static let mediumNotPresentLoadable = AdditionalSenseCode(asc: 0x3A, ascq: 0x03)
    /// 3Ah/04h MEDIUM NOT PRESENT - MEDIUM AUXILIARY MEMORY ACCESSIBLE
    public static let mediumNotPresentMediumAuxiliaryMemoryAccessible = AdditionalSenseCode(asc: 0x3A, ascq: 0x04)
    /// 51h/00h ERASE FAILURE
    public static let eraseFailure = AdditionalSenseCode(asc: 0x51, ascq: 0x00)
    /// 51h/01h ERASE FAILURE - INCOMPLETE ERASE OPERATION DETECTED
    public static let eraseFailureIncompleteEraseOperationDetected = AdditionalSenseCode(asc: 0x51, ascq: 0x01)
    /// 53h/00h MEDIA LOAD OR EJECT FAILED
    public static let mediaLoadOrEjectFailed = AdditionalSenseCode(asc: 0x53, ascq: 0x00)
    /// 57h/00h UNABLE TO RECOVER TABLE-OF-CONTENTS
    public static let unableToRecoverTableOfContents = AdditionalSenseCode(asc: 0x57, ascq: 0x00)
    /// 5Ah/00h OPERATOR REQUEST OR STATE CHANGE INPUT
    public static let operatorRequestOrStateChangeInput = AdditionalSenseCode(asc: 0x5A, ascq: 0x00)
    /// 5Ah/02h OPERATOR SELECTED WRITE PROTECT
    public static let operatorSelectedWriteProtect = AdditionalSenseCode(asc: 0x5A, ascq: 0x02)
    /// 5Ah/03h OPERATOR SELECTED WRITE PERMIT
    public static let operatorSelectedWritePermit = AdditionalSenseCode(asc: 0x5A, ascq: 0x03)
    /// 63h/01h PACKET DOES NOT FIT IN AVAILABLE SPACE
    public static let packetDoesNotFitInAvailableSpace = AdditionalSenseCode(asc: 0x63, ascq: 0x01)
    /// 6Fh/00h COPY PROTECTION KEY EXCHANGE FAILURE - AUTHENTICATION FAILURE
    public static let copyProtectionKeyExchangeFailureAuthenticationFailure = AdditionalSenseCode(asc: 0x6F, ascq: 0x00)
    /// 6Fh/01h COPY PROTECTION KEY EXCHANGE FAILURE - KEY NOT PRESENT
    public static let copyProtectionKeyExchangeFailureKeyNotPresent = AdditionalSenseCode(asc: 0x6F, ascq: 0x01)
    /// 6Fh/02h COPY PROTECTION KEY EXCHANGE FAILURE - KEY NOT ESTABLISHED
    public static let copyProtectionKeyExchangeFailureKeyNotEstablished = AdditionalSenseCode(asc: 0x6F, ascq: 0x02)
    /// 6Fh/04h MEDIA REGION CODE IS MISMATCHED TO LOGICAL UNIT REGION
    public static let mediaRegionCodeIsMismatchedToLogicalUnitRegion = AdditionalSenseCode(asc: 0x6F, ascq: 0x04)
    /// 6Fh/05h DRIVE REGION MUST BE PERMANENT/REGION RESET COUNT ERROR
    public static let driveRegionMustBePermanentOrRegionResetCountError = AdditionalSenseCode(asc: 0x6F, ascq: 0x05)
    /// 6Fh/06h INSUFFICIENT BLOCK COUNT FOR BINDING NONCE RECORDING
    public static let insufficientBlockCountForBindingNonceRecording = AdditionalSenseCode(asc: 0x6F, ascq: 0x06)
    /// 6Fh/07h CONFLICT IN BINDING NONCE RECORDING
    public static let conflictInBindingNonceRecording = AdditionalSenseCode(asc: 0x6F, ascq: 0x07)
    /// 6Fh/08h INSUFFICIENT PERMISSION
    public static let insufficientPermission = AdditionalSenseCode(asc: 0x6F, ascq: 0x08)
    /// 6Fh/09h INVALID DRIVE-HOST PAIRING SERVER
    public static let invalidDriveHostPairingServer = AdditionalSenseCode(asc: 0x6F, ascq: 0x09)
    /// 6Fh/0Ah DRIVE-HOST PAIRING SUSPENDED
    public static let driveHostPairingSuspended = AdditionalSenseCode(asc: 0x6F, ascq: 0x0A)
    /// 72h/00h SESSION FIXATION ERROR
    public static let sessionFixationError = AdditionalSenseCode(asc: 0x72, ascq: 0x00)
    /// 72h/01h SESSION FIXATION ERROR WRITING LEAD-IN
    public static let sessionFixationErrorWritingLeadIn = AdditionalSenseCode(asc: 0x72, ascq: 0x01)
    /// 72h/02h SESSION FIXATION ERROR WRITING LEAD-OUT
    public static let sessionFixationErrorWritingLeadOut = AdditionalSenseCode(asc: 0x72, ascq: 0x02)
    /// 72h/03h SESSION FIXATION ERROR - INCOMPLETE TRACK IN SESSION
    public static let sessionFixationErrorIncompleteTrackInSession = AdditionalSenseCode(asc: 0x72, ascq: 0x03)
    /// 72h/04h EMPTY OR PARTIALLY WRITTEN RESERVED TRACK
    public static let emptyOrPartiallyWrittenReservedTrack = AdditionalSenseCode(asc: 0x72, ascq: 0x04)
    /// 72h/05h NO MORE TRACK RESERVATIONS ALLOWED
    public static let noMoreTrackReservationsAllowed = AdditionalSenseCode(asc: 0x72, ascq: 0x05)
    /// 72h/06h RMZ EXTENSION IS NOT ALLOWED
    public static let rmzExtensionIsNotAllowed = AdditionalSenseCode(asc: 0x72, ascq: 0x06)
    /// 72h/07h NO MORE TEST ZONE EXTENSIONS ARE ALLOWED
    public static let noMoreTestZoneExtensionsAreAllowed = AdditionalSenseCode(asc: 0x72, ascq: 0x07)
    /// 73h/00h CD CONTROL ERROR
    public static let cdControlError = AdditionalSenseCode(asc: 0x73, ascq: 0x00)
    /// 73h/01h POWER CALIBRATION AREA ALMOST FULL
    public static let powerCalibrationAreaAlmostFull = AdditionalSenseCode(asc: 0x73, ascq: 0x01)
    /// 73h/02h POWER CALIBRATION AREA IS FULL
    public static let powerCalibrationAreaIsFull = AdditionalSenseCode(asc: 0x73, ascq: 0x02)
    /// 73h/03h POWER CALIBRATION AREA ERROR
    public static let powerCalibrationAreaError = AdditionalSenseCode(asc: 0x73, ascq: 0x03)
    /// 73h/04h PROGRAM MEMORY AREA UPDATE FAILURE
    public static let programMemoryAreaUpdateFailure = AdditionalSenseCode(asc: 0x73, ascq: 0x04)
    /// 73h/05h PROGRAM MEMORY AREA IS FULL
    public static let programMemoryAreaIsFull = AdditionalSenseCode(asc: 0x73, ascq: 0x05)
    /// 73h/06h RMA/PMA IS ALMOST FULL
    public static let rmaPMAIsAlmostFull = AdditionalSenseCode(asc: 0x73, ascq: 0x06)
    /// 73h/10h CURRENT POWER CALIBRATION AREA ALMOST FULL
    public static let currentPowerCalibrationAreaAlmostFull = AdditionalSenseCode(asc: 0x73, ascq: 0x10)
    /// 73h/11h CURRENT POWER CALIBRATION AREA IS FULL
    public static let currentPowerCalibrationAreaIsFull = AdditionalSenseCode(asc: 0x73, ascq: 0x11)
    /// 73h/17h RDZ IS FULL
    public static let rdzIsFull = AdditionalSenseCode(asc: 0x73, ascq: 0x17)

    /// The codes of this part, in `allNamed` form.
    static let opticalNamed: [CatalogEntry] = [
        ("audioPlayOperationInProgress", .audioPlayOperationInProgress, "AUDIO PLAY OPERATION IN PROGRESS"),
        ("audioPlayOperationPaused", .audioPlayOperationPaused, "AUDIO PLAY OPERATION PAUSED"),
        ("audioPlayOperationSuccessfullyCompleted", .audioPlayOperationSuccessfullyCompleted, "AUDIO PLAY OPERATION SUCCESSFULLY COMPLETED"),
        ("audioPlayOperationStoppedDueToError", .audioPlayOperationStoppedDueToError, "AUDIO PLAY OPERATION STOPPED DUE TO ERROR"),
        ("noCurrentAudioStatusToReturn", .noCurrentAudioStatusToReturn, "NO CURRENT AUDIO STATUS TO RETURN"),
        ("noSeekComplete", .noSeekComplete, "NO SEEK COMPLETE"),
        ("logicalUnitNotReadyLongWriteInProgress", .logicalUnitNotReadyLongWriteInProgress, "LOGICAL UNIT NOT READY, LONG WRITE IN PROGRESS"),
        ("writeErrorRecoveryNeeded", .writeErrorRecoveryNeeded, "WRITE ERROR - RECOVERY NEEDED"),
        ("writeErrorRecoveryFailed", .writeErrorRecoveryFailed, "WRITE ERROR - RECOVERY FAILED"),
        ("writeErrorLossOfStreaming", .writeErrorLossOfStreaming, "WRITE ERROR - LOSS OF STREAMING"),
        ("writeErrorPaddingBlocksAdded", .writeErrorPaddingBlocksAdded, "WRITE ERROR - PADDING BLOCKS ADDED"),
        ("lecUncorrectableError", .lecUncorrectableError, "L-EC UNCORRECTABLE ERROR"),
        ("circUnrecoveredError", .circUnrecoveredError, "CIRC UNRECOVERED ERROR"),
        ("errorReadingUPCOrEANNumber", .errorReadingUPCOrEANNumber, "ERROR READING UPC/EAN NUMBER"),
        ("errorReadingISRCNumber", .errorReadingISRCNumber, "ERROR READING ISRC NUMBER"),
        ("readErrorLossOfStreaming", .readErrorLossOfStreaming, "READ ERROR - LOSS OF STREAMING"),
        ("randomPositioningError", .randomPositioningError, "RANDOM POSITIONING ERROR"),
        ("invalidWriteCrossingLayerJump", .invalidWriteCrossingLayerJump, "INVALID WRITE CROSSING LAYER JUMP"),
        ("formatLayerMayHaveChanged", .formatLayerMayHaveChanged, "FORMAT-LAYER MAY HAVE CHANGED"),
        ("mediumRemovalPreventionPreempted", .mediumRemovalPreventionPreempted, "MEDIUM REMOVAL PREVENTION PREEMPTED"),
        ("currentProgramAreaIsNotEmpty", .currentProgramAreaIsNotEmpty, "CURRENT PROGRAM AREA IS NOT EMPTY"),
        ("currentProgramAreaIsEmpty", .currentProgramAreaIsEmpty, "CURRENT PROGRAM AREA IS EMPTY"),
        ("cleaningCartridgeInstalled", .cleaningCartridgeInstalled, "CLEANING CARTRIDGE INSTALLED"),
        ("cannotWriteMediumUnknownFormat", .cannotWriteMediumUnknownFormat, "CANNOT WRITE MEDIUM - UNKNOWN FORMAT"),
        ("cleaningFailure", .cleaningFailure, "CLEANING FAILURE"),
        ("cannotWriteApplicationCodeMismatch", .cannotWriteApplicationCodeMismatch, "CANNOT WRITE - APPLICATION CODE MISMATCH"),
        ("currentSessionNotFixatedForAppend", .currentSessionNotFixatedForAppend, "CURRENT SESSION NOT FIXATED FOR APPEND"),
        ("mediumNotFormatted", .mediumNotFormatted, "MEDIUM NOT FORMATTED"),
        ("mediumNotPresentLoadable", .mediumNotPresentLoadable, "MEDIUM NOT PRESENT - LOADABLE"),
        ("mediumNotPresentMediumAuxiliaryMemoryAccessible", .mediumNotPresentMediumAuxiliaryMemoryAccessible, "MEDIUM NOT PRESENT - MEDIUM AUXILIARY MEMORY ACCESSIBLE"),
        ("eraseFailure", .eraseFailure, "ERASE FAILURE"),
        ("eraseFailureIncompleteEraseOperationDetected", .eraseFailureIncompleteEraseOperationDetected, "ERASE FAILURE - INCOMPLETE ERASE OPERATION DETECTED"),
        ("mediaLoadOrEjectFailed", .mediaLoadOrEjectFailed, "MEDIA LOAD OR EJECT FAILED"),
        ("unableToRecoverTableOfContents", .unableToRecoverTableOfContents, "UNABLE TO RECOVER TABLE-OF-CONTENTS"),
        ("operatorRequestOrStateChangeInput", .operatorRequestOrStateChangeInput, "OPERATOR REQUEST OR STATE CHANGE INPUT"),
        ("operatorSelectedWriteProtect", .operatorSelectedWriteProtect, "OPERATOR SELECTED WRITE PROTECT"),
        ("operatorSelectedWritePermit", .operatorSelectedWritePermit, "OPERATOR SELECTED WRITE PERMIT"),
        ("packetDoesNotFitInAvailableSpace", .packetDoesNotFitInAvailableSpace, "PACKET DOES NOT FIT IN AVAILABLE SPACE"),
        ("copyProtectionKeyExchangeFailureAuthenticationFailure", .copyProtectionKeyExchangeFailureAuthenticationFailure, "COPY PROTECTION KEY EXCHANGE FAILURE - AUTHENTICATION FAILURE"),
        ("copyProtectionKeyExchangeFailureKeyNotPresent", .copyProtectionKeyExchangeFailureKeyNotPresent, "COPY PROTECTION KEY EXCHANGE FAILURE - KEY NOT PRESENT"),
        ("copyProtectionKeyExchangeFailureKeyNotEstablished", .copyProtectionKeyExchangeFailureKeyNotEstablished, "COPY PROTECTION KEY EXCHANGE FAILURE - KEY NOT ESTABLISHED"),
        ("mediaRegionCodeIsMismatchedToLogicalUnitRegion", .mediaRegionCodeIsMismatchedToLogicalUnitRegion, "MEDIA REGION CODE IS MISMATCHED TO LOGICAL UNIT REGION"),
        ("driveRegionMustBePermanentOrRegionResetCountError", .driveRegionMustBePermanentOrRegionResetCountError, "DRIVE REGION MUST BE PERMANENT/REGION RESET COUNT ERROR"),
        ("insufficientBlockCountForBindingNonceRecording", .insufficientBlockCountForBindingNonceRecording, "INSUFFICIENT BLOCK COUNT FOR BINDING NONCE RECORDING"),
        ("conflictInBindingNonceRecording", .conflictInBindingNonceRecording, "CONFLICT IN BINDING NONCE RECORDING"),
        ("insufficientPermission", .insufficientPermission, "INSUFFICIENT PERMISSION"),
        ("invalidDriveHostPairingServer", .invalidDriveHostPairingServer, "INVALID DRIVE-HOST PAIRING SERVER"),
        ("driveHostPairingSuspended", .driveHostPairingSuspended, "DRIVE-HOST PAIRING SUSPENDED"),
        ("sessionFixationError", .sessionFixationError, "SESSION FIXATION ERROR"),
        ("sessionFixationErrorWritingLeadIn", .sessionFixationErrorWritingLeadIn, "SESSION FIXATION ERROR WRITING LEAD-IN"),
        ("sessionFixationErrorWritingLeadOut", .sessionFixationErrorWritingLeadOut, "SESSION FIXATION ERROR WRITING LEAD-OUT"),
        ("sessionFixationErrorIncompleteTrackInSession", .sessionFixationErrorIncompleteTrackInSession, "SESSION FIXATION ERROR - INCOMPLETE TRACK IN SESSION"),
        ("emptyOrPartiallyWrittenReservedTrack", .emptyOrPartiallyWrittenReservedTrack, "EMPTY OR PARTIALLY WRITTEN RESERVED TRACK"),
        ("noMoreTrackReservationsAllowed", .noMoreTrackReservationsAllowed, "NO MORE TRACK RESERVATIONS ALLOWED"),
        ("rmzExtensionIsNotAllowed", .rmzExtensionIsNotAllowed, "RMZ EXTENSION IS NOT ALLOWED"),
        ("noMoreTestZoneExtensionsAreAllowed", .noMoreTestZoneExtensionsAreAllowed, "NO MORE TEST ZONE EXTENSIONS ARE ALLOWED"),
        ("cdControlError", .cdControlError, "CD CONTROL ERROR"),
        ("powerCalibrationAreaAlmostFull", .powerCalibrationAreaAlmostFull, "POWER CALIBRATION AREA ALMOST FULL"),
        ("powerCalibrationAreaIsFull", .powerCalibrationAreaIsFull, "POWER CALIBRATION AREA IS FULL"),
        ("powerCalibrationAreaError", .powerCalibrationAreaError, "POWER CALIBRATION AREA ERROR"),
        ("programMemoryAreaUpdateFailure", .programMemoryAreaUpdateFailure, "PROGRAM MEMORY AREA UPDATE FAILURE"),
        ("programMemoryAreaIsFull", .programMemoryAreaIsFull, "PROGRAM MEMORY AREA IS FULL"),
        ("rmaPMAIsAlmostFull", .rmaPMAIsAlmostFull, "RMA/PMA IS ALMOST FULL"),
        ("currentPowerCalibrationAreaAlmostFull", .currentPowerCalibrationAreaAlmostFull, "CURRENT POWER CALIBRATION AREA ALMOST FULL"),
        ("currentPowerCalibrationAreaIsFull", .currentPowerCalibrationAreaIsFull, "CURRENT POWER CALIBRATION AREA IS FULL"),
        ("rdzIsFull", .rdzIsFull, "RDZ IS FULL"),
    ]
}
