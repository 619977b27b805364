import Foundation

/// Who a message is about, as keys that can be compared across messages.
///
/// Keys: `nhs|<10 digits>` for a Modulus-11-valid NHS number, `id|<system>|<value>` for other
/// identifiers, `ref|<reference>` for a literal FHIR reference such as `Patient/123`.
public struct PatientFacts: Sendable, Hashable {
    public var nhsNumber: String?
    public var keys: Set<String>
    /// A FHIR Patient resource when the message carries enough to make one.
    public var resource: JSONValue?
    /// For FHIR Bundles: the index of the entry the Patient came from.
    public var entryIndex: Int?

    public init(nhsNumber: String? = nil, keys: Set<String> = [], resource: JSONValue? = nil) {
        self.nhsNumber = nhsNumber
        var all = keys
        if let nhsNumber { all.insert("nhs|" + nhsNumber) }
        self.keys = all
        self.resource = resource
    }

    public var isEmpty: Bool { keys.isEmpty }
}

/// What happened to a request in a message: a new order or referral, or an event on one already known.
public enum RequestEvent: Sendable, Hashable {
    /// A new request (v2 ORC-1 `NW`, REF^I12, a FHIR ServiceRequest).
    case new
    /// The filler accepted it (v2 `OK`, RRI RF1-1 `A`); carries the filler's key when known.
    case accepted
    /// The filler refused it (v2 `UA`, RRI RF1-1 `R`).
    case rejected(reason: String?)
    /// The placer asks for cancellation (v2 `CA`): no state change until confirmed.
    case cancelRequested
    /// Cancelled or discontinued (v2 `CR`, `OC`, `DC`, `OD`, `DR`; ORC-5 `CA`/`DC`; FHIR `revoked`).
    case cancelled(reason: String?)
    /// Work started (ORC-5 `IP`/`SC`) or was put on hold / released.
    case inProgress
    case onHold
    case released
    /// A status update with no Task effect; kept for the record.
    case noted(String)
}

/// A request (ServiceRequest) as correlation and the workflow see it.
public struct RequestFacts: Sendable {
    /// The ServiceRequest, FHIR R4 JSON.
    public var resource: JSONValue
    /// Keys that reports and Tasks may use to point at this request:
    /// `plac|<namespace>|<value>`, `fill|<namespace>|<value>`, `ref|ServiceRequest/<id>`, `ref|urn:uuid:…`,
    /// `id|<system>|<value>`. See `CorrelationKey`.
    public var keys: [String]
    public var event: RequestEvent
    /// True for referrals (REF^I12, referral ServiceRequests): the Task follows referral rules.
    public var isReferral: Bool
    /// For FHIR Bundles: the index of the entry the request came from (transaction/batch answers are per entry).
    public var entryIndex: Int?
    /// Whether the request's id was made up by the reader (an HL7 v2 order's, from its order number)
    /// rather than sent: Postroom then stores it under an id of its own making (see `ReportFacts.madeUpIDs`).
    public var madeUpID = false

    public init(resource: JSONValue, keys: [String], event: RequestEvent = .new, isReferral: Bool = false, entryIndex: Int? = nil) {
        self.resource = resource
        self.keys = keys
        self.event = event
        self.isReferral = isReferral
        self.entryIndex = entryIndex
    }
}

/// A result (DiagnosticReport with Observations) or a clinical document (DocumentReference).
public struct ReportFacts: Sendable {
    public enum Kind: String, Sendable, Codable { case diagnosticReport = "DiagnosticReport", document = "DocumentReference" }

    public var kind: Kind
    /// The DiagnosticReport or DocumentReference, FHIR R4 JSON.
    public var resource: JSONValue
    /// Observations (for a DiagnosticReport), FHIR R4 JSON: those built at once, or (HL7 v2) those
    /// `deferredObservations` builds.
    public var observations: [JSONValue] {
        get { deferredObservations.isEmpty ? builtObservations : deferredObservations.map { $0.build() } }
        set {
            builtObservations = newValue
            deferredObservations = []
        }
    }
    /// How many Observations the report carries (none is built to count them).
    public var observationCount: Int { deferredObservations.isEmpty ? builtObservations.count : deferredObservations.count }
    /// Observations built at once (FHIR), or none.
    private var builtObservations: [JSONValue]
    /// Observations checked when the message was read and built only when stored (HL7 v2), or none.
    public var deferredObservations: [DeferredResource] = []
    /// Keys naming the requests this report answers (same grammar as `RequestFacts.keys`).
    public var requestKeys: [String]
    /// A key that stays the same across versions of the same report (corrections replace,
    /// never duplicate): e.g. `v2-report|<filler or placer key>|<OBR-4>`; documents use their instance id `cda|<id>` and name the one they replace in `replaces`.
    public var identity: String
    /// The FHIR status (DiagnosticReport.status or the document's status).
    public var status: String
    /// For documents that replace another (CDA RPLC): the parent's identity key.
    public var replaces: String?
    /// For FHIR Bundles: the index of the entry the report came from.
    public var entryIndex: Int?
    /// For FHIR Bundles: the entry each Observation came from (same order as `observations`).
    public var observationEntries: [Int?] = []
    /// Whether the ids of the report and its Observations were made up by the reader (HL7 v2: derived
    /// from the report's identity, so that the report can name its Observations) rather than sent.
    /// Postroom then stores them under ids of its own making, as it does every resource it creates:
    /// time-ordered, so that a run's new rows go to the end of every index they are keyed in.
    public var madeUpIDs = false
    /// Whether the only references the reader put in the report and its Observations are the report's
    /// `result`, one per Observation and in their order (HL7 v2: a result names its patient and its
    /// order by identifier, its notes are text). Storing them then rewrites no reference by walking
    /// their trees: the `result` list is made from the ids the Observations are stored under, and the
    /// subject the Applier sets is resolved.
    public var referencesOnlyResults = false

