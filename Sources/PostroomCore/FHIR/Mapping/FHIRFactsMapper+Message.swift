extension FHIRFactsMapper {
    /// The MessageHeader of a message Bundle: the first entry, or failing that (bdl-12) any entry.
    var messageHeader: Item? {
        guard rootType == "Bundle", root["type"]?.string == "message" else { return nil }
        if let first = items.first, first.type == "MessageHeader", first.entryIndex == 0 { return first }
        return items.first { $0.type == "MessageHeader" }
    }

    /// De-duplication keys of a Bundle (DOMAIN.md §4.3): `fhir-bundle|<Bundle.id>`,
    /// `fhir-header|<MessageHeader.id>` (messages), `fhir-identifier|<system>|<value>`; UUIDs lower-cased.
    func dedupeKeys() -> [String] {
        guard rootType == "Bundle" else { return [] }
        var keys: [String] = []
        if let id = root["id"]?.string, !id.isEmpty { keys.append("fhir-bundle|" + Self.normaliseID(id)) }
        if let header = messageHeader, let id = header.resource["id"]?.string, !id.isEmpty {
            keys.append("fhir-header|" + Self.normaliseID(id))
        }
        if let identifier = root["identifier"], let value = identifier["value"]?.string, !value.isEmpty {
            let system = identifier["system"]?.string ?? ""
            keys.append("fhir-identifier|\(system)|\(FHIRIdentifierRules.normalisedValue(value, system: system))")
        }
        return keys
    }

    /// Ids compared case-insensitively when they are UUIDs (or `urn:uuid:` URNs).
    static func normaliseID(_ id: String) -> String {
        FHIRIdentifierRules.isUUID(id) || id.lowercased().hasPrefix("urn:uuid:") ? id.lowercased() : id
    }

    /// What the acknowledgement needs: the message's ids, event and source for a message Bundle
    /// with a MessageHeader; the resource type and id otherwise.
    func answerContext() -> AnswerContext {
        guard let header = messageHeader?.resource else {
            return .fhirResource(type: rootType, id: root["id"]?.string)
        }
        var ctx = FHIRMessageContext(bundleID: root["id"]?.string, messageHeaderID: header["id"]?.string)
        if let coding = header["eventCoding"] {
            ctx.eventSystem = coding["system"]?.string
            ctx.eventCode = coding["code"]?.string
        } else if let uri = header["eventUri"]?.string {
            ctx.eventCode = uri
        }
        ctx.sourceEndpoint = header["source"]?["endpoint"]?.string
        ctx.sourceName = header["source"]?["name"]?.string
        ctx.isResponse = header["response"] != nil && !Self.requestEventsQuotingAMessage.contains(ctx.eventCode ?? "")
        return .fhirMessage(ctx)
    }

    /// Events that are requests although their MessageHeader carries `response`: EPS dispense
    /// messages quote the prescription-order they follow in `response.identifier`.
    static let requestEventsQuotingAMessage: Set<String> = ["dispense-notification", "dispense-claim"]

    /// The entries of a transaction or batch Bundle, with their issues and conditional references.
    func batchContext(issues: [Issue], conditionals: [FHIRConditionalReferenceUse]) -> FHIRBatchContext? {
        guard rootType == "Bundle", let bundle, let kind = FHIRBatchContext.Kind(rawValue: root["type"]?.string ?? "") else {
            return nil
        }
        let split = FHIRBatchContext.split(issues, entryCount: bundle.entries.count)
        let raw = root["entry"]?.array ?? []
        var entries: [FHIRBatchContext.Entry] = []
        for e in bundle.entries {
            let request = raw.indices.contains(e.index) ? raw[e.index]["request"] : nil
            entries.append(FHIRBatchContext.Entry(
                index: e.index, method: request?["method"]?.string ?? "", url: request?["url"]?.string ?? "",
                ifNoneExist: request?["ifNoneExist"]?.string, fullUrl: e.fullUrl, resourceType: e.resourceType,
                resourceID: e.id, issues: split.perEntry[e.index],
                conditionalReferences: conditionals.filter { $0.entryIndex == e.index }))
        }
        return FHIRBatchContext(kind: kind, bundleID: root["id"]?.string, entries: entries, bundleIssues: split.rest)
    }
}
