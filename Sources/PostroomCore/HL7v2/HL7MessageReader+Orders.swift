extension HL7MessageReader {
    /// ORC-1 codes sent by the placer (the others come from the filler): they decide whose
    /// application names an order number that carries no namespace of its own.
    static let placerOrderControls: Set<String> = ["NW", "CA", "DC", "HD", "RL", "XO", "SN", "RP", "RU", "CH", "RO", "PA"]

    /// The request event of an ORC-1 code (with ORC-5 for `SC`, ORC-16 as the reason).
    static func event(orderControl: String, orderStatus: String, reason: String?) -> RequestEvent {
        switch orderControl {
        case "NW": return .new
        case "OK": return .accepted
        case "CA": return .cancelRequested
        case "CR", "OC", "DC", "OD", "DR": return .cancelled(reason: reason)
        case "UA": return .rejected(reason: reason)
        case "OH", "HR": return .onHold
        case "RL": return .released
        case "SC":
            switch orderStatus {
            case "IP", "SC", "A": return .inProgress
            case "CA", "DC", "RP": return .cancelled(reason: reason)
            case "HD": return .onHold
            default: return .noted(orderStatus.isEmpty ? "SC" : "SC^" + orderStatus)
            }
        default: return .noted(orderControl)
        }
    }

    /// Checks an OBX sent with an order (ask-at-order-entry answers): its value against OBX-2.
    mutating func checkOrderObservation(_ obx: HL7Segment) {
        let type = obx.text(2, 1)
        guard obx.field(5).isPresent else { return }
        guard require(obx, 2, 0, "OBX-2 (value type)"), table(obx, 2, 1, type, HL7Tables.valueTypes.contains, "0125") else { return }
        checkValue(obx, type: type)
    }

    /// One request per ORDER group of an ORM^O01 / OML^O21.
    mutating func orders(_ tree: HL7GroupNode, patient: PatientFacts?) -> [RequestFacts] {
        var out: [RequestFacts] = []
        for order in tree.groups("ORDER") {
            guard let orcIndex = order.directSegments.first(where: { message.segmentID($0) == "ORC" }) else { continue }
            let orc = message.segment(orcIndex)
            let detail = order.children("ORDER_DETAIL").first ?? order.children("OBSERVATION_REQUEST").first
            let obr = detail?.directSegments.first { message.segmentID($0) == "OBR" }.map(message.segment)
            let control = orc.text(1, 1)
            guard require(orc, 1, 0, "ORC-1 (order control)") else { continue }
            guard table(orc, 1, 1, control, HL7Tables.isOrderControl, "0119") else { continue }
            let orderStatus = orc.text(5, 1)
            if !orderStatus.isEmpty, HL7Tables.orderStatus[orderStatus] == nil {
                issues.append(.warning(.tableValue, type: "code-invalid", at: orc.location(5).description, "The value is not in HL7 table 0038"))
            }
            let fromPlacer = Self.placerOrderControls.contains(control)
            let placerNS = fromPlacer ? sender : receiver
            let fillerNS = fromPlacer ? receiver : sender
            let numbers = orderNumbers(orc, then: obr, obr: obr, placerNamespace: placerNS, fillerNamespace: fillerNS)
            let placer = numbers.placer, filler = numbers.filler
            if control == "NW", placer == nil {
                issues.append(.error(.requiredFieldMissing, type: "required", at: orc.location(2).description,
                                     "A new order (ORC-1 NW) needs a placer order number in ORC-2 or OBR-2"))
            } else if placer == nil, filler == nil {
                issues.append(.error(.requiredFieldMissing, type: "required", at: orc.location(2).description,
                                     "The order needs a placer (ORC-2/OBR-2) or filler (ORC-3/OBR-3) order number"))
            }
            if let obr { require(obr, 4, 0, "OBR-4 (universal service identifier)") } else if control == "NW" {
                issues.append(.error(.requiredFieldMissing, type: "required", at: orc.location().description,
                                     "A new order (ORC-1 NW) needs an OBR with the service requested (OBR-4)"))
            }
            let reason = orc.element(16).isPresent ? orc.text(16, 2).isEmpty ? orc.text(16, 1) : orc.text(16, 2) : nil
            var sr = JSONObject()
            sr["resourceType"] = "ServiceRequest"
            if let key = placer?.key ?? filler?.key { sr["id"] = .string(HL7FHIR.id("v2sr", key)) }
            var identifiers: [JSONValue] = []
            if let placer { identifiers.append(HL7FHIR.identifier(numbers.placerEI, type: "PLAC", namespace: placer.namespace)) }
            if let filler { identifiers.append(HL7FHIR.identifier(numbers.fillerEI, type: "FILL", namespace: filler.namespace)) }
            if !identifiers.isEmpty { sr["identifier"] = .array(identifiers) }
            let requisition = orc.element(4)
            if requisition.component(1).isPresent {
                sr["requisition"] = HL7FHIR.identifier(requisition, type: "PGN", namespace: HL7FHIR.namespace(requisition, fallback: placerNS))
            }
            let status = control == "SC" || HL7Tables.orderControlStatus[control] == nil
                ? HL7Tables.orderStatus[orderStatus] ?? "active" : HL7Tables.orderControlStatus[control] ?? "active"
            sr["status"] = .string(status)
            sr["intent"] = "order"
            if let obr, let code = HL7FHIR.codeableConcept(obr.element(4)) { sr["code"] = code }
            if let subject = Self.subject(patient) { sr["subject"] = subject }
            if let authored = dateTime(orc, 9) { sr["authoredOn"] = .string(authored) }
            if let requester = HL7FHIR.practitionerReference(orc.element(12)) ?? obr.flatMap({ HL7FHIR.practitionerReference($0.element(16)) }) {
                sr["requester"] = requester
            }
            if let obr {
                if let collected = dateTime(obr, 7) { sr["occurrenceDateTime"] = .string(collected) }
            }
            if let reason {
                sr["extension"] = [["url": "http://hl7.org/fhir/StructureDefinition/request-statusReason",
                                    "valueCodeableConcept": ["text": .string(reason)]]]
            }
            for obs in detail?.children("OBSERVATION") ?? [] {
                if let first = obs.directSegments.first { checkOrderObservation(message.segment(first)) }
            }
            let notes = notes(detail?.directSegments ?? [])
            if !notes.isEmpty { sr["note"] = .array(notes) }
            let event = Self.event(orderControl: control, orderStatus: orderStatus, reason: reason)
            var facts = RequestFacts(resource: .object(sr), keys: numbers.keys, event: event)
            facts.madeUpID = true
            out.append(facts)
        }
        return out
    }
}