    public init(kind: Kind, resource: JSONValue, observations: [JSONValue] = [], requestKeys: [String],
                identity: String, status: String, replaces: String? = nil, entryIndex: Int? = nil) {
        self.kind = kind
        self.resource = resource
        self.builtObservations = observations
        self.requestKeys = requestKeys
        self.identity = identity
        self.status = status
        self.replaces = replaces
        self.entryIndex = entryIndex
    }

    /// The statuses that make a report final (it completes the request's Task).
    public static let finalStatuses: Set<String> = ["final", "amended", "corrected", "appended", "current"]

    /// Whether the report is final (it completes the request's Task).
    public var isFinal: Bool { Self.finalStatuses.contains(status) }
}

/// A FHIR Task carried by a message (filler and broker channels).
public struct TaskFacts: Sendable {
    public var resource: JSONValue
    /// Keys of the Task itself: `ref|Task/<id>`, `id|<system>|<value>`.
    public var keys: [String]
    public var status: String
    /// Keys naming the request the Task is about (`Task.focus`).
    public var focusKeys: [String]
    /// Keys of the parent Task (`Task.partOf`).
    public var partOfKeys: [String]
    /// ODS codes of the owner and the requester, for routing.
    public var ownerODS: String?
    public var requesterODS: String?
    /// For FHIR Bundles: the index of the entry the Task came from.
    public var entryIndex: Int?

    public init(resource: JSONValue, keys: [String], status: String, focusKeys: [String] = [], partOfKeys: [String] = [],
                ownerODS: String? = nil, requesterODS: String? = nil, entryIndex: Int? = nil) {
        self.resource = resource
        self.keys = keys
        self.status = status
        self.focusKeys = focusKeys
        self.partOfKeys = partOfKeys
        self.ownerODS = ownerODS
        self.requesterODS = requesterODS
        self.entryIndex = entryIndex
    }
}

/// Builds the correlation keys shared by all formats, so that a v2 placer number, a FHIR
/// PLAC identifier and a CDA order id meet in the same index.
public enum CorrelationKey {
    /// A placer order number within its namespace (v2 EI.2–4 or the sender; FHIR identifier.system; CDA root).
    public static func placer(namespace: String, value: String) -> String { "plac|\(normalize(namespace))|\(value)" }
    /// A filler order number within its namespace.
    public static func filler(namespace: String, value: String) -> String { "fill|\(normalize(namespace))|\(value)" }
    /// A business identifier with its system.
    public static func identifier(system: String, value: String) -> String { "id|\(normalize(system))|\(value)" }

    /// Makes namespaces from different formats meet: a bare OID (v2 EI.3 with EI.4 `ISO`, a CDA
    /// `root`) becomes `urn:oid:<oid>` as FHIR writes it; a bare UUID becomes lower-case `urn:uuid:<uuid>`.
    public static func normalize(_ namespace: String) -> String {
        let n = hasPlainEnds(namespace) ? namespace : namespace.trimmingCharacters(in: .whitespaces)
        if n.hasPrefix("urn:oid:") { return n }
        if n.prefix(9).lowercased() == "urn:uuid:" { return n.lowercased() }
        if isOID(n) { return "urn:oid:" + n }
        if UUIDSyntax.matches(n) { return "urn:uuid:" + n.lowercased() }
        return n
    }

    /// Whether `s` starts and ends with a printable ASCII character other than a space, so that trimming
    /// whitespace leaves it as it is (Foundation's trimming costs more than the rest of `normalize`).
    static func hasPlainEnds(_ s: String) -> Bool {
        guard let first = s.utf8.first, let last = s.utf8.last else { return true }
        return (0x21...0x7E).contains(first) && (0x21...0x7E).contains(last)
    }

    static func isOID(_ s: String) -> Bool {
        guard let first = s.first, first.isASCII, first.isNumber, s.contains(".") else { return false }
        var lastDot = false
        for c in s {
            if c == "." {
                if lastDot { return false }
                lastDot = true
            } else if c.isASCII && c.isNumber {
                lastDot = false
            } else {
                return false
            }
        }
        return !lastDot
    }

    /// A literal reference such as `ServiceRequest/abc` or `urn:uuid:…` (UUIDs lower-cased).
    public static func reference(_ reference: String) -> String {
        let lower = reference.lowercased()
        if lower.hasPrefix("urn:uuid:") { return "ref|" + lower }
        return "ref|" + reference
    }
}

/// A resource a FHIR message, transaction or batch carries that is none of the workflow's own
/// (requests, reports, Tasks, the patient): stored as it is, so nothing a sender sends is answered
/// as kept without being kept (e.g. an Appointment, an Organization, a Specimen).
public struct OtherResource: Sendable {
    public var type: String
    public var resource: JSONValue
    public var entryIndex: Int?

    public init(type: String, resource: JSONValue, entryIndex: Int?) {
        self.type = type
        self.resource = resource
        self.entryIndex = entryIndex
    }
}
