// The issue codes of one area; the catalogue is IssueCode.all (docs/issue-codes.md is made from it).

/// FHIR R4: JSON, the spec tables, references, Bundle invariants, NHS identifier and EPS rules.
extension IssueCode {
    public static let bdl1 = IssueCode("bdl-1", [.error], in: [.fhir], types: ["invariant"],
        "total is only allowed in searchset and history Bundles (bdl-1)")
    public static let bdl10 = IssueCode("bdl-10", [.error], in: [.fhir], types: ["invariant"],
        "A document must have a timestamp (bdl-10)")
    public static let bdl11 = IssueCode("bdl-11", [.error], in: [.fhir], types: ["invariant"],
        "A document must begin with a Composition (bdl-11)")
    public static let bdl12 = IssueCode("bdl-12", [.error], in: [.fhir], types: ["invariant"],
        "A message must begin with a MessageHeader (bdl-12)")
    public static let bdl2 = IssueCode("bdl-2", [.error], in: [.fhir], types: ["invariant"],
        "entry.search is only allowed in searchset Bundles (bdl-2)")
    public static let bdl3 = IssueCode("bdl-3", [.error], in: [.fhir], types: ["invariant"],
        "entry.request is required in batch/transaction/history Bundles and not allowed in others (bdl-3)")
    public static let bdl4 = IssueCode("bdl-4", [.error], in: [.fhir], types: ["invariant"],
        "entry.response is required in response Bundles and not allowed in others (bdl-4)")
    public static let bdl5 = IssueCode("bdl-5", [.error], in: [.fhir], types: ["invariant"],
        "An entry must have a resource unless it has a request or a response (bdl-5)")
    public static let bdl7 = IssueCode("bdl-7", [.error], in: [.fhir], types: ["invariant"],
        "fullUrl must be unique in a Bundle unless versionIds differ (bdl-7)")
    public static let bdl8 = IssueCode("bdl-8", [.error], in: [.fhir], types: ["invariant"],
        "fullUrl must not be version specific (bdl-8)")
    public static let bdl9 = IssueCode("bdl-9", [.error], in: [.fhir], types: ["invariant"],
        "A document must have an identifier with a system and a value (bdl-9)")
    public static let bundleFullURLIDMismatch = IssueCode("bundle-fullurl-id-mismatch", [.error], in: [.fhir], types: ["invalid"],
        "A RESTful fullUrl whose id differs from the resource's id")
    public static let bundleRequestInvalid = IssueCode("bundle-request-invalid", [.error], in: [.fhir], types: ["invalid"],
        "A transaction/batch entry's request is inconsistent (method vs url vs resource)")
    public static let cardinalityMax = IssueCode("cardinality-max", [.error], in: [.fhir], types: ["structure"],
        "An element repeats more often than allowed, is an array where it does not repeat, or is prohibited (max 0)")
    public static let choiceMultiple = IssueCode("choice-multiple", [.error], in: [.fhir], types: ["structure"],
        "A choice element (value[x]) is given with more than one type")
    public static let codeNotInRequiredBinding = IssueCode("code-not-in-required-binding", [.error], in: [.fhir], types: ["code-invalid"],
        "A code outside the value set of a required binding")
    public static let dom2 = IssueCode("dom-2", [.error], in: [.fhir], types: ["invariant"],
        "A contained resource contains other resources (dom-2)")
    public static let epsCancellationReason = IssueCode("eps-cancellation-reason", [.error], in: [.fhir], types: ["business-rule"],
        "A prescription-order-update MedicationRequest must have a statusReason")
    public static let epsCancellationStatus = IssueCode("eps-cancellation-status", [.error], in: [.fhir], types: ["business-rule"],
        "A prescription-order-update MedicationRequest must have status cancelled")
    public static let epsGroupIdentifierMismatch = IssueCode("eps-group-identifier-mismatch", [.error], in: [.fhir], types: ["business-rule"],
        "All MedicationRequests of a prescription-order must share one groupIdentifier")
    public static let epsMedicationRequestIntent = IssueCode("eps-medication-request-intent", [.error], in: [.fhir], types: ["business-rule"],
        "A prescription-order MedicationRequest must have intent order, original-order or instance-order")
    public static let epsMedicationRequestStatus = IssueCode("eps-medication-request-status", [.error], in: [.fhir], types: ["business-rule"],
        "A prescription-order MedicationRequest must have status active")
    public static let epsPrescriptionIDChecksum = IssueCode("eps-prescription-id-checksum", [.error], in: [.fhir], types: ["value"],
        "Short-form prescription id has an invalid check character (ISO/IEC 7064 MOD 37-2)")
    public static let epsPrescriptionIDFormat = IssueCode("eps-prescription-id-format", [.error], in: [.fhir], types: ["value"],
        "Short-form prescription id must be XXXXXX-XXXXXX-XXXXXC")
    public static let ext1 = IssueCode("ext-1", [.error], in: [.fhir], types: ["invariant"],
        "An extension has both a value and nested extensions, or neither (ext-1)")
    public static let fhirSTU3NotSupported = IssueCode("fhir-stu3-not-supported", [.error], in: [.fhir], types: ["not-supported"],
        "FHIR STU3 (3.0) content, recognised and refused (FHIR R4 only)")
    public static let fhirVersionNotSupported = IssueCode("fhir-version-not-supported", [.error], in: [.fhir], types: ["not-supported"],
        "Content of another FHIR version (DSTU2, R5), recognised and refused")
    public static let jsonArrayExpected = IssueCode("json-array-expected", [.error], in: [.fhir], types: ["structure"],
        "A single value where FHIR JSON requires an array (a repeating element)")
    public static let jsonEmpty = IssueCode("json-empty", [.error], in: [.fhir], types: ["structure"],
        "An empty object or array (forbidden in FHIR JSON)")
    public static let jsonNull = IssueCode("json-null", [.error], in: [.fhir], types: ["structure"],
        "A null outside a primitive array aligned with its _element array")
    public static let jsonSyntax = IssueCode("json-syntax", [.fatal], in: [.fhir], types: ["structure"],
        "The bytes are not JSON (the text gives line and column)")
    public static let jsonType = IssueCode("json-type", [.error], in: [.fhir], types: ["structure"],
        "The JSON type does not fit the element (string, number, boolean, object)")
    public static let nhsNumberCheckDigit = IssueCode("nhs-number-check-digit", [.error], in: [.hl7v2, .fhir, .cda], types: ["value"],
        "NHS number fails the Modulus 11 check")
    public static let nhsNumberFormat = IssueCode("nhs-number-format", [.error], in: [.hl7v2, .fhir, .cda], types: ["value"],
        "NHS number must be 10 digits")
    public static let odsCodeFormat = IssueCode("ods-code-format", [.error], in: [.fhir], types: ["value"],
        "ODS organisation code must be 3 to 6 upper-case letters and digits")
    public static let primitiveExtensionMismatch = IssueCode("primitive-extension-mismatch", [.error], in: [.fhir], types: ["structure"],
        "A _element array does not line up with its value array")
    public static let primitiveFormat = IssueCode("primitive-format", [.error], in: [.fhir], types: ["value"],
        "A primitive whose text does not match its type (id, date, dateTime, instant, uri, code, …)")
    public static let referenceConditionalNotAllowed = IssueCode("reference-conditional-not-allowed", [.error], in: [.fhir], types: ["invalid"],
        "A conditional reference (Type?query) outside a transaction or batch Bundle")
    public static let referenceContainedNotFound = IssueCode("reference-contained-not-found", [.error], in: [.fhir], types: ["not-found"],
        "A #id reference names no contained resource")
    public static let referenceFormat = IssueCode("reference-format", [.error], in: [.fhir], types: ["value"],
        "A reference that is neither a literal reference (Type/id, URL, URN, #id) nor a conditional Type?query")
    public static let referenceNotFound = IssueCode("reference-not-found", [.error], in: [.fhir], types: ["not-found"],
        "A urn:uuid:/urn:oid: reference names no entry of its Bundle")
    public static let requiredElementMissing = IssueCode("required-element-missing", [.error], in: [.fhir], types: ["required"],
        "A required FHIR element (min 1) is absent")
    public static let resourceTypeMissing = IssueCode("resource-type-missing", [.fatal, .error], in: [.fhir], types: ["structure", "required"],
        "The JSON is not a FHIR resource: an object with a resourceType string is expected")
    public static let transactionIdentityOverlap = IssueCode("transaction-identity-overlap", [.error], in: [.fhir], types: ["invalid"],
        "Two entries of a transaction act on the same resource identity")
    public static let unknownElement = IssueCode("unknown-element", [.error], in: [.fhir], types: ["structure"],
        "A member that the FHIR type does not define")
    public static let unknownResourceType = IssueCode("unknown-resource-type", [.error], in: [.fhir], types: ["structure"],
        "resourceType names no FHIR R4 resource")
    public static let uuidIdentifierFormat = IssueCode("uuid-identifier-format", [.error], in: [.fhir], types: ["value"],
        "An identifier with system https://tools.ietf.org/html/rfc4122 must be a UUID")
}
