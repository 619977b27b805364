// The issue codes of one area; the catalogue is IssueCode.all (docs/issue-codes.md is made from it).

/// CDA: safe XML reading, the CDA R2 header, ITK and SOAP envelopes.
extension IssueCode {
    public static let cdaBodyChoice = IssueCode("cda-body-choice", [.error], in: [.cda], types: ["structure"],
        "component must hold either structuredBody or nonXMLBody, not both")
    public static let cdaBodyMissing = IssueCode("cda-body-missing", [.error], in: [.cda], types: ["required"],
        "component must hold a structuredBody or a nonXMLBody")
    public static let cdaCodeMissing = IssueCode("cda-code-missing", [.error], in: [.cda], types: ["required"],
        "The document type code has no code")
    public static let cdaCodeSystemMissing = IssueCode("cda-code-system-missing", [.warning], in: [.cda], types: ["invalid"],
        "The document type code has no codeSystem")
    public static let cdaConfidentialityCode = IssueCode("cda-confidentiality-code", [.error], in: [.cda], types: ["code-invalid"],
        "confidentialityCode must be N, R or V")
    public static let cdaConfidentialitySystem = IssueCode("cda-confidentiality-system", [.warning], in: [.cda], types: ["code-invalid"],
        "confidentialityCode should come from code system 2.16.840.1.113883.5.25")
    public static let cdaElementMissing = IssueCode("cda-element-missing", [.error], in: [.cda], types: ["required"],
        "A required element of the CDA R2 header is missing")
    public static let cdaElementOrder = IssueCode("cda-element-order", [.error], in: [.cda], types: ["structure"],
        "A CDA header element is out of schema order")
    public static let cdaElementRepeated = IssueCode("cda-element-repeated", [.error], in: [.cda], types: ["structure"],
        "A CDA header element appears more often than the schema allows")
    public static let cdaFulfilmentType = IssueCode("cda-fulfilment-type", [.error], in: [.cda], types: ["code-invalid"],
        "inFulfillmentOf typeCode must be FLFS")
    public static let cdaIDRootFormat = IssueCode("cda-id-root-format", [.error, .warning], in: [.cda], types: ["value"],
        "An II root (document, set or patient id) is neither an OID nor a UUID")
    public static let cdaIDRootMissing = IssueCode("cda-id-root-missing", [.error, .warning], in: [.cda], types: ["required"],
        "An II (document, set or patient id) has no root")
    public static let cdaMultiplePatients = IssueCode("cda-multiple-patients", [.warning], in: [.cda], types: ["business-rule"],
        "The document has more than one recordTarget; only the first is used as its patient")
    public static let cdaNamespaceMissing = IssueCode("cda-namespace-missing", [.error], in: [.cda], types: ["structure"],
        "ClinicalDocument must be in the urn:hl7-org:v3 namespace")
    public static let cdaRelatedDocumentCombination = IssueCode("cda-related-document-combination", [.error], in: [.cda], types: ["business-rule"],
        "A combination of relatedDocument typeCodes that CDA does not allow (allowed: APND, RPLC, XFRM, XFRM+RPLC, XFRM+APND)")
    public static let cdaRelatedDocumentType = IssueCode("cda-related-document-type", [.error], in: [.cda], types: ["code-invalid"],
        "relatedDocument typeCode must be RPLC, APND or XFRM")
    public static let cdaReplacementSelf = IssueCode("cda-replacement-self", [.error], in: [.cda], types: ["business-rule"],
        "A document cannot replace itself")
    public static let cdaReplacementSetID = IssueCode("cda-replacement-set-id", [.error], in: [.cda], types: ["business-rule"],
        "A replacing document must keep its parent's setId")
    public static let cdaReplacementVersion = IssueCode("cda-replacement-version", [.warning], in: [.cda], types: ["business-rule"],
        "A replacing document (RPLC) should carry setId and versionNumber")
    public static let cdaReplacementVersionOrder = IssueCode("cda-replacement-version-order", [.error], in: [.cda], types: ["business-rule"],
        "A replacing document's versionNumber must be higher than its parent's")
    public static let cdaSetVersionPair = IssueCode("cda-set-version-pair", [.warning], in: [.cda], types: ["invalid"],
        "setId and versionNumber should be sent together")
    public static let cdaTimestampFormat = IssueCode("cda-timestamp-format", [.error], in: [.cda], types: ["value"],
        "A CDA timestamp is not a valid HL7 TS (YYYYMMDDHHMMSS[.SSSS][+/-ZZZZ])")
    public static let cdaTimestampMissing = IssueCode("cda-timestamp-missing", [.error], in: [.cda], types: ["required"],
        "A required CDA timestamp has no value")
    public static let cdaTimestampOffset = IssueCode("cda-timestamp-offset", [.warning], in: [.cda], types: ["invalid"],
        "A CDA timestamp has a UTC offset of hours only; it should be +/-HHMM")
    public static let cdaTimestampPrecision = IssueCode("cda-timestamp-precision", [.warning], in: [.cda], types: ["invalid"],
        "The document effectiveTime should be precise to the day at least")
    public static let cdaTypeID = IssueCode("cda-type-id", [.error], in: [.cda], types: ["value"],
        "typeId must have root 2.16.840.1.113883.1.3 and extension POCD_HD000040")
    public static let cdaUnexpectedElement = IssueCode("cda-unexpected-element", [.error], in: [.cda], types: ["structure"],
        "An element that is not part of the CDA R2 header")
    public static let cdaVersionNumber = IssueCode("cda-version-number", [.error], in: [.cda], types: ["value"],
        "versionNumber must be a whole number of 1 or more")
    public static let documentID = IssueCode("document-id", [.information], in: [.cda], types: ["informational"],
        "Names the CDA document an answer is about (informational)")
    public static let fhirXMLNotSupported = IssueCode("fhir-xml-not-supported", [.fatal, .error], in: [.fhir, .cda], types: ["not-supported"],
        "FHIR XML is not supported; send FHIR JSON")
    public static let hl7v3NotCDA = IssueCode("hl7v3-not-cda", [.fatal, .error], in: [.cda], types: ["not-supported"],
        "An HL7 v3 message, not a CDA ClinicalDocument")
    public static let itkHeaderMissing = IssueCode("itk-header-missing", [.error], in: [.cda], types: ["required"],
        "The DistributionEnvelope has no header")
    public static let itkManifestCount = IssueCode("itk-manifest-count", [.error], in: [.cda], types: ["structure"],
        "The ITK manifest count does not match its manifest items")
    public static let itkManifestMissing = IssueCode("itk-manifest-missing", [.error], in: [.cda], types: ["required"],
        "The ITK header has no manifest")
    public static let itkPayloadCount = IssueCode("itk-payload-count", [.error], in: [.cda], types: ["structure"],
        "The ITK payloads count does not match the payloads sent")
    public static let itkPayloadNotInManifest = IssueCode("itk-payload-not-in-manifest", [.error], in: [.cda], types: ["structure"],
        "The payload id is not listed in the ITK manifest")
    public static let itkPayloadUnreadable = IssueCode("itk-payload-unreadable", [.error], in: [.cda], types: ["not-supported"],
        "The payload holds no XML (text or base64 payloads are not supported)")
    public static let itkPayloadsMissing = IssueCode("itk-payloads-missing", [.error], in: [.cda], types: ["required"],
        "The DistributionEnvelope has no payloads")
    public static let itkServiceMissing = IssueCode("itk-service-missing", [.error], in: [.cda], types: ["required"],
        "The ITK header has no service")
    public static let itkTrackingIDMissing = IssueCode("itk-tracking-id-missing", [.error], in: [.cda], types: ["required"],
        "The ITK header has no trackingid")
    public static let soapBodyEmpty = IssueCode("soap-body-empty", [.error], in: [.cda], types: ["structure"],
        "The SOAP Body carries no element")
    public static let soapBodyMissing = IssueCode("soap-body-missing", [.error], in: [.cda], types: ["structure"],
        "The SOAP envelope has no Body")
    public static let xmlDoctypeRefused = IssueCode("xml-doctype-refused", [.fatal], in: [.cda], types: ["security"],
        "A document type declaration (<!DOCTYPE) is not allowed: DTDs and entities are refused before parsing")
    public static let xmlEncodingRefused = IssueCode("xml-encoding-refused", [.fatal], in: [.cda], types: ["not-supported"],
        "XML in an encoding other than UTF-8 (a UTF-16/32 byte order mark or a declared encoding)")
    public static let xmlProcessingInstructionRefused = IssueCode("xml-processing-instruction-refused", [.fatal], in: [.cda],
        types: ["security"], "A processing instruction without data (<?name?>) is refused before parsing: the XML parser cannot take it")
    public static let xmlEntityRefused = IssueCode("xml-entity-refused", [.fatal], in: [.cda], types: ["security"],
        "An entity declaration (<!ENTITY) is not allowed: entities are never declared, resolved or expanded")
    public static let xmlInvalidUtf8 = IssueCode("xml-invalid-utf8", [.fatal], in: [.cda], types: ["invalid"],
        "The file is not valid UTF-8")
    public static let xmlMalformed = IssueCode("xml-malformed", [.fatal], in: [.cda], types: ["structure"],
        "The XML is not well-formed (libxml2's error code in the text)")
    public static let xmlNotCDA = IssueCode("xml-not-cda", [.fatal, .error], in: [.cda], types: ["not-supported"],
        "XML that is not a CDA document, an ITK DistributionEnvelope or a SOAP envelope carrying one")
    public static let xmlTooDeep = IssueCode("xml-too-deep", [.fatal], in: [.cda], types: ["too-costly"],
        "Elements are nested deeper than the XML limit; the document is refused")
    public static let xmlTooLarge = IssueCode("xml-too-large", [.fatal], in: [.cda], types: ["too-long"],
        "The XML file is larger than the XML input limit")
    public static let xmlTooManyAttributes = IssueCode("xml-too-many-attributes", [.fatal], in: [.cda], types: ["too-costly"],
        "An element has more attributes than the XML limit (namespace declarations included)")
    public static let xmlTooManyElements = IssueCode("xml-too-many-elements", [.fatal], in: [.cda], types: ["too-costly"],
        "The document has more elements than the XML limit")
    public static let xmlTruncated = IssueCode("xml-truncated", [.fatal], in: [.cda], types: ["incomplete"],
        "The XML ends before its root element is closed (truncated or partly written file?)")
}
