import Foundation
import PostroomCore

/// EPS messages (DOMAIN.md §5.4) built the way the NHS examples in the corpus are: message
/// Bundles for prescription-order, prescription-order-update and dispense-notification, a
/// Parameters release request, return and withdraw Tasks.
enum EPSMessages {
    static let ods = "https://fhir.nhs.uk/Id/ods-organization-code"
    static let events = "https://fhir.nhs.uk/CodeSystem/message-event"
    static let nhsNumber = "9449304130"
    static let prescriber = "A83008"

    /// A valid short-form prescription id (`XXXXXX-A83008-XXXXXC`) from a 5-hex sequence, with its MOD 37-2 check character.
    static func prescriptionID(_ random: String, sequence: String) -> String {
        let body = random + "-A83008-" + sequence
        var total = 0
        for b in body.utf8 where b != UInt8(ascii: "-") {
            let v = b >= 0x41 ? Int(b - 0x41) + 10 : Int(b - 0x30)
            total = ((total + v) * 2) % 37
        }
        let check = (38 - total) % 37
        let c = check == 36 ? "+" : check < 10 ? String(check) : String(UnicodeScalar(UInt8(0x41 + check - 10)))
        let id = body + c
        precondition(FHIRIdentifierRules.prescriptionIDProblem(id) == nil, "test prescription id \(id)")
        return id
    }

    static func uuid(_ n: Int, _ kind: Int = 0) -> String {
        String(format: "%08x-0000-4000-8000-%012x", kind, n)
    }

    static func org(_ code: String) -> JSONValue { ["identifier": ["system": .string(ods), "value": .string(code)]] }

    static func bundle(event: String, id: String, sender: String, receiver: String?, entries: [JSONValue], headerExtra: JSONObject = JSONObject(),
                       response: String? = nil) -> [UInt8] {
        var header = JSONObject([
            "resourceType": "MessageHeader", "id": .string(uuid(1, 0xdead)),
            "eventCoding": ["system": .string(events), "code": .string(event)],
            "sender": org(sender), "source": ["endpoint": .string("https://example.org/\(sender)")],
            "focus": .array(entries.compactMap { $0["fullUrl"]?.string }.map { ["reference": .string($0)] }),
        ])
        if let receiver { header["destination"] = [["endpoint": .string("https://example.org/\(receiver)"), "receiver": org(receiver)]] }
        if let response { header["response"] = ["identifier": .string(response), "code": "ok"] }
        for m in headerExtra.members { header[m.key] = m.value }
        header["id"] = .string(id)
        let patient: JSONValue = ["fullUrl": .string("urn:uuid:" + uuid(9, 0xbeef)), "resource": [
            "resourceType": "Patient", "identifier": [["system": "https://fhir.nhs.uk/Id/nhs-number", "value": .string(nhsNumber)]],
            "name": [["family": "Twitchett", "given": ["Marisa"]]], "gender": "female", "birthDate": "1948-04-30",
        ]]
        let all: [JSONValue] = [["fullUrl": .string("urn:uuid:" + id), "resource": .object(header)]] + entries
            + (event == "dispense-notification" ? [] : [patient])
        let b: JSONValue = ["resourceType": "Bundle", "id": .string(id), "type": "message", "timestamp": "2026-12-04T09:00:00+00:00",
                            "identifier": ["system": "https://tools.ietf.org/html/rfc4122", "value": .string(id)], "entry": .array(all)]
        return JSONWriter(pretty: true).bytes(b)
    }

    static func medicationRequest(_ rx: String, item: String, status: String = "active", nominated: String?, reason: String? = nil) -> JSONValue {
        var o = JSONObject([
            "resourceType": "MedicationRequest",
            "identifier": [["system": "https://fhir.nhs.uk/Id/prescription-order-item-number", "value": .string(item)]],
            "status": .string(status), "intent": "order",
            "medicationCodeableConcept": ["coding": [["system": "http://snomed.info/sct", "code": "39732311000001104",
                                                       "display": "Amoxicillin 250mg capsules"]]],
            "subject": ["reference": .string("urn:uuid:" + uuid(9, 0xbeef))],
            "groupIdentifier": ["system": "https://fhir.nhs.uk/Id/prescription-order-number", "value": .string(rx)],
            "dispenseRequest": ["quantity": ["value": 20, "unit": "tablet"]],
        ])
        if let nominated { o["dispenseRequest"] = ["performer": org(nominated), "quantity": ["value": 20, "unit": "tablet"]] }
        if let reason { o["statusReason"] = ["coding": [["system": "https://fhir.nhs.uk/CodeSystem/medicationrequest-status-reason",
                                                           "code": "0001", "display": .string(reason)]]] }
        return ["fullUrl": .string("urn:uuid:" + item), "resource": .object(o)]
    }

    /// A prescription-order of `items` (item numbers), nominating a pharmacy or not.
    static func order(_ rx: String, items: [String], nominated: String?, id: String) -> [UInt8] {
        bundle(event: "prescription-order", id: id, sender: prescriber, receiver: nominated,
               entries: items.map { medicationRequest(rx, item: $0, nominated: nominated) })
    }

    /// A prescription-order-update cancelling `items`.
    static func cancel(_ rx: String, items: [String], id: String) -> [UInt8] {
        bundle(event: "prescription-order-update", id: id, sender: prescriber, receiver: nil,
               entries: items.map { medicationRequest(rx, item: $0, status: "cancelled", nominated: nil, reason: "Prescribing error") })
    }

