/// What a decoder found in one message of a drop, in format-neutral terms.
///
/// Decoders (HL7 v2, FHIR, CDA) turn bytes into these values; correlation, the Task
/// workflow and the store work on them without knowing the format. Resources are FHIR R4
/// JSON (v2 and CDA content is mapped to FHIR), so the store can serve them as FHIR.
public struct InboundMessage: Sendable {
    /// Position of the message in its drop (0 for single-message drops).
    public var index: Int
    public var format: PayloadFormat
    /// A short type, e.g. `ORU^R01`, `Bundle/message`, `Task`, `ClinicalDocument`.
    public var type: String
    /// Keys that identify this message for de-duplication across drops and restarts,
    /// e.g. `v2|<MSH-3>|<MSH-4>|<MSH-10>`, `fhir-bundle|<id>`, `fhir-header|<id>`, `cda|<root>|<ext>`.
    public var dedupeKeys: [String]
    /// Everything validation found; errors make the message rejected.
    public var issues: [Issue]
    /// The patient the message is about, when it names one.
    public var patient: PatientFacts?
    /// Requests (orders, referrals) and events on them.
    public var requests: [RequestFacts]
    /// Results and documents that answer requests.
    public var reports: [ReportFacts]
    /// Explicit FHIR Tasks (Options G and H).
    public var tasks: [TaskFacts]
    /// Every other resource the message carries (stored as it is).
    public var otherResources: [OtherResource] = []
    /// What the acknowledgement needs to know about the message.
    public var answer: AnswerContext
    /// The message's own raw bytes when it is part of a batch (for reprocessing); nil for single messages.
    public var raw: [UInt8]?
    /// How resources of the message refer to each other besides `Type/id`: a Bundle entry's
    /// `fullUrl` (e.g. `urn:uuid:…`) → the `Type/id` of its resource as received. The store
    /// rewrites such references to the ids it stores the resources under.
    public var referenceAliases: [String: String] = [:]
    /// The `fullUrl` of each Bundle entry whose resource carries no id (a transaction's `POST`), by
    /// entry index: references to it are rewritten to wherever the store puts that entry's resource.
    public var entryFullUrls: [Int: String] = [:]
    /// For FHIR transaction and batch Bundles: the entries, for a transaction-response / batch-response.
    public var fhirBatch: FHIRBatchContext?
    /// For EPS messages, release requests and return/withdraw Tasks: what they say about a prescription.
    public var prescription: PrescriptionFacts?

    public init(index: Int = 0, format: PayloadFormat, type: String, dedupeKeys: [String] = [], issues: [Issue] = [],
                patient: PatientFacts? = nil, requests: [RequestFacts] = [], reports: [ReportFacts] = [],
                tasks: [TaskFacts] = [], answer: AnswerContext, raw: [UInt8]? = nil, fhirBatch: FHIRBatchContext? = nil) {
        self.index = index
        self.format = format
        self.type = type
        self.dedupeKeys = dedupeKeys
        self.issues = issues
        self.patient = patient
        self.requests = requests
        self.reports = reports
        self.tasks = tasks
        self.answer = answer
        self.raw = raw
        self.fhirBatch = fhirBatch
    }
}

/// A decoded drop: one or more messages, plus issues that concern the file as a whole.
public struct DecodedDrop: Sendable {
    public var format: PayloadFormat?
    public var messages: [InboundMessage]
    /// Issues of the file itself (unknown format, truncated batch, …). Any error here rejects the drop.
    public var issues: [Issue]
    /// Set when the drop is a v2 batch file (FHS/BHS), for the batch acknowledgement.
    public var batch: HL7BatchContext?

    public init(format: PayloadFormat?, messages: [InboundMessage], issues: [Issue] = [], batch: HL7BatchContext? = nil) {
        self.format = format
        self.messages = messages
        self.issues = issues
        self.batch = batch
    }
}
