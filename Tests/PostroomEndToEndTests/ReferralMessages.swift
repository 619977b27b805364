import Foundation
import PostroomCore

/// The messages of an eRS-style referral's life, as a referrer, a provider and a booking system send them.
enum ReferralMessages {
    static let ubrnSystem = "https://fhir.nhs.uk/Id/ubrn"
    static let ods = "https://fhir.nhs.uk/Id/ods-organization-code"
    static let nhs = "9990000050"

    static func bytes(_ v: JSONValue) -> [UInt8] { JSONWriter(pretty: true).bytes(v) }

    static func header(_ id: String, event: String, focus: String) -> JSONValue {
        ["fullUrl": .string("urn:uuid:" + id), "resource": [
            "resourceType": "MessageHeader", "id": .string(id),
            "eventCoding": ["system": "https://fhir.nhs.uk/CodeSystem/message-events-bars", "code": .string(event)],
            "sender": ["identifier": ["system": .string(ods), "value": "A83008"]],
            "source": ["name": "GP system", "endpoint": "https://gp-a83008.example.nhs.uk/fhir"],
            "focus": [["reference": .string("urn:uuid:" + focus)]],
        ]]
    }

    static let patientEntry: JSONValue = ["fullUrl": "urn:uuid:00000000-0000-4000-8000-0000000000a1", "resource": [
        "resourceType": "Patient", "id": "00000000-0000-4000-8000-0000000000a1",
        "identifier": [["system": "https://fhir.nhs.uk/Id/nhs-number", "value": .string(nhs)]],
        "name": [["family": "Brown", "given": ["Alex"]]],
    ]]

    /// A referral message (BaRS-style `servicerequest-request`): the ServiceRequest keyed by its UBRN.
    static func referral(ubrn: String, bundleID: String, status: String = "active") -> [UInt8] {
        let sr = "00000000-0000-4000-8000-" + String(bundleID.suffix(12))
        let header = "10000000-0000-4000-8000-" + String(bundleID.suffix(12))
        return bytes(["resourceType": "Bundle", "id": .string(bundleID), "type": "message", "timestamp": "2026-11-26T09:00:00+00:00",
                      "entry": [
                        Self.header(header, event: "servicerequest-request", focus: sr),
                        ["fullUrl": .string("urn:uuid:" + sr), "resource": [
                            "resourceType": "ServiceRequest", "id": .string(sr),
                            "identifier": [["system": .string(ubrnSystem), "value": .string(ubrn)]],
                            "status": .string(status), "intent": "order",
                            "category": [["coding": [["system": "https://fhir.nhs.uk/CodeSystem/message-category-servicerequest",
                                                      "code": "referral"]]]],
                            "code": ["text": "Cardiology outpatient referral"],
                            "subject": ["reference": "urn:uuid:00000000-0000-4000-8000-0000000000a1"],
                            "authoredOn": "2026-11-26T09:00:00+00:00",
                            "requester": ["identifier": ["system": .string(ods), "value": "A83008"]],
                            "performer": [["identifier": ["system": .string(ods), "value": "RX1"]]],
                        ]],
                        patientEntry,
                      ]])
    }

    /// The provider's triage outcome: a Task on the referral named by its UBRN (`focus`) or by the
    /// Task's business identifier (`identifier`).
    static func triage(id: String, ubrn: String? = nil, taskIdentifier: (system: String, value: String)? = nil, status: String,
                       businessStatus: String? = nil, reason: String? = nil, note: String? = nil) -> [UInt8] {
        var o = JSONObject(["resourceType": "Task", "id": .string(id), "status": .string(status), "intent": "order",
                            "for": ["identifier": ["system": "https://fhir.nhs.uk/Id/nhs-number", "value": .string(nhs)]],
                            "owner": ["identifier": ["system": .string(ods), "value": "RX1"]]])
        if let ubrn { o["focus"] = ["identifier": ["system": .string(ubrnSystem), "value": .string(ubrn)]] }
        if let taskIdentifier {
            o["identifier"] = [["system": .string(taskIdentifier.system), "value": .string(taskIdentifier.value)]]
        }
        if let businessStatus {
            o["businessStatus"] = ["coding": [["system": .string(ReferralPlanner.stateSystem), "code": .string(businessStatus)]]]
        }
        if let reason { o["statusReason"] = ["text": .string(reason)] }
        if let note { o["note"] = [["text": .string(note)]] }
        return bytes(.object(o))
    }

    /// A booking message (BaRS `booking-request`): an Appointment based on the referral (by UBRN).
    static func booking(ubrn: String, bundleID: String, appointmentID: String, status: String = "booked") -> [UInt8] {
        let header = "20000000-0000-4000-8000-" + String(bundleID.suffix(12))
        return bytes(["resourceType": "Bundle", "id": .string(bundleID), "type": "message", "timestamp": "2026-11-27T09:00:00+00:00",
                      "entry": [
                        Self.header(header, event: "booking-request", focus: appointmentID),
                        ["fullUrl": .string("urn:uuid:" + appointmentID), "resource": [
                            "resourceType": "Appointment", "id": .string(appointmentID), "status": .string(status),
                            "start": "2026-12-10T10:30:00+00:00", "end": "2026-12-10T10:50:00+00:00",
                            "basedOn": [["identifier": ["system": .string(ubrnSystem), "value": .string(ubrn)]]],
                            "participant": [["actor": ["reference": "urn:uuid:00000000-0000-4000-8000-0000000000a1"], "status": "accepted"]],
                        ]],
                        patientEntry,
                      ]])
    }

    static func hl7(_ segments: [String]) -> [UInt8] { Array(segments.joined(separator: "\r").utf8) + [0x0D] }
    static let pid = "PID|1||\(nhs)^^^NHS^NH||BROWN^ALEX||19700101|F"

    /// A v2 referral (REF^I12) keyed by its UBRN in RF1-6.
    static func ref(ubrn: String, control: String) -> [UInt8] {
        hl7(["MSH|^~\\&|GPSYSTEM|A83008|RXREF|RX1|20261126100000||REF^I12^REF_I12|\(control)|P|2.5.1",
             "RF1|P^Pending^HL70283|R^Routine^HL70280|Med^Medical^HL70281||O^Outpatient^HL70284|\(ubrn)^UBRN",
             "PRD|RP^Referring Provider^HL70286|JONES^DAVID^^^DR", pid])
    }

    /// A v2 referral response (RRI^I12): RF1-1 `A` or `R`, the referral by UBRN (RF1-6) and/or the
    /// Task's business identifier (RF1-11, `<value>^^<system>^URI`), the reason in NTE.
    static func rri(status: String, ubrn: String?, task: (system: String, value: String)? = nil, reason: String? = nil,
                    control: String) -> [UInt8] {
        let rf6 = ubrn.map { "\($0)^UBRN" } ?? ""
        let rf11 = task.map { "\($0.value)^^\($0.system)^URI" } ?? ""
        var segments = ["MSH|^~\\&|RXREF|RX1|GPSYSTEM|A83008|20261127100000||RRI^I12^RRI_I12|\(control)|P|2.5.1", "MSA|AA|REF1",
                        "RF1|\(status)|R^Routine^HL70280|Med^Medical^HL70281||O^Outpatient^HL70284|\(rf6)|||||\(rf11)"]
        segments += ["PRD|RT^Referred to Provider^HL70286|SHAH^PRIYA^^^DR", pid]
        if let reason { segments.append("NTE|1||\(reason)") }
        return hl7(segments)
    }
}