    /// A release request (Parameters) to `owner`.
    static func release(_ rx: String, owner: String) -> [UInt8] {
        let p: JSONValue = ["resourceType": "Parameters", "parameter": [
            ["name": "owner", "resource": ["resourceType": "Organization", "identifier": [["system": .string(ods), "value": .string(owner)]],
                                           "name": .string("Pharmacy " + owner)]],
            ["name": "status", "valueCode": "accepted"],
            ["name": "group-identifier", "valueIdentifier": ["system": "https://fhir.nhs.uk/Id/prescription-order-number", "value": .string(rx)]],
        ]]
        return JSONWriter(pretty: true).bytes(p)
    }

    /// A dispense-notification from `sender`: one MedicationDispense per (item, medicationdispense-type code).
    static func dispense(_ rx: String, _ dispensed: [(item: String, type: String)], sender: String, id: String,
                         replacementOf: String? = nil) -> [UInt8] {
        let entries: [JSONValue] = dispensed.enumerated().map { i, d in
            let contained: JSONValue = ["resourceType": "MedicationRequest", "id": "m1",
                                        "identifier": [["system": "https://fhir.nhs.uk/Id/prescription-order-item-number", "value": .string(d.item)]],
                                        "status": "active", "intent": "order",
                                        "medicationCodeableConcept": ["coding": [["system": "http://snomed.info/sct", "code": "39732311000001104"]]],
                                        "subject": ["identifier": ["system": "https://fhir.nhs.uk/Id/nhs-number", "value": .string(nhsNumber)]],
                                        "groupIdentifier": ["system": "https://fhir.nhs.uk/Id/prescription-order-number", "value": .string(rx)]]
            let md: JSONValue = ["resourceType": "MedicationDispense", "contained": [contained],
                                 "identifier": [["system": "https://fhir.nhs.uk/Id/prescription-dispense-item-number", "value": .string(uuid(i + 1, 0xd1))]],
                                 "status": "completed",
                                 "medicationCodeableConcept": ["coding": [["system": "http://snomed.info/sct", "code": "39732311000001104"]]],
                                 "subject": ["identifier": ["system": "https://fhir.nhs.uk/Id/nhs-number", "value": .string(nhsNumber)]],
                                 "authorizingPrescription": [["reference": "#m1"]],
                                 "type": ["coding": [["system": "https://fhir.nhs.uk/CodeSystem/medicationdispense-type", "code": .string(d.type)]]],
                                 "quantity": ["value": 10, "unit": "tablet"], "whenHandedOver": "2026-12-04T10:00:00+00:00"]
            return ["fullUrl": .string("urn:uuid:" + uuid(i + 1, 0xd2) + id.prefix(4)), "resource": md]
        }
        var extra = JSONObject()
        if let replacementOf {
            extra["extension"] = [["url": "https://fhir.nhs.uk/StructureDefinition/Extension-replacementOf",
                                   "valueIdentifier": ["system": "https://tools.ietf.org/html/rfc4122", "value": .string(replacementOf)]]]
        }
        return bundle(event: "dispense-notification", id: id, sender: sender, receiver: nil, entries: entries, headerExtra: extra,
                      response: uuid(77, 0x0a))
    }

    /// A return Task (reasonCode 33633005) from the dispenser.
    static func returnTask(_ rx: String, dispenser: String, id: String) -> [UInt8] {
        JSONWriter(pretty: true).bytes([
            "resourceType": "Task", "id": .string(id), "identifier": [["system": "https://tools.ietf.org/html/rfc4122", "value": .string(id)]],
            "status": "rejected", "intent": "order",
            "statusReason": ["coding": [["system": "https://fhir.nhs.uk/CodeSystem/EPS-task-dispense-return-status-reason", "code": "0003",
                                         "display": "Patient requested release"]]],
            "code": ["coding": [["system": "http://hl7.org/fhir/CodeSystem/task-code", "code": "fulfill"]]],
            "groupIdentifier": ["system": "https://fhir.nhs.uk/Id/prescription-order-number", "value": .string(rx)],
            "focus": ["identifier": ["system": "https://tools.ietf.org/html/rfc4122", "value": .string(uuid(1, 0x0e))]],
            "for": ["identifier": ["system": "https://fhir.nhs.uk/Id/nhs-number", "value": .string(nhsNumber)]],
            "authoredOn": "2026-12-04T10:30:00+00:00", "owner": org(dispenser),
            "reasonCode": ["coding": [["system": "http://snomed.info/sct", "code": "33633005", "display": "Prescription of drug"]]],
        ])
    }

    /// A withdraw Task (code abort, reasonCode 373784005) retracting notification `notification`.
    static func withdrawTask(_ rx: String, notification: String, dispenser: String, id: String) -> [UInt8] {
        JSONWriter(pretty: true).bytes([
            "resourceType": "Task", "id": .string(id), "identifier": [["system": "https://tools.ietf.org/html/rfc4122", "value": .string(id)]],
            "status": "in-progress", "intent": "order",
            "code": ["coding": [["system": "http://hl7.org/fhir/CodeSystem/task-code", "code": "abort"]]],
            "groupIdentifier": ["system": "https://fhir.nhs.uk/Id/prescription-order-number", "value": .string(rx)],
            "focus": ["type": "Bundle", "identifier": ["system": "https://tools.ietf.org/html/rfc4122", "value": .string(notification)]],
            "for": ["identifier": ["system": "https://fhir.nhs.uk/Id/nhs-number", "value": .string(nhsNumber)]],
            "authoredOn": "2026-12-04T11:00:00+00:00", "owner": org(dispenser),
            "reasonCode": ["coding": [["system": "http://snomed.info/sct", "code": "373784005", "display": "Dispensing medication"]]],
        ])
    }
}
