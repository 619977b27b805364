extension FHIRFactsMapper {
    /// A `document` Bundle (Composition first) as a report of kind `.document`, with a
    /// DocumentReference built from the Composition and the Bundle's identifier.
    func documentReport() -> ReportFacts? {
        guard let first = items.first, first.type == "Composition", first.entryIndex == 0 else { return nil }
        let c = first.resource
        let compositionStatus = c["status"]?.string ?? "unknown"
        var doc = JSONObject()
        doc["resourceType"] = "DocumentReference"
        if let identifier = root["identifier"], identifier.object != nil { doc["masterIdentifier"] = identifier }
        if let identifier = c["identifier"], identifier.object != nil { doc["identifier"] = .array([identifier]) }
        doc["status"] = .string(compositionStatus == "entered-in-error" ? "entered-in-error" : "current")
        if ["preliminary", "final", "amended", "entered-in-error"].contains(compositionStatus) {
            doc["docStatus"] = .string(compositionStatus)
        }
        doc["type"] = c["type"]
        doc["category"] = c["category"]
        doc["subject"] = c["subject"]
        if let date = Self.instant(c["date"]?.string) ?? Self.instant(root["timestamp"]?.string) { doc["date"] = .string(date) }
        doc["author"] = c["author"]
        doc["custodian"] = c["custodian"]
        var relates: [JSONValue] = []
        for r in c["relatesTo"]?.array ?? [] {
            guard let code = r["code"]?.string else { continue }
            var target = JSONObject()
            if let ref = r["targetReference"]?.object { target = ref }
            if let identifier = r["targetIdentifier"] { target["identifier"] = identifier }
            guard !target.isEmpty else { continue }
            relates.append(.object(JSONObject(["code": .string(code), "target": .object(target)])))
        }
        if !relates.isEmpty { doc["relatesTo"] = .array(relates) }
        doc["description"] = c["title"]
        var attachment = JSONObject(["contentType": "application/fhir+json"])
        if let value = root["identifier"]?["value"]?.string, value.hasPrefix("urn:") || value.hasPrefix("http") {
            attachment["url"] = .string(value)
        }
        if let title = c["title"] { attachment["title"] = title }
        doc["content"] = .array([.object(JSONObject(["attachment": .object(attachment)]))])
        if let encounter = c["encounter"] { doc["context"] = .object(JSONObject(["encounter": .array([encounter])])) }
        return ReportFacts(kind: .document, resource: .object(doc), requestKeys: documentRequestKeys(first), identity: documentIdentity(),
                           status: compositionStatus, replaces: replacedDocument(c), entryIndex: nil)
    }

    /// The requests a document answers: what `Composition.event.detail` names, the `basedOn` of the
    /// DiagnosticReports it carries, and the ServiceRequests it carries (the order it fulfils).
    func documentRequestKeys(_ composition: Item) -> [String] {
        var keys: [String] = []
        func add(_ list: [String]) { for k in list where !keys.contains(k) { keys.append(k) } }
        for event in composition.resource["event"]?.array ?? [] {
            for detail in event["detail"]?.array ?? [] {
                let target = resolve(detail, from: composition)
                let literal = detail["reference"]?.string ?? ""
                let named = detail["type"]?.string ?? target?.type ?? (literal.hasPrefix("ServiceRequest/") || literal.contains("/ServiceRequest/") ? "ServiceRequest" : nil)
                if named == "ServiceRequest" { add(referenceKeys(detail, from: composition)) }
            }
        }
        for item in items {
            switch item.type {
            case "DiagnosticReport":
                for basedOn in item.resource["basedOn"]?.array ?? [] { add(referenceKeys(basedOn, from: item)) }
            case "ServiceRequest":
                add(Self.identityKeys(of: item.resource, type: item.type, fullUrl: item.fullUrl).filter { !$0.hasPrefix("ref|") })
            default:
                continue
            }
        }
        return keys
    }

    /// `fhir-document|<system>|<value>` from Bundle.identifier (the Bundle id when there is none).
    func documentIdentity() -> String {
        if let identifier = root["identifier"], let value = identifier["value"]?.string {
            let system = identifier["system"]?.string ?? ""
            return "fhir-document|\(system)|\(FHIRIdentifierRules.normalisedValue(value, system: system))"
        }
        return "fhir-document|bundle|\(root["id"]?.string ?? "")"
    }

    /// The identity of the document this one replaces (`Composition.relatesTo` code `replaces`).
    func replacedDocument(_ composition: JSONObject) -> String? {
        for r in composition["relatesTo"]?.array ?? [] where r["code"]?.string == "replaces" {
            if let identifier = r["targetIdentifier"], let value = identifier["value"]?.string {
                let system = identifier["system"]?.string ?? ""
                return "fhir-document|\(system)|\(FHIRIdentifierRules.normalisedValue(value, system: system))"
            }
            if let ref = r["targetReference"]?["reference"]?.string {
                return "fhir-document|" + CorrelationKey.reference(ref)
            }
        }
        return nil
    }

    /// The text when it is a valid FHIR `instant` (DocumentReference.date needs one).
    static func instant(_ text: String?) -> String? {
        guard let text, FHIRPrimitive.instant.formatProblem(text) == nil else { return nil }
        return text
    }
}
