extension FHIRFactsMapper {
    /// SNOMED CT concepts that mark a ServiceRequest as a referral.
    static let referralConcepts: Set<String> = ["3457005", "306206005"]

    /// A ServiceRequest as a request: keys, the event its status means, and whether it is a referral.
    func requestFacts(_ item: Item) -> RequestFacts {
        let status = item.resource["status"]?.string ?? "unknown"
        let isReferral = Self.isReferral(item.resource)
        var keys = Self.identityKeys(of: item.resource, type: item.type, fullUrl: item.fullUrl)
        if !isReferral { keys = Self.qualifyingUBRNKeys(keys, of: item.resource) }
        return RequestFacts(resource: .object(item.resource), keys: keys,
                            event: Self.requestEvent(status: status, resource: item.resource),
                            isReferral: isReferral, entryIndex: item.entryIndex)
    }

    /// eRS gives an advice-and-guidance request the UBRN of the referral it goes with (corpus
    /// `ers_ResponseExampleReferralAndAdvice.json`): the UBRN names the referral, so a request that
    /// is not a referral is keyed by the UBRN qualified with its code (`…/Id/UBRN#advice-and-guidance`),
    /// a request of its own that is neither the referral nor an update of it.
    static func qualifyingUBRNKeys(_ keys: [String], of resource: JSONObject) -> [String] {
        let kind = resource["code"]?["coding"]?.array?.first?["code"]?.string ?? "request"
        return keys.map { key in
            for system in ReferralPlanner.ubrnSystems {
                let prefix = CorrelationKey.identifier(system: system, value: "")
                if key.hasPrefix(prefix) {
                    return CorrelationKey.identifier(system: system + "#" + kind, value: String(key.dropFirst(prefix.count)))
                }
            }
            return key
        }
    }

    /// ServiceRequest.status → request event: active/draft new, revoked/entered-in-error cancelled,
    /// on-hold on hold, completed (and unknown) noted.
    static func requestEvent(status: String, resource: JSONObject) -> RequestEvent {
        switch status {
        case "active", "draft": .new
        case "revoked", "entered-in-error": .cancelled(reason: nil)
        case "on-hold": .onHold
        default: .noted(status)
        }
    }

    /// The referral rule: a category or code coding with SNOMED CT 3457005 "Patient referral" or
    /// 306206005 "Referral to service", or a category coding whose code is `referral` (e-RS, BaRS).
    static func isReferral(_ resource: JSONObject) -> Bool {
        let categories = resource["category"]?.elements ?? []
        for concept in categories + [resource["code"] ?? .null] {
            for coding in concept["coding"]?.array ?? [] {
                guard let code = coding["code"]?.string else { continue }
                if coding["system"]?.string == "http://snomed.info/sct", referralConcepts.contains(code) { return true }
            }
        }
        for concept in categories {
            for coding in concept["coding"]?.array ?? [] where coding["code"]?.string?.lowercased() == "referral" { return true }
        }
        return false
    }

    /// A DiagnosticReport with the Observations it references (in the Bundle or contained).
    func reportFacts(_ item: Item) -> ReportFacts {
        let r = item.resource
        var observations: [JSONValue] = []
        var observationEntries: [Int?] = []
        for result in r["result"]?.array ?? [] {
            if let target = resolve(result, from: item), target.type == "Observation" {
                observations.append(.object(target.resource))
                observationEntries.append(target.entryIndex == item.entryIndex ? nil : target.entryIndex)
            }
        }
        var requestKeys: [String] = []
        func add(_ k: String) { if !requestKeys.contains(k) { requestKeys.append(k) } }
        for basedOn in r["basedOn"]?.array ?? [] {
            for k in referenceKeys(basedOn, from: item) { add(k) }
        }
        // A report's own PLAC/FILL identifiers name its order too (DOMAIN.md §3.4).
        for identifier in r["identifier"]?.array ?? [] {
            let type = Self.identifierTypeCode(identifier)
            if type == "PLAC" || type == "FILL", let k = Self.identifierKey(identifier) { add(k) }
        }
        var facts = ReportFacts(kind: .diagnosticReport, resource: .object(r), observations: observations, requestKeys: requestKeys,
                                identity: reportIdentity(item), status: r["status"]?.string ?? "unknown", entryIndex: item.entryIndex)
        facts.observationEntries = observationEntries
        return facts
    }

    /// The key that stays the same across versions of a report: its first identifier that is not
    /// the placer's, else its id, else its fullUrl, else its place in the Bundle.
    func reportIdentity(_ item: Item) -> String {
        let identifiers = item.resource["identifier"]?.array ?? []
        let preferred = identifiers.first { Self.identifierTypeCode($0) != "PLAC" && $0["value"]?.string != nil }
            ?? identifiers.first { $0["value"]?.string != nil }
        if let identifier = preferred, let value = identifier["value"]?.string {
            let system = identifier["system"]?.string ?? ""
            return "fhir-report|\(system)|\(FHIRIdentifierRules.normalisedValue(value, system: system))"
        }
        if let id = item.resource["id"]?.string { return "fhir-report|" + CorrelationKey.reference("DiagnosticReport/" + id) }
        if let fullUrl = item.fullUrl { return "fhir-report|" + CorrelationKey.reference(fullUrl) }
        return "fhir-report|bundle|\(root["id"]?.string ?? "")|\(item.entryIndex ?? 0)"
    }

    /// A Task: its keys, status, focus and parent keys, and the ODS codes of owner and requester.
    func taskFacts(_ item: Item) -> TaskFacts {
        let r = item.resource
        var partOf: [String] = []
        for parent in r["partOf"]?.array ?? [] {
            for k in referenceKeys(parent, from: item) where !partOf.contains(k) { partOf.append(k) }
        }
        return TaskFacts(resource: .object(r), keys: Self.identityKeys(of: r, type: "Task", fullUrl: item.fullUrl),
                         status: r["status"]?.string ?? "unknown",
                         focusKeys: r["focus"].map { referenceKeys($0, from: item) } ?? [],
                         partOfKeys: partOf,
                         ownerODS: odsCode(r["owner"], from: item), requesterODS: odsCode(r["requester"], from: item),
                         entryIndex: item.entryIndex)
    }
}
