// ASC/ASCQ catalog, part: SBC-4 and ZBC-2 codes: write/read errors, protection information, defect lists, write protection, thin provisioning, zones.
// Texts are T10's (SPC-5 Annex F, t10.org asc-num.txt). Add a code with one line in each list below;
// `allNamed` (AdditionalSenseCode+Catalog.swift) concatenates every part, so the decoder sees it.

extension AdditionalSenseCode {
    /// 04h/1Ah LOGICAL UNIT NOT READY, START STOP UNIT COMMAND IN PROGRESS
    public static let logicalUnitNotReadyStartStopUnitCommandInProgress = AdditionalSenseCode(asc: 0x04, ascq: 0x1A)
    /// 0Ch/01h WRITE ERROR - RECOVERED WITH AUTO REALLOCATION
    public static let writeErrorRecoveredWithAutoReallocation = AdditionalSenseCode(asc: 0x0C, ascq: 0x01)
    /// 0Ch/03h WRITE ERROR - RECOMMEND REASSIGNMENT
    public static let writeErrorRecommendReassignment = AdditionalSenseCode(asc: 0x0C, ascq: 0x03)
    /// 0Ch/10h INCOMPLETE MULTIPLE ATOMIC WRITE OPERATIONS
    public static let incompleteMultipleAtomicWriteOperations = AdditionalSenseCode(asc: 0x0C, ascq: 0x10)
    /// 0Ch/11h WRITE ERROR - RECOVERY SCAN NEEDED
    public static let writeErrorRecoveryScanNeeded = AdditionalSenseCode(asc: 0x0C, ascq: 0x11)
    /// 0Ch/12h WRITE ERROR - INSUFFICIENT ZONE RESOURCES
    public static let writeErrorInsufficientZoneResources = AdditionalSenseCode(asc: 0x0C, ascq: 0x12)
    /// 10h/02h LOGICAL BLOCK APPLICATION TAG CHECK FAILED
    public static let logicalBlockApplicationTagCheckFailed = AdditionalSenseCode(asc: 0x10, ascq: 0x02)
    /// 10h/03h LOGICAL BLOCK REFERENCE TAG CHECK FAILED
    public static let logicalBlockReferenceTagCheckFailed = AdditionalSenseCode(asc: 0x10, ascq: 0x03)
    /// 10h/04h LOGICAL BLOCK PROTECTION ERROR ON RECOVER BUFFERED DATA
    public static let logicalBlockProtectionErrorOnRecoverBufferedData = AdditionalSenseCode(asc: 0x10, ascq: 0x04)
    /// 10h/05h LOGICAL BLOCK PROTECTION METHOD ERROR
    public static let logicalBlockProtectionMethodError = AdditionalSenseCode(asc: 0x10, ascq: 0x05)
    /// 11h/01h READ RETRIES EXHAUSTED
    public static let readRetriesExhausted = AdditionalSenseCode(asc: 0x11, ascq: 0x01)
    /// 11h/02h ERROR TOO LONG TO CORRECT
    public static let errorTooLongToCorrect = AdditionalSenseCode(asc: 0x11, ascq: 0x02)
    /// 11h/03h MULTIPLE READ ERRORS
    public static let multipleReadErrors = AdditionalSenseCode(asc: 0x11, ascq: 0x03)
    /// 11h/04h UNRECOVERED READ ERROR - AUTO REALLOCATE FAILED
    public static let unrecoveredReadErrorAutoReallocateFailed = AdditionalSenseCode(asc: 0x11, ascq: 0x04)
    /// 11h/0Ah MISCORRECTED ERROR
    public static let miscorrectedError = AdditionalSenseCode(asc: 0x11, ascq: 0x0A)
    /// 11h/0Bh UNRECOVERED READ ERROR - RECOMMEND REASSIGNMENT
    public static let unrecoveredReadErrorRecommendReassignment = AdditionalSenseCode(asc: 0x11, ascq: 0x0B)
    /// 11h/0Ch UNRECOVERED READ ERROR - RECOMMEND REWRITE THE DATA
    public static let unrecoveredReadErrorRecommendRewriteTheData = AdditionalSenseCode(asc: 0x11, ascq: 0x0C)
    /// 11h/14h READ ERROR - LBA MARKED BAD BY APPLICATION CLIENT
    public static let readErrorLBAMarkedBadByApplicationClient = AdditionalSenseCode(asc: 0x11, ascq: 0x14)
    /// 11h/15h WRITE AFTER SANITIZE REQUIRED
    public static let writeAfterSanitizeRequired = AdditionalSenseCode(asc: 0x11, ascq: 0x15)
    /// 19h/00h DEFECT LIST ERROR
    public static let defectListError = AdditionalSenseCode(asc: 0x19, ascq: 0x00)
    /// 19h/01h DEFECT LIST NOT AVAILABLE
    public static let defectListNotAvailable = AdditionalSenseCode(asc: 0x19, ascq: 0x01)
    /// 19h/02h DEFECT LIST ERROR IN PRIMARY LIST
    public static let defectListErrorInPrimaryList = AdditionalSenseCode(asc: 0x19, ascq: 0x02)
    /// 19h/03h DEFECT LIST ERROR IN GROWN LIST
    public static let defectListErrorInGrownList = AdditionalSenseCode(asc: 0x19, ascq: 0x03)
    /// 1Ch/00h DEFECT LIST NOT FOUND
    public static let defectListNotFound = AdditionalSenseCode(asc: 0x1C, ascq: 0x00)
    /// 1Ch/01h PRIMARY DEFECT LIST NOT FOUND
    public static let primaryDefectListNotFound = AdditionalSenseCode(asc: 0x1C, ascq: 0x01)
    /// 1Ch/02h GROWN DEFECT LIST NOT FOUND
    public static let grownDefectListNotFound = AdditionalSenseCode(asc: 0x1C, ascq: 0x02)
    /// 26h/13h APPLICATION TAG MODE PAGE IS INVALID
    public static let applicationTagModePageIsInvalid = AdditionalSenseCode(asc: 0x26, ascq: 0x13)
    /// 27h/03h ASSOCIATED WRITE PROTECT
    public static let associatedWriteProtect = AdditionalSenseCode(asc: 0x27, ascq: 0x03)
    /// 27h/04h PERSISTENT WRITE PROTECT
    public static let persistentWriteProtect = AdditionalSenseCode(asc: 0x27, ascq: 0x04)
    /// 27h/05h PERMANENT WRITE PROTECT
    public static let permanentWriteProtect = AdditionalSenseCode(asc: 0x27, ascq: 0x05)
    /// 27h/06h CONDITIONAL WRITE PROTECT
    public static let conditionalWriteProtect = AdditionalSenseCode(asc: 0x27, ascq: 0x06)
    /// 27h/07h SPACE ALLOCATION FAILED WRITE PROTECT
    public static let spaceAllocationFailedWriteProtect = AdditionalSenseCode(asc: 0x27, ascq: 0x07)
    /// 2Ch/0Ch ORWRITE GENERATION DOES NOT MATCH
    public static let orwriteGenerationDoesNotMatch = AdditionalSenseCode(asc: 0x2C, ascq: 0x0C)
    /// 2Ch/0Dh RESET WRITE POINTER NOT ALLOWED
    public static let resetWritePointerNotAllowed = AdditionalSenseCode(asc: 0x2C, ascq: 0x0D)
    /// 2Ch/10h UNWRITTEN DATA IN ZONE
    public static let unwrittenDataInZone = AdditionalSenseCode(asc: 0x2C, ascq: 0x10)
    /// 2Ch/12h ZONE IS INACTIVE
    public static let zoneIsInactive = AdditionalSenseCode(asc: 0x2C, ascq: 0x12)
    /// 31h/02h ZONED FORMATTING FAILED DUE TO SPARE LINKING
    public static let zonedFormattingFailedDueToSpareLinking = AdditionalSenseCode(asc: 0x31, ascq: 0x02)
    /// 32h/00h NO DEFECT SPARE LOCATION AVAILABLE
    public static let noDefectSpareLocationAvailable = AdditionalSenseCode(asc: 0x32, ascq: 0x00)
    /// 32h/01h DEFECT LIST UPDATE FAILURE
    public static let defectListUpdateFailure = AdditionalSenseCode(asc: 0x32, ascq: 0x01)
    /// 38h/07h THIN PROVISIONING SOFT THRESHOLD REACHED
    public static let thinProvisioningSoftThresholdReached = AdditionalSenseCode(asc: 0x38, ascq: 0x07)
    /// 3Fh/17h ZONE TRANSITION TO FULL
    public static let zoneTransitionToFull = AdditionalSenseCode(asc: 0x3F, ascq: 0x17)
    /// 55h/0Fh INSUFFICIENT ZONE RESOURCES TO COMPLETE WRITE
    public static let insufficientZoneResourcesToCompleteWrite = AdditionalSenseCode(asc: 0x55, ascq: 0x0F)
    /// 5Dh/00h FAILURE PREDICTION THRESHOLD EXCEEDED
    public static let failurePredictionThresholdExceeded = AdditionalSenseCode(asc: 0x5D, ascq: 0x00)
    /// 5Dh/01h MEDIA FAILURE PREDICTION THRESHOLD EXCEEDED
    public static let mediaFailurePredictionThresholdExceeded = AdditionalSenseCode(asc: 0x5D, ascq: 0x01)
    /// 5Dh/02h LOGICAL UNIT FAILURE PREDICTION THRESHOLD EXCEEDED
    public static let logicalUnitFailurePredictionThresholdExceeded = AdditionalSenseCode(asc: 0x5D, ascq: 0x02)
    /// 5Dh/03h SPARE AREA EXHAUSTION PREDICTION THRESHOLD EXCEEDED
    public static let spareAreaExhaustionPredictionThresholdExceeded = AdditionalSenseCode(asc: 0x5D, ascq: 0x03)
    /// 5Dh/FFh FAILURE PREDICTION THRESHOLD EXCEEDED (FALSE)
    public static let failurePredictionThresholdExceededFalse = AdditionalSenseCode(asc: 0x5D, ascq: 0xFF)

