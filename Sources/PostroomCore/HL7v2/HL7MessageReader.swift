/// Reads one parsed message into facts, collecting issues as it goes (the mapping state).
struct HL7MessageReader {
    let message: HL7Message
    let options: DecodeOptions
    let zone: HL7TimeZone
    var issues: [Issue] = []
    /// MSH-3 HD.1 (sender) and MSH-5 HD.1 (receiver): default namespaces of order numbers.
    let sender: String
    let receiver: String

    init(message: HL7Message, options: DecodeOptions, zone: HL7TimeZone) {
        self.message = message
        self.options = options
        self.zone = zone
        let msh = message.segment(0)
        sender = Self.hd1(msh.element(3))
        receiver = Self.hd1(msh.element(5))
    }

    /// HD.1, else HD.2 (the universal id).
    static func hd1(_ e: HL7Element) -> String {
        let a = e.component(1).text
        return a.isEmpty ? e.component(2).text : a
    }

    // MARK: Checks

    /// Reports a missing required value; returns whether it is present.
    @discardableResult
    mutating func require(_ seg: HL7Segment, _ field: Int, _ component: Int = 0, _ name: String) -> Bool {
        if seg.has(field, component) { return true }
        issues.append(.error(.requiredFieldMissing, type: "required", at: seg.location(field, component == 0 ? nil : component).description,
                             "\(name) is required"))
        return false
    }

    /// Reports a value outside its table; returns whether it is in it (or empty).
    @discardableResult
    mutating func table(_ seg: HL7Segment, _ field: Int, _ component: Int = 0, _ value: String, _ allowed: (String) -> Bool,
                        _ table: String, severity: Issue.Severity = .error) -> Bool {
        if value.isEmpty || allowed(value) { return true }
        issues.append(Issue(severity, .tableValue, type: "code-invalid", at: seg.location(field, component == 0 ? nil : component).description,
                            "The value is not in HL7 table \(table)"))
        return false
    }

    /// A FHIR dateTime from a DTM field, reporting a malformed value.
    mutating func dateTime(_ seg: HL7Segment, _ field: Int, _ component: Int = 0, severity: Issue.Severity = .error) -> String? {
        let e = seg.element(field, component == 0 ? 1 : component)
        guard e.isPresent else { return nil }
        guard let dt = e.withBytes({ HL7Timestamp(bytes: $0) }) else {
            issues.append(Issue(severity, .dataType, type: "value", at: seg.location(field, component == 0 ? nil : component).description,
                                "The value is not a valid HL7 date/time (YYYY[MM[DD[HH[MM[SS]]]]][+/-ZZZZ])"))
            return nil
        }
        return dt.fhirDateTime(zone: zone)
    }

    /// `dateTime` without the report: nil for an empty or malformed value (for a build whose checks are
    /// recorded elsewhere).
    func dateTimeValue(_ seg: HL7Segment, _ field: Int) -> String? {
        let e = seg.element(field, 1)
        guard e.isPresent, let dt = e.withBytes({ HL7Timestamp(bytes: $0) }) else { return nil }
        return dt.fhirDateTime(zone: zone)
    }

    /// A FHIR instant (needs a time to the minute) from a DTM field.
    mutating func instant(_ seg: HL7Segment, _ field: Int) -> String? {
        let e = seg.element(field, 1)
        guard e.isPresent else { return nil }
        guard let dt = e.withBytes({ HL7Timestamp(bytes: $0) }) else {
            issues.append(.error(.dataType, type: "value", at: seg.location(field).description,
                                 "The value is not a valid HL7 date/time (YYYY[MM[DD[HH[MM[SS]]]]][+/-ZZZZ])"))
            return nil
        }
        return dt.hasTime ? dt.fhirDateTime(zone: zone) : nil
    }

    // MARK: Order numbers

    /// An order number (EI) as a correlation key with its namespace; nil when empty. `keys` also
    /// holds the key under EI.3 (the universal id, `urn:oid:` when EI.4 is `ISO`) when EI.2 names
    /// the namespace too, so an order meets results that name either.
    func orderKey(_ e: HL7Element, filler: Bool, defaultNamespace: String) -> OrderKey? {
        let value = e.component(1).text
        guard !value.isEmpty else { return nil }
        let ns = HL7FHIR.namespace(e, fallback: defaultNamespace)
        let make = filler ? CorrelationKey.filler : CorrelationKey.placer
        var keys = [make(ns, value)]
        if !e.component(2).text.isEmpty, let universal = HL7FHIR.universalNamespace(e) {
            let alt = make(universal, value)
            if alt != keys[0] { keys.append(alt) }
        }
        return OrderKey(key: keys[0], namespace: ns, keys: keys)
    }

    /// An order number's correlation keys: `key` (EI.2 or EI.3 or the default namespace) first.
    struct OrderKey {
        var key: String
        var namespace: String
        var keys: [String]
    }

    /// Reports two order numbers that should agree (ORC-2/OBR-2, ORC-3/OBR-3) but do not.
    mutating func checkAgreement(_ a: HL7Element, _ b: HL7Element, at seg: HL7Segment, field: Int, name: String) {
        guard a.isPresent, b.isPresent else { return }
        let idA = a.component(1).text, idB = b.component(1).text
        let nsA = a.component(2).text, nsB = b.component(2).text
        if idA != idB || (!nsA.isEmpty && !nsB.isEmpty && nsA != nsB) {
            issues.append(.error(.orderNumberMismatch, type: "business-rule", at: seg.location(field).description,
                                 "The \(name) in ORC and OBR must agree"))
        }
    }

    /// The text of all NTE-3 values among `segments`, one note each.
    func notes(_ indices: [Int]) -> [JSONValue] {
        guard indices.count > 1 || indices.first.map({ message.segmentID($0) == "NTE" }) == true else { return [] }
        return indices.compactMap { i in
            guard message.segmentID(i) == "NTE" else { return nil }
            let s = message.segment(i)
            let text = s.field(3).repetitions.map(\.text).joined(separator: "\n")
            return text.isEmpty ? nil : ["text": .string(text)]
        }
    }
}
