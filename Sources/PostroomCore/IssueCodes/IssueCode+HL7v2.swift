// The issue codes of one area; the catalogue is IssueCode.all (docs/issue-codes.md is made from it).

/// HL7 v2: decoding, message structure, fields and tables, batch envelopes.
extension IssueCode {
    public static let batchCountMismatch = IssueCode("batch-count-mismatch", [.fatal], in: [.hl7v2], types: ["structure"],
        "A batch count (FTS-1/BTS-1) differs from what the file holds: it looks truncated or altered")
    public static let batchEnvelopeInvalid = IssueCode("batch-envelope-invalid", [.fatal], in: [.hl7v2], types: ["structure"],
        "The batch envelope is inconsistent (e.g. an FTS without an FHS, a BTS without a BHS)")
    public static let batchTruncated = IssueCode("batch-truncated", [.fatal], in: [.hl7v2], types: ["structure"],
        "The file has an FHS but no FTS: it looks truncated")
    public static let characterSetFallback = IssueCode("character-set-fallback", [.warning], in: [.hl7v2], types: ["value"],
        "Bytes that are not valid UTF-8 and no MSH-18 character set that explains them; read with a fallback")
    public static let characterSetMismatch = IssueCode("character-set-mismatch", [.warning], in: [.hl7v2], types: ["value"],
        "MSH-18 declares ASCII but the message holds UTF-8 characters; read as UTF-8")
    public static let dataType = IssueCode("data-type", [.error, .warning], in: [.hl7v2], types: ["value"],
        "A value does not fit its HL7 v2 data type (e.g. a date/time that is not YYYY[MM[DD[HH[MM[SS]]]]][+/-ZZZZ])")
    public static let duplicateControlID = IssueCode("duplicate-control-id", [.error], in: [.hl7v2], types: ["duplicate"],
        "Another message of this file has the same sending application, facility and control id (MSH-10)")
    public static let encodingCharactersInvalid = IssueCode("encoding-characters-invalid", [.error], in: [.hl7v2], types: ["structure"],
        "MSH-2/FHS-2/BHS-2 does not hold 4 encoding characters (5 from v2.7)")
    public static let escapeSequence = IssueCode("escape-sequence", [.warning], in: [.hl7v2], types: ["value"],
        "A malformed or unknown HL7 v2 escape sequence; the text is kept as sent")
    public static let messageStructureMismatch = IssueCode("message-structure-mismatch", [.warning], in: [.hl7v2], types: ["structure"],
        "MSH-9.3 names another message structure than the message type and trigger event have")
    public static let mshInvalid = IssueCode("msh-invalid", [.fatal], in: [.hl7v2], types: ["structure"],
        "MSH-1 must be a punctuation character (the field separator) right after MSH")
    public static let mshMissing = IssueCode("msh-missing", [.fatal], in: [.hl7v2], types: ["structure"],
        "The message does not start with an MSH segment")
    public static let noMessage = IssueCode("no-message", [.fatal], in: [.hl7v2], types: ["structure"],
        "The file holds no HL7 v2 message")
    public static let orderNumberMismatch = IssueCode("order-number-mismatch", [.error], in: [.hl7v2], types: ["business-rule"],
        "The placer or filler order number differs between ORC and OBR")
    public static let orderNumberMissing = IssueCode("order-number-missing", [.warning], in: [.hl7v2], types: ["required"],
        "A result names no placer (OBR-2/ORC-2) or filler (OBR-3/ORC-3) order number, so it cannot be linked")
    public static let patientMultiple = IssueCode("patient-multiple", [.error], in: [.hl7v2], types: ["business-rule"],
        "The message is about more than one patient; send one patient per message")
    public static let requiredFieldMissing = IssueCode("required-field-missing", [.error, .warning], in: [.hl7v2], types: ["required"],
        "A required HL7 v2 field or component is empty")
    public static let segmentIDInvalid = IssueCode("segment-id-invalid", [.error], in: [.hl7v2], types: ["structure"],
        "A segment that does not start with a valid segment id (three upper-case letters or digits)")
    public static let segmentMissing = IssueCode("segment-missing", [.error], in: [.hl7v2], types: ["structure"],
        "The message ends where its structure requires another segment")
    public static let segmentNotInStructure = IssueCode("segment-not-in-structure", [.warning], in: [.hl7v2], types: ["structure"],
        "A segment that is not part of the message structure at its position; accepted and ignored")
    public static let segmentOutsideMessage = IssueCode("segment-outside-message", [.fatal], in: [.hl7v2], types: ["structure"],
        "Segments outside any message (not after an MSH)")
    public static let segmentSequence = IssueCode("segment-sequence", [.error], in: [.hl7v2], types: ["structure"],
        "A segment that the message structure does not allow at its position")
    public static let tableValue = IssueCode("table-value", [.error, .warning], in: [.hl7v2], types: ["code-invalid"],
        "A coded value that is not in its HL7 table")
    public static let unsupportedCharacterSet = IssueCode("unsupported-character-set", [.error], in: [.hl7v2], types: ["not-supported"],
        "MSH-18 names a character set Postroom does not decode (supported: ASCII, UNICODE UTF-8, 8859/1)")
    public static let unsupportedEvent = IssueCode("unsupported-event", [.error], in: [.hl7v2], types: ["not-supported"],
        "A trigger event that is not supported for the message type")
    public static let unsupportedMessageType = IssueCode("unsupported-message-type", [.error], in: [.hl7v2], types: ["not-supported"],
        "A message type that is not supported (ORM^O01, OML^O21, ORU^R01, REF^I12, RRI^I12, ACK are)")
    public static let unsupportedProcessingID = IssueCode("unsupported-processing-id", [.error], in: [.hl7v2], types: ["not-supported"],
        "MSH-11 processing id other than P, D or T")
    public static let unsupportedVersion = IssueCode("unsupported-version", [.error], in: [.hl7v2], types: ["not-supported"],
        "MSH-12 HL7 version outside 2.1 to 2.8")
}
