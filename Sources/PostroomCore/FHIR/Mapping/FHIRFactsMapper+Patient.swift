extension FHIRFactsMapper {
    /// The patient of the message: the subject of its first request, report, Task (`for`) or
    /// Composition, resolved to a Patient resource when the drop carries one; else the first Patient.
    func patientFacts(_ message: InboundMessage) -> PatientFacts? {
        for item in items {
            let subject: JSONValue?
            switch item.type {
            case "ServiceRequest", "DiagnosticReport", "Composition": subject = item.resource["subject"]
            case "Task": subject = item.resource["for"]
            default: subject = nil
            }
            guard let subject else { continue }
            if let target = resolve(subject, from: item), target.type == "Patient" { return Self.patientFacts(of: target) }
            let facts = subjectFacts(subject)
            if !facts.isEmpty { return facts }
        }
        if let patient = items.first(where: { $0.type == "Patient" }) { return Self.patientFacts(of: patient) }
        return nil
    }

    /// Facts of a Patient resource: a valid NHS number, other identifiers, its literal references.
    static func patientFacts(of item: Item) -> PatientFacts {
        var nhs: String?
        var keys: Set<String> = []
        for identifier in item.resource["identifier"]?.elements ?? [] {
            guard let value = identifier["value"]?.string else { continue }
            let system = identifier["system"]?.string ?? ""
            if system == NHSNumber.system {
                if nhs == nil, case .valid(let bare) = NHSNumber.check(value) { nhs = bare }
                continue
            }
            keys.insert(CorrelationKey.identifier(system: system, value: FHIRIdentifierRules.normalisedValue(value, system: system)))
        }
        if let id = item.resource["id"]?.string { keys.insert(CorrelationKey.reference("Patient/" + id)) }
        if let fullUrl = item.fullUrl { keys.insert(CorrelationKey.reference(fullUrl)) }
        var facts = PatientFacts(nhsNumber: nhs, keys: keys, resource: .object(item.resource))
        facts.entryIndex = item.entryIndex
        return facts
    }

    /// Facts from a subject Reference that names no resource of the drop (its identifier and literal reference).
    func subjectFacts(_ subject: JSONValue) -> PatientFacts {
        var nhs: String?
        var keys: Set<String> = []
        if let identifier = subject["identifier"], let value = identifier["value"]?.string {
            let system = identifier["system"]?.string ?? ""
            if system == NHSNumber.system {
                if case .valid(let bare) = NHSNumber.check(value) { nhs = bare }
            } else {
                keys.insert(CorrelationKey.identifier(system: system, value: FHIRIdentifierRules.normalisedValue(value, system: system)))
            }
        }
        if let ref = subject["reference"]?.string, !ref.hasPrefix("#") {
            keys.insert(CorrelationKey.reference(ref))
            if let parts = FHIRBundleIndex.restfulParts(ref) { keys.insert(CorrelationKey.reference(parts.type + "/" + parts.id)) }
        }
        return PatientFacts(nhsNumber: nhs, keys: keys)
    }

    /// The patient keys of a subject reference, resolved where possible.
    func patientKeys(_ subject: JSONValue?, from item: Item) -> (keys: Set<String>, entry: Int?) {
        guard let subject else { return ([], nil) }
        if let target = resolve(subject, from: item), target.type == "Patient" {
            return (Self.patientFacts(of: target).keys, target.entryIndex)
        }
        return (subjectFacts(subject).keys, nil)
    }

    /// Inside one drop, a report (or Task) must be about the same patient as the request it names
    /// (DESIGN.md safety rule 4): when both sides resolve and share no key, that is an error.
    mutating func checkPatientConsistency() {
        for item in items where item.type == "DiagnosticReport" || item.type == "Task" {
            let subjectName = item.type == "Task" ? "for" : "subject"
            let mine = patientKeys(item.resource[subjectName], from: item)
            guard !mine.keys.isEmpty else { continue }
            let targets = item.type == "Task" ? [item.resource["focus"]].compactMap { $0 } : item.resource["basedOn"]?.array ?? []
            for target in targets {
                guard let request = resolve(target, from: item), request.type == "ServiceRequest" else { continue }
                let theirs = patientKeys(request.resource["subject"], from: request)
                guard !theirs.keys.isEmpty, mine.keys.isDisjoint(with: theirs.keys) else { continue }
                let myNHS = mine.keys.filter { $0.hasPrefix("nhs|") }
                let theirNHS = theirs.keys.filter { $0.hasPrefix("nhs|") }
                let differentNHS = !myNHS.isEmpty && !theirNHS.isEmpty
                let differentEntries = mine.entry != nil && theirs.entry != nil && mine.entry != theirs.entry
                guard differentNHS || differentEntries else { continue }
                let at = item.entryIndex.map { "Bundle.entry[\($0)].resource.\(subjectName)" } ?? "\(item.type).\(subjectName)"
                issues.append(.error(.patientMismatch, type: "business-rule", at: at,
                                     "The \(item.type) is about a different patient than the ServiceRequest it names"))
            }
        }
    }
}
