/// Maps FHIR R4 content (a resource or a Bundle) to Postroom's format-neutral facts: requests,
/// reports, Tasks, the patient, de-duplication keys and what the answer needs.
struct FHIRFactsMapper {
    /// A resource of the drop, with the Bundle entry it sits in.
    struct Item {
        let resource: JSONObject
        let type: String
        let entryIndex: Int?
        let fullUrl: String?
    }

    let root: JSONObject
    let rootType: String
    let bundle: FHIRBundleIndex?
    /// The resources to map: the root, or the entries of a Bundle, in order.
    let items: [Item]
    /// Findings of the mapping itself (e.g. a report and its request naming different patients).
    var issues: [Issue] = []

    /// `index`, when given, is the index of `root` (a Bundle), made once for the validation and the mapping.
    init(root: JSONObject, index given: FHIRBundleIndex? = nil) {
        self.root = root
        rootType = root["resourceType"]?.string ?? ""
        if rootType == "Bundle" {
            let index = given ?? FHIRBundleIndex(bundle: root)
            bundle = index
            items = index.entries.compactMap { e in
                guard let r = e.resource, let t = e.resourceType else { return nil }
                return Item(resource: r, type: t, entryIndex: e.index, fullUrl: e.fullUrl)
            }
        } else {
            bundle = nil
            items = [Item(resource: root, type: rootType, entryIndex: nil, fullUrl: nil)]
        }
    }

    /// The message of the drop with all its facts; `issues` are added by the caller.
    mutating func map() -> InboundMessage {
        let bundleType = rootType == "Bundle" ? root["type"]?.string : nil
        var message = InboundMessage(format: .fhir, type: bundleType.map { "Bundle/\($0)" } ?? rootType,
                                     dedupeKeys: dedupeKeys(), answer: answerContext())
        if bundleType == "document" {
            if let report = documentReport() { message.reports.append(report) }
        } else {
            for item in items {
                switch item.type {
                case "ServiceRequest": message.requests.append(requestFacts(item))
                case "DiagnosticReport": message.reports.append(reportFacts(item))
                case "Task": message.tasks.append(taskFacts(item))
                default: continue
                }
            }
        }
        message.patient = patientFacts(message)
        if bundleType != "document" { message.otherResources = otherResources(message) }
        for item in items {
            guard let full = item.fullUrl else { continue }
            if let id = item.resource["id"]?.string {
                message.referenceAliases[full] = item.type + "/" + id
            } else if let entry = item.entryIndex {
                message.entryFullUrls[entry] = full
            }
        }
        checkPatientConsistency()
        message.prescription = prescriptionFacts()
        return message
    }

    /// The entries none of the workflow's facts stand for: not the envelope (MessageHeader), not a
    /// request, report, Task or Patient (the message's patient is stored as such), not an Observation
    /// a report lists.
    func otherResources(_ message: InboundMessage) -> [OtherResource] {
        guard rootType == "Bundle" else {
            // A resource on its own (e.g. an Appointment sent again as `noshow`) is kept as one of a Bundle would be;
            // so is an OperationOutcome (a peer's answer: kept, readable by id, never answered).
            switch rootType {
            case "MessageHeader", "ServiceRequest", "DiagnosticReport", "Task", "Patient", "": return []
            default: return [OtherResource(type: rootType, resource: .object(root), entryIndex: nil)]
            }
        }
        var covered = Set(message.reports.flatMap(\.observationEntries).compactMap { $0 })
        if let p = message.patient?.entryIndex { covered.insert(p) }
        return items.compactMap { item in
            guard let entry = item.entryIndex, !covered.contains(entry) else { return nil }
            switch item.type {
            case "MessageHeader", "ServiceRequest", "DiagnosticReport", "Task", "Patient": return nil
            default: return OtherResource(type: item.type, resource: .object(item.resource), entryIndex: entry)
            }
        }
    }

    // MARK: Identifiers and references