    /// The codes of this part, in `allNamed` form.
    static let blockNamed: [CatalogEntry] = [
        ("logicalUnitNotReadyStartStopUnitCommandInProgress", .logicalUnitNotReadyStartStopUnitCommandInProgress, "LOGICAL UNIT NOT READY, START STOP UNIT COMMAND IN PROGRESS"),
        ("writeErrorRecoveredWithAutoReallocation", .writeErrorRecoveredWithAutoReallocation, "WRITE ERROR - RECOVERED WITH AUTO REALLOCATION"),
        ("writeErrorRecommendReassignment", .writeErrorRecommendReassignment, "WRITE ERROR - RECOMMEND REASSIGNMENT"),
        ("incompleteMultipleAtomicWriteOperations", .incompleteMultipleAtomicWriteOperations, "INCOMPLETE MULTIPLE ATOMIC WRITE OPERATIONS"),
        ("writeErrorRecoveryScanNeeded", .writeErrorRecoveryScanNeeded, "WRITE ERROR - RECOVERY SCAN NEEDED"),
        ("writeErrorInsufficientZoneResources", .writeErrorInsufficientZoneResources, "WRITE ERROR - INSUFFICIENT ZONE RESOURCES"),
        ("logicalBlockApplicationTagCheckFailed", .logicalBlockApplicationTagCheckFailed, "LOGICAL BLOCK APPLICATION TAG CHECK FAILED"),
        ("logicalBlockReferenceTagCheckFailed", .logicalBlockReferenceTagCheckFailed, "LOGICAL BLOCK REFERENCE TAG CHECK FAILED"),
        ("logicalBlockProtectionErrorOnRecoverBufferedData", .logicalBlockProtectionErrorOnRecoverBufferedData, "LOGICAL BLOCK PROTECTION ERROR ON RECOVER BUFFERED DATA"),
        ("logicalBlockProtectionMethodError", .logicalBlockProtectionMethodError, "LOGICAL BLOCK PROTECTION METHOD ERROR"),
        ("readRetriesExhausted", .readRetriesExhausted, "READ RETRIES EXHAUSTED"),
        ("errorTooLongToCorrect", .errorTooLongToCorrect, "ERROR TOO LONG TO CORRECT"),
        ("multipleReadErrors", .multipleReadErrors, "MULTIPLE READ ERRORS"),
        ("unrecoveredReadErrorAutoReallocateFailed", .unrecoveredReadErrorAutoReallocateFailed, "UNRECOVERED READ ERROR - AUTO REALLOCATE FAILED"),
        ("miscorrectedError", .miscorrectedError, "MISCORRECTED ERROR"),
        ("unrecoveredReadErrorRecommendReassignment", .unrecoveredReadErrorRecommendReassignment, "UNRECOVERED READ ERROR - RECOMMEND REASSIGNMENT"),
        ("unrecoveredReadErrorRecommendRewriteTheData", .unrecoveredReadErrorRecommendRewriteTheData, "UNRECOVERED READ ERROR - RECOMMEND REWRITE THE DATA"),
        ("readErrorLBAMarkedBadByApplicationClient", .readErrorLBAMarkedBadByApplicationClient, "READ ERROR - LBA MARKED BAD BY APPLICATION CLIENT"),
        ("writeAfterSanitizeRequired", .writeAfterSanitizeRequired, "WRITE AFTER SANITIZE REQUIRED"),
        ("defectListError", .defectListError, "DEFECT LIST ERROR"),
        ("defectListNotAvailable", .defectListNotAvailable, "DEFECT LIST NOT AVAILABLE"),
        ("defectListErrorInPrimaryList", .defectListErrorInPrimaryList, "DEFECT LIST ERROR IN PRIMARY LIST"),
        ("defectListErrorInGrownList", .defectListErrorInGrownList, "DEFECT LIST ERROR IN GROWN LIST"),
        ("defectListNotFound", .defectListNotFound, "DEFECT LIST NOT FOUND"),
        ("primaryDefectListNotFound", .primaryDefectListNotFound, "PRIMARY DEFECT LIST NOT FOUND"),
        ("grownDefectListNotFound", .grownDefectListNotFound, "GROWN DEFECT LIST NOT FOUND"),
        ("applicationTagModePageIsInvalid", .applicationTagModePageIsInvalid, "APPLICATION TAG MODE PAGE IS INVALID"),
        ("associatedWriteProtect", .associatedWriteProtect, "ASSOCIATED WRITE PROTECT"),
        ("persistentWriteProtect", .persistentWriteProtect, "PERSISTENT WRITE PROTECT"),
        ("permanentWriteProtect", .permanentWriteProtect, "PERMANENT WRITE PROTECT"),
        ("conditionalWriteProtect", .conditionalWriteProtect, "CONDITIONAL WRITE PROTECT"),
        ("spaceAllocationFailedWriteProtect", .spaceAllocationFailedWriteProtect, "SPACE ALLOCATION FAILED WRITE PROTECT"),
        ("orwriteGenerationDoesNotMatch", .orwriteGenerationDoesNotMatch, "ORWRITE GENERATION DOES NOT MATCH"),
        ("resetWritePointerNotAllowed", .resetWritePointerNotAllowed, "RESET WRITE POINTER NOT ALLOWED"),
        ("unwrittenDataInZone", .unwrittenDataInZone, "UNWRITTEN DATA IN ZONE"),
        ("zoneIsInactive", .zoneIsInactive, "ZONE IS INACTIVE"),
        ("zonedFormattingFailedDueToSpareLinking", .zonedFormattingFailedDueToSpareLinking, "ZONED FORMATTING FAILED DUE TO SPARE LINKING"),
        ("noDefectSpareLocationAvailable", .noDefectSpareLocationAvailable, "NO DEFECT SPARE LOCATION AVAILABLE"),
        ("defectListUpdateFailure", .defectListUpdateFailure, "DEFECT LIST UPDATE FAILURE"),
        ("thinProvisioningSoftThresholdReached", .thinProvisioningSoftThresholdReached, "THIN PROVISIONING SOFT THRESHOLD REACHED"),
        ("zoneTransitionToFull", .zoneTransitionToFull, "ZONE TRANSITION TO FULL"),
        ("insufficientZoneResourcesToCompleteWrite", .insufficientZoneResourcesToCompleteWrite, "INSUFFICIENT ZONE RESOURCES TO COMPLETE WRITE"),
        ("failurePredictionThresholdExceeded", .failurePredictionThresholdExceeded, "FAILURE PREDICTION THRESHOLD EXCEEDED"),
        ("mediaFailurePredictionThresholdExceeded", .mediaFailurePredictionThresholdExceeded, "MEDIA FAILURE PREDICTION THRESHOLD EXCEEDED"),
        ("logicalUnitFailurePredictionThresholdExceeded", .logicalUnitFailurePredictionThresholdExceeded, "LOGICAL UNIT FAILURE PREDICTION THRESHOLD EXCEEDED"),
        ("spareAreaExhaustionPredictionThresholdExceeded", .spareAreaExhaustionPredictionThresholdExceeded, "SPARE AREA EXHAUSTION PREDICTION THRESHOLD EXCEEDED"),
        ("failurePredictionThresholdExceededFalse", .failurePredictionThresholdExceededFalse, "FAILURE PREDICTION THRESHOLD EXCEEDED (FALSE)"),
    ]
}
