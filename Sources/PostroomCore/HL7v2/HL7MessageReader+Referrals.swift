extension HL7MessageReader {
    /// The referral ServiceRequest of a REF^I12, keyed by RF1-6 (originating referral identifier).
    mutating func referral(_ tree: HL7GroupNode, patient: PatientFacts?) -> [RequestFacts] {
        guard let rf1 = message.first("RF1") else {
            issues.append(.error(.segmentMissing, type: "structure", at: "RF1",
                                 "A referral needs an RF1 segment with the originating referral identifier (RF1-6)"))
            return []
        }
        let status = rf1.text(1, 1)
        table(rf1, 1, 1, status, HL7Tables.referralStatus.contains, "0283")
        guard require(rf1, 6, 1, "RF1-6 (originating referral identifier)"), checkUBRN(rf1),
              let key = orderKey(rf1.element(6), filler: false, defaultNamespace: sender) else { return [] }
        var sr = JSONObject()
        sr["resourceType"] = "ServiceRequest"
        sr["id"] = .string(HL7FHIR.id("v2sr", key.key))
        var identifiers = [Self.referralIdentifier(rf1.element(6), namespace: key.namespace)]
        var keys = key.keys
        if let external = orderKey(rf1.element(11), filler: true, defaultNamespace: receiver) {
            identifiers.append(HL7FHIR.identifier(rf1.element(11), type: "FILL", namespace: external.namespace))
            keys += external.keys
        }
        sr["identifier"] = .array(identifiers)
        sr["status"] = .string(status == "R" || status == "E" ? "revoked" : "active")
        sr["intent"] = "order"
        sr["category"] = [["coding": [["system": "http://snomed.info/sct", "code": "3457005", "display": "Patient referral"]]]]
        switch rf1.text(2, 1) {
        case "S": sr["priority"] = "stat"
        case "A": sr["priority"] = "asap"
        case "R": sr["priority"] = "routine"
        default: break
        }
        if let code = HL7FHIR.codeableConcept(rf1.element(3)) { sr["code"] = code }
        if let subject = Self.subject(patient) { sr["subject"] = subject }
        if let authored = dateTime(rf1, 7) { sr["authoredOn"] = .string(authored) }
        let reasons = rf1.field(10).repetitions.compactMap(HL7FHIR.codeableConcept)
        if !reasons.isEmpty { sr["reasonCode"] = .array(reasons) }
        for prd in message.segments("PRD") {
            let role = prd.text(1, 1)
            let name = [prd.text(2, 2), prd.text(2, 1)].filter { !$0.isEmpty }.joined(separator: " ")
            guard !name.isEmpty else { continue }
            if role == "RP", sr["requester"] == nil { sr["requester"] = ["display": .string(name)] }
            if role == "RT", sr["performer"] == nil { sr["performer"] = [["display": .string(name)]] }
        }
        let notes = notes(tree.directSegments)
        if !notes.isEmpty { sr["note"] = .array(notes) }
        return [RequestFacts(resource: .object(sr), keys: keys, event: .new, isReferral: true)]
    }

    /// The answer to a referral (RRI^I12): RF1-1 `A` accepted, `R` rejected, keyed by RF1-6.
    mutating func referralResponse(_ tree: HL7GroupNode, patient: PatientFacts?) -> [RequestFacts] {
        guard let rf1 = message.first("RF1") else {
            issues.append(.error(.segmentMissing, type: "structure", at: "RF1",
                                 "A referral response needs an RF1 segment with the referral status (RF1-1) and identifier (RF1-6)"))
            return []
        }
        let status = rf1.text(1, 1)
        guard require(rf1, 1, 1, "RF1-1 (referral status)"), table(rf1, 1, 1, status, HL7Tables.referralStatus.contains, "0283") else { return [] }
        // The response comes from the referred-to provider: the referral's namespace is the receiver's.
        // RF1-11 may name the referral's Task by its business identifier (`<value>^^<system>^URI`) instead.
        guard checkUBRN(rf1) else { return [] }
        let own = orderKey(rf1.element(6), filler: false, defaultNamespace: receiver)
        let external = orderKey(rf1.element(11), filler: true, defaultNamespace: sender)
        guard let key = own ?? external else {
            _ = require(rf1, 6, 1, "RF1-6 (originating referral identifier)")
            return []
        }
        var keys: [String] = []
        var identifiers: [JSONValue] = []
        if let own {
            keys += own.keys
            identifiers.append(Self.referralIdentifier(rf1.element(6), namespace: own.namespace))
        }
        if let external {
            keys += external.keys
            identifiers.append(HL7FHIR.identifier(rf1.element(11), type: "FILL", namespace: external.namespace))
        }
        // The reason of a rejection: RF1-10 (text, then code), else the response's NTE comments (RF1-3 is the referral type, not a reason).
        let noteText = notes(tree.directSegments).compactMap { $0["text"]?.string }.joined(separator: "\n")
        let reasonText = [rf1.text(10, 2), rf1.text(10, 1), noteText].first { !$0.isEmpty }
        let event: RequestEvent
        switch status {
        case "A": event = .accepted
        case "R": event = .rejected(reason: reasonText)
        default: event = .noted(status)
        }
        var sr = JSONObject()
        sr["resourceType"] = "ServiceRequest"
        sr["id"] = .string(HL7FHIR.id("v2sr", key.key))
        sr["identifier"] = .array(identifiers)
        sr["status"] = .string(status == "R" || status == "E" ? "revoked" : "active")
        sr["intent"] = "order"
        sr["category"] = [["coding": [["system": "http://snomed.info/sct", "code": "3457005", "display": "Patient referral"]]]]
        if let code = HL7FHIR.codeableConcept(rf1.element(3)) { sr["code"] = code }
        if let subject = Self.subject(patient) { sr["subject"] = subject }
        return [RequestFacts(resource: .object(sr), keys: keys, event: event, isReferral: true)]
    }

    /// RF1-6 as a FHIR Identifier: a UBRN (`<value>^UBRN`) with the NHS UBRN system, as FHIR senders write it.
    static func referralIdentifier(_ e: HL7Element, namespace: String) -> JSONValue {
        guard namespace.uppercased() == ReferralPlanner.ubrnNamespace else { return HL7FHIR.identifier(e, type: "PLAC", namespace: namespace) }
        return ["system": "https://fhir.nhs.uk/Id/ubrn", "value": .string(e.component(1).text)]
    }

    /// An RF1-6 in the UBRN namespace (`<value>^UBRN`) must be 12 digits; false (with the issue) when it is not.
    mutating func checkUBRN(_ rf1: HL7Segment) -> Bool {
        guard rf1.text(6, 2).uppercased() == ReferralPlanner.ubrnNamespace, !ReferralPlanner.isUBRN(rf1.text(6, 1)) else { return true }
        issues.append(.error(.ubrnFormat, type: "value", at: rf1.location(6).description, "A UBRN must be exactly 12 digits"))
        return false
    }
}
