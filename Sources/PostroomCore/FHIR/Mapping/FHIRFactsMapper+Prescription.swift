extension FHIRFactsMapper {
    /// What the drop says about an EPS prescription (DOMAIN.md §5.4): an EPS message Bundle
    /// (order, cancellation, dispense notification), a release request (Parameters) or a return /
    /// withdraw Task. Nil for anything else.
    func prescriptionFacts() -> PrescriptionFacts? {
        if rootType == "Parameters" { return releaseFacts() }
        if let header = messageHeader {
            guard header.resource["eventCoding"]?["system"]?.string == EPSMessageRules.eventSystem else { return nil }
            return messageFacts(header)
        }
        for item in items where item.type == "Task" {
            if let facts = taskPrescriptionFacts(item) { return facts }
        }
        return nil
    }

    private func messageFacts(_ header: Item) -> PrescriptionFacts? {
        let event: PrescriptionFacts.Event
        switch header.resource["eventCoding"]?["code"]?.string {
        case "prescription-order": event = .order
        case "prescription-order-update": event = .cancel
        case "dispense-notification": event = .dispense
        default: return nil
        }
        var facts = PrescriptionFacts(event: event)
        facts.sender = odsCode(header.resource["sender"], from: header)
        for item in items where item.type == "MedicationRequest" {
            note(item, in: &facts)
            if facts.nominated == nil { facts.nominated = odsCode(item.resource["dispenseRequest"]?["performer"], from: item) }
            if facts.reason == nil { facts.reason = Self.conceptText(item.resource["statusReason"]) }
        }
        if event == .dispense {
            facts.notificationID = root["identifier"]?["value"]?.string.map(FHIRFactsMapper.normaliseID)
            facts.replacementOf = Self.replacementOf(header.resource) ?? Self.replacementOf(root)
            for item in items where item.type == "MedicationDispense" { facts.dispenses.append(dispense(item, into: &facts)) }
        }
        return facts
    }

    /// Adds a MedicationRequest as an item (and takes the prescription ids from its groupIdentifier).
    private func note(_ item: Item, in facts: inout PrescriptionFacts) {
        let r = item.resource
        if facts.prescriptionID == nil, let group = r["groupIdentifier"], let value = group["value"]?.string {
            facts.prescriptionID = value.uppercased()
            for e in group["extension"]?.array ?? [] where e["url"]?.string == PrescriptionFacts.longIDExtension {
                facts.longID = e["valueIdentifier"]?["value"]?.string?.lowercased()
            }
        }
        let number = Self.itemNumber(r) ?? r["id"]?.string ?? item.fullUrl ?? "item-\(item.entryIndex ?? facts.items.count)"
        facts.items.append(.init(number: number, resource: .object(r), entryIndex: item.entryIndex))
    }

    private func dispense(_ item: Item, into facts: inout PrescriptionFacts) -> PrescriptionFacts.Dispense {
        var number: String?
        for auth in item.resource["authorizingPrescription"]?.array ?? [] {
            if let target = resolve(auth, from: item) {
                number = Self.itemNumber(target.resource)
                if facts.prescriptionID == nil, let group = target.resource["groupIdentifier"]?["value"]?.string {
                    facts.prescriptionID = group.uppercased()
                }
            } else if let id = auth["identifier"], id["system"]?.string == PrescriptionFacts.itemNumberSystem {
                number = id["value"]?.string
            }
            if number != nil { break }
        }
        var type: String?
        for coding in item.resource["type"]?["coding"]?.array ?? [] where type == nil { type = coding["code"]?.string }
        return .init(itemNumber: number?.lowercased(), typeCode: type, resource: .object(item.resource), entryIndex: item.entryIndex)
    }

    /// A release request: `Parameters` with `group-identifier` and an `owner` organisation.
    private func releaseFacts() -> PrescriptionFacts? {
        var facts = PrescriptionFacts(event: .release)
        for p in root["parameter"]?.array ?? [] {
            switch p["name"]?.string {
            case "group-identifier": facts.prescriptionID = p["valueIdentifier"]?["value"]?.string?.uppercased()
            case "owner":
                for id in p["resource"]?["identifier"]?.elements ?? [] where facts.owner == nil { facts.owner = Self.odsValue(id) }
            default: continue
            }
        }
        return facts.prescriptionID == nil ? nil : facts
    }

    /// A return (reasonCode 33633005) or withdraw (code `abort`, reasonCode 373784005) Task.
    private func taskPrescriptionFacts(_ item: Item) -> PrescriptionFacts? {
        let r = item.resource
        let reasons = (r["reasonCode"]?["coding"]?.array ?? []).compactMap { $0["code"]?.string }
        let code = (r["code"]?["coding"]?.array ?? []).compactMap { $0["code"]?.string }
        let event: PrescriptionFacts.Event
        if reasons.contains(PrescriptionFacts.withdrawReason) && code.contains("abort") {
            event = .withdraw
        } else if reasons.contains(PrescriptionFacts.returnReason) {
            event = .returned
        } else {
            return nil
        }
        var facts = PrescriptionFacts(event: event)
        facts.prescriptionID = r["groupIdentifier"]?["value"]?.string?.uppercased()
        facts.focusIdentifier = r["focus"]?["identifier"]?["value"]?.string.map(FHIRFactsMapper.normaliseID)
        facts.owner = odsCode(r["owner"], from: item)
        facts.sender = odsCode(r["requester"], from: item) ?? Self.containedODS(r["requester"], in: r) ?? facts.owner
        facts.reason = Self.conceptText(r["statusReason"])
        facts.task = .object(r)
        facts.taskEntryIndex = item.entryIndex
        return facts
    }

    /// The ODS code behind a `#id` reference to a contained PractitionerRole (or Organization) whose
    /// organization is itself contained in the same resource, as EPS return Tasks carry their requester.
    static func containedODS(_ reference: JSONValue?, in r: JSONObject, depth: Int = 0) -> String? {
        guard depth < 3, let ref = reference?["reference"]?.string, ref.hasPrefix("#") else { return nil }
        let id = String(ref.dropFirst())
        guard let target = r["contained"]?.array?.first(where: { $0["id"]?.string == id }) else { return nil }
        for identifier in target["identifier"]?.elements ?? [] { if let code = odsValue(identifier) { return code } }
        return containedODS(target["organization"], in: r, depth: depth + 1)
    }

    static func itemNumber(_ r: JSONObject) -> String? {
        for id in r["identifier"]?.elements ?? [] where id["system"]?.string == PrescriptionFacts.itemNumberSystem {
            if let v = id["value"]?.string { return v.lowercased() }
        }
        return nil
    }

    /// `Extension-replacementOf` (on the MessageHeader or the Bundle): the notification replaced.
    static func replacementOf(_ r: JSONObject) -> String? {
        for e in r["extension"]?.array ?? [] where e["url"]?.string?.hasSuffix("replacementOf") == true {
            if let v = e["valueIdentifier"]?["value"]?.string ?? e["valueString"]?.string ?? e["valueId"]?.string {
                return normaliseID(v)
            }
        }
        return nil
    }

    /// A CodeableConcept as text: its text, else its first coding's display or code.
    static func conceptText(_ c: JSONValue?) -> String? {
        guard let c else { return nil }
        if let t = c["text"]?.string { return t }
        let first = c["coding"]?.array?.first
        return first?["display"]?.string ?? first?["code"]?.string
    }
}
