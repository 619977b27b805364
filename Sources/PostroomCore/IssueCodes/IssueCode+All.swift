/// Every issue code Postroom sends, in the order docs/issue-codes.md lists them (by area, then by code).
extension IssueCode {
    /// The catalogue: a test keeps it equal to the `static let`s of the `IssueCode+*.swift` files.
    public static let all: [IssueCode] = [
        // HL7v2
        .batchCountMismatch, .batchEnvelopeInvalid, .batchTruncated, .characterSetFallback, .characterSetMismatch, .dataType,
        .duplicateControlID, .encodingCharactersInvalid, .escapeSequence, .messageStructureMismatch, .mshInvalid, .mshMissing,
        .noMessage, .orderNumberMismatch, .orderNumberMissing, .patientMultiple, .requiredFieldMissing, .segmentIDInvalid,
        .segmentMissing, .segmentNotInStructure, .segmentOutsideMessage, .segmentSequence, .tableValue, .unsupportedCharacterSet,
        .unsupportedEvent, .unsupportedMessageType, .unsupportedProcessingID, .unsupportedVersion,
        // FHIR
        .bdl1, .bdl10, .bdl11, .bdl12, .bdl2, .bdl3, .bdl4, .bdl5, .bdl7, .bdl8, .bdl9, .bundleFullURLIDMismatch,
        .bundleRequestInvalid, .cardinalityMax, .choiceMultiple, .codeNotInRequiredBinding, .dom2, .epsCancellationReason,
        .epsCancellationStatus, .epsGroupIdentifierMismatch, .epsMedicationRequestIntent, .epsMedicationRequestStatus,
        .epsPrescriptionIDChecksum, .epsPrescriptionIDFormat, .ext1, .fhirSTU3NotSupported, .fhirVersionNotSupported,
        .jsonArrayExpected, .jsonEmpty, .jsonNull, .jsonSyntax, .jsonType, .nhsNumberCheckDigit, .nhsNumberFormat, .odsCodeFormat,
        .primitiveExtensionMismatch, .primitiveFormat, .referenceConditionalNotAllowed, .referenceContainedNotFound,
        .referenceFormat, .referenceNotFound, .requiredElementMissing, .resourceTypeMissing, .transactionIdentityOverlap,
        .unknownElement, .unknownResourceType, .uuidIdentifierFormat,
        // CDA
        .cdaBodyChoice, .cdaBodyMissing, .cdaCodeMissing, .cdaCodeSystemMissing, .cdaConfidentialityCode,
        .cdaConfidentialitySystem, .cdaElementMissing, .cdaElementOrder, .cdaElementRepeated, .cdaFulfilmentType,
        .cdaIDRootFormat, .cdaIDRootMissing, .cdaMultiplePatients, .cdaNamespaceMissing, .cdaRelatedDocumentCombination,
        .cdaRelatedDocumentType, .cdaReplacementSelf, .cdaReplacementSetID, .cdaReplacementVersion, .cdaReplacementVersionOrder,
        .cdaSetVersionPair, .cdaTimestampFormat, .cdaTimestampMissing, .cdaTimestampOffset, .cdaTimestampPrecision, .cdaTypeID,
        .cdaUnexpectedElement, .cdaVersionNumber, .documentID, .fhirXMLNotSupported, .hl7v3NotCDA, .itkHeaderMissing,
        .itkManifestCount, .itkManifestMissing, .itkPayloadCount, .itkPayloadNotInManifest, .itkPayloadUnreadable,
        .itkPayloadsMissing, .itkServiceMissing, .itkTrackingIDMissing, .soapBodyEmpty, .soapBodyMissing, .xmlDoctypeRefused,
        .xmlEncodingRefused, .xmlEntityRefused, .xmlProcessingInstructionRefused, .xmlInvalidUtf8, .xmlMalformed, .xmlNotCDA, .xmlTooDeep, .xmlTooLarge,
        .xmlTooManyAttributes, .xmlTooManyElements, .xmlTruncated,
        // Intake
        .alreadyApplied, .archiveBomb, .archiveEmpty, .archiveMemberLink, .archiveMemberPath, .archiveMemberTooLarge, .archiveMemberType,
        .archiveOpened, .archiveTooManyMembers, .archiveUnreadable, .bundleIDReused, .conditionalReferenceAmbiguous,
        .conditionalReferenceUnresolved, .duplicateDrop, .duplicateMessage, .emptyFile, .entryNotStored, .fileTooLarge,
        .fileUnreadable, .formatNotAccepted, .issuesNotKept, .messageResubmitted, .nestedArchive, .noMessages, .unknownFormat,
        // Workflow
        .cancelRequested, .documentSuperseded, .heldReportLinked, .multipleRequestsMatch, .parentTaskUnknown, .patientMismatch,
        .patientUnverifiable, .replacementHeld, .replacementReleased, .reportHeld, .reportNewVersion, .reportStatusRegression,
        .requestEventNoted, .requestNotFound, .requestUpdated, .taskCreated, .taskFailedAfterStart, .taskFocusUnknown,
        .taskInvalidTransition, .taskOpenSubtasks, .taskOwnerUnroutable, .taskRouted, .taskStatusNotified, .taskStatusUnknown,
        .taskUnassigned,
        // Prescriptions
        .dispenseNotificationReplaced, .dispenseNotificationUnknown, .dispenseNotificationWithdrawn, .prescriptionCancelled, .prescriptionCancelPending, .prescriptionDispensed, .prescriptionExists,
        .prescriptionIDMissing, .prescriptionInBatch, .prescriptionNeedsBroker, .prescriptionNotWithDispenser, .prescriptionState, .prescriptionUnknown,
        // Referrals
        .appointmentLinked, .appointmentReferralUnknown, .referralAdviceMissing, .referralNotBooked, .referralRejectReasonMissing,
        .referralTriaged, .ubrnFormat,
        // API
        .badRequest, .csrfTokenInvalid, .databaseReadOnly, .dropNotFound, .formatUnsupported, .internalError, .pathNotFound,
        .queryInvalid, .readOnly, .resourceNotFound, .resourceTypeUnknown, .searchIncludeUnsupported, .searchIndexMissing,
        .searchParameterUnknown, .searchPrefixUnsupported, .searchTooManyAlternatives, .searchValueInvalid, .taskNotFound,
        .unauthorized, .versionNotFound, .viewNotMaterialised,
    ]
}