    /// The key of one Identifier: `plac|…`/`fill|…` when typed PLAC/FILL, `id|system|value` otherwise.
    static func identifierKey(_ identifier: JSONValue) -> String? {
        guard let value = identifier["value"]?.string, !value.isEmpty else { return nil }
        let type = identifierTypeCode(identifier)
        var system = identifier["system"]?.string ?? ""
        if system.isEmpty, type == "PLAC" || type == "FILL", let assigner = identifier["assigner"]?["display"]?.string {
            // An order number with no system names its namespace as v2 does (EI.2), e.g. as mapped from v2.
            system = assigner
        }
        let v = FHIRIdentifierRules.normalisedValue(value, system: system)
        switch type {
        case "PLAC": return CorrelationKey.placer(namespace: system, value: v)
        case "FILL": return CorrelationKey.filler(namespace: system, value: v)
        default: return CorrelationKey.identifier(system: system, value: v)
        }
    }

    /// The v2-0203 code of `Identifier.type` (PLAC, FILL, …), when there is one.
    static func identifierTypeCode(_ identifier: JSONValue) -> String? {
        for coding in identifier["type"]?["coding"]?.array ?? [] {
            let system = coding["system"]?.string ?? ""
            if system.isEmpty || system.hasSuffix("v2-0203"), let code = coding["code"]?.string { return code }
        }
        return nil
    }

    /// Keys naming a resource: `ref|Type/id`, `ref|<fullUrl>`, and its identifiers.
    static func identityKeys(of resource: JSONObject, type: String, fullUrl: String?) -> [String] {
        var keys: [String] = []
        if let id = resource["id"]?.string { keys.append(CorrelationKey.reference(type + "/" + id)) }
        if let fullUrl {
            let k = CorrelationKey.reference(fullUrl)
            if !keys.contains(k) { keys.append(k) }
        }
        for identifier in resource["identifier"]?.elements ?? [] {
            if let k = identifierKey(identifier), !keys.contains(k) { keys.append(k) }
        }
        return keys
    }

    /// The resource a Reference points at, inside the Bundle or among the contained resources.
    func resolve(_ reference: JSONValue, from item: Item) -> Item? {
        guard let ref = reference["reference"]?.string else { return nil }
        if ref.hasPrefix("#") {
            let id = String(ref.dropFirst())
            for c in item.resource["contained"]?.array ?? [] where c["id"]?.string == id {
                guard let o = c.object, let t = o["resourceType"]?.string else { return nil }
                return Item(resource: o, type: t, entryIndex: item.entryIndex, fullUrl: nil)
            }
            return nil
        }
        guard let bundle, let entry = bundle.resolve(ref, from: item.entryIndex), let r = entry.resource,
              let t = entry.resourceType else { return nil }
        return Item(resource: r, type: t, entryIndex: entry.index, fullUrl: entry.fullUrl)
    }

    /// Keys for what a Reference names: the target's own keys when it resolves, the literal
    /// reference (and `Type/id` of an absolute URL), and its logical identifier.
    func referenceKeys(_ reference: JSONValue, from item: Item) -> [String] {
        var keys: [String] = []
        func add(_ k: String) { if !keys.contains(k) { keys.append(k) } }
        if let target = resolve(reference, from: item) {
            for k in Self.identityKeys(of: target.resource, type: target.type, fullUrl: target.fullUrl) { add(k) }
        }
        if let ref = reference["reference"]?.string, !ref.hasPrefix("#") {
            add(CorrelationKey.reference(FHIRBundleIndex.stripHistory(ref)))
            if let parts = FHIRBundleIndex.restfulParts(ref) { add(CorrelationKey.reference(parts.type + "/" + parts.id)) }
        }
        if let identifier = reference["identifier"], let k = Self.identifierKey(identifier) { add(k) }
        return keys
    }

    /// The ODS code behind a Reference: its identifier, or the Organization (or PractitionerRole's
    /// organization) it resolves to.
    func odsCode(_ reference: JSONValue?, from item: Item, depth: Int = 0) -> String? {
        guard let reference, depth < 3 else { return nil }
        if let code = Self.odsValue(reference["identifier"]) { return code }
        guard let target = resolve(reference, from: item) else { return nil }
        for identifier in target.resource["identifier"]?.elements ?? [] {
            if let code = Self.odsValue(identifier) { return code }
        }
        if target.type == "PractitionerRole" {
            return odsCode(target.resource["organization"], from: target, depth: depth + 1)
        }
        return nil
    }

    static func odsValue(_ identifier: JSONValue?) -> String? {
        guard let identifier, let system = identifier["system"]?.string,
              system == FHIRIdentifierRules.odsOrganizationSystem || system == FHIRIdentifierRules.odsSiteSystem else { return nil }
        return identifier["value"]?.string
    }
}
