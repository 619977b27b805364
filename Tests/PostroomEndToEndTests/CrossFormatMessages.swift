import Foundation

/// Orders and results that name one order number (`<value>` in namespace EPR) the way each format
/// spells it: v2 `ORC-2 = <value>^EPR`, FHIR `{system: …/placer-order-number, value}`, CDA
/// `order/id root=<EPR's OID> extension=<value>`.
enum CrossFormat {
    static let oid = "2.16.840.1.113883.2.1.3.2.4.18.42"
    static let system = "https://fhir.example-trust.nhs.uk/Id/placer-order-number"
    static let namespacesJSON = """
        "namespaces": [ { "name": "EPR", "v2": ["EPR"], "fhir": ["\(system)"], "oid": ["\(oid)"] } ]
        """

    enum Request: String, CaseIterable { case v2Order = "ORM", fhirServiceRequest = "SR", v2Referral = "REF" }
    enum Result: String, CaseIterable { case v2Result = "ORU", fhirReport = "DR", cda = "CDA" }

    static func hl7(_ segments: [String]) -> [UInt8] { Array(segments.joined(separator: "\r").utf8) + [0x0D] }

    static func pid(_ nhs: String) -> String { "PID|1||\(nhs)^^^NHS^NH||SMITH^JANE||19700101|F" }

    static func uuid() -> String { UUID().uuidString.lowercased() }

    /// A request; the file name's extension fits its format.
    static func request(_ kind: Request, _ number: String, nhs: String) -> (bytes: [UInt8], ext: String) {
        switch kind {
        case .v2Order:
            return (hl7(["MSH|^~\\&|EPR|RX1|LIMS|RX1LAB|20261126091500||ORM^O01^ORM_O01|O\(number)|P|2.5.1", pid(nhs),
                         "ORC|NW|\(number)^EPR", "OBR|1|\(number)^EPR||26604007^Full blood count^SCT"]), "hl7")
        case .v2Referral:
            return (hl7(["MSH|^~\\&|EPR|RX1|RXREF|RX1|20261126100000||REF^I12^REF_I12|F\(number)|P|2.5.1",
                         "RF1|P^Pending^HL70283|R^Routine^HL70280|Med^Medical^HL70281||O^Outpatient^HL70284|\(number)^EPR",
                         "PRD|RP^Referring Provider^HL70286|JONES^DAVID^^^DR", pid(nhs)]), "hl7")
        case .fhirServiceRequest:
            let sr = """
                {"resourceType":"ServiceRequest","id":"\(uuid())","identifier":[{"type":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/v2-0203","code":"PLAC"}]},"system":"\(system)","value":"\(number)"}],
                 "status":"active","intent":"order","code":{"coding":[{"system":"http://snomed.info/sct","code":"26604007","display":"Full blood count"}]},
                 "subject":{"reference":"urn:uuid:PATIENT"},"authoredOn":"2026-11-26T09:15:00+00:00"}
                """
            return (message(event: "servicerequest-request", focus: sr, nhs: nhs), "json")
        }
    }

    /// A final result answering the request.
    static func result(_ kind: Result, _ number: String, nhs: String) -> (bytes: [UInt8], ext: String) {
        switch kind {
        case .v2Result:
            return (hl7(["MSH|^~\\&|LIMS|RX1LAB|EPR|RX1|20261126153000||ORU^R01^ORU_R01|R\(number)|P|2.5.1", pid(nhs),
                         "ORC|RE|\(number)^EPR", "OBR|1|\(number)^EPR||26604007^Full blood count^SCT||||||||||||||||||||F",
                         "OBX|1|NM|718-7^Hemoglobin^LN||135|g/L^g/L^UCUM|115-165|N|||F"]), "hl7")
        case .fhirReport:
            let dr = """
                {"resourceType":"DiagnosticReport","id":"\(uuid())","basedOn":[{"identifier":{"system":"\(system)","value":"\(number)"}}],
                 "status":"final","code":{"coding":[{"system":"http://snomed.info/sct","code":"26604007","display":"Full blood count"}]},
                 "subject":{"reference":"urn:uuid:PATIENT"},"issued":"2026-11-26T16:25:00+00:00"}
                """
            return (message(event: "diagnosticreport-result", focus: dr, nhs: nhs), "json")
        case .cda:
            return (Array(cda(number, nhs: nhs).utf8), "xml")
        }
    }

    /// A FHIR message Bundle: MessageHeader, the focus resource, the Patient.
    static func message(event: String, focus: String, nhs: String) -> [UInt8] {
        let patient = uuid(), focusID = uuid(), header = uuid(), bundle = uuid()
        let text = """
            {"resourceType":"Bundle","id":"\(bundle)","identifier":{"system":"https://tools.ietf.org/html/rfc4122","value":"\(bundle)"},
             "type":"message","timestamp":"2026-11-26T16:30:00+00:00","entry":[
              {"fullUrl":"urn:uuid:\(header)","resource":{"resourceType":"MessageHeader","id":"\(header)",
                "eventCoding":{"system":"https://fhir.nhs.uk/CodeSystem/message-event","code":"\(event)"},
                "destination":[{"endpoint":"https://postroom.test.example.nhs.uk/fhir"}],
                "source":{"endpoint":"https://lims.example.nhs.uk/fhir"},"focus":[{"reference":"urn:uuid:\(focusID)"}]}},
              {"fullUrl":"urn:uuid:\(focusID)","resource":\(focus)},
              {"fullUrl":"urn:uuid:\(patient)","resource":{"resourceType":"Patient","id":"\(patient)",
                "identifier":[{"system":"https://fhir.nhs.uk/Id/nhs-number","value":"\(nhs)"}],"name":[{"family":"SMITH","given":["JANE"]}]}}]}
            """
        return Array(text.replacingOccurrences(of: "urn:uuid:PATIENT", with: "urn:uuid:\(patient)").utf8)
    }

    /// A CDA report fulfilling the order.
    static func cda(_ number: String, nhs: String) -> String {
        """
        <?xml version="1.0" encoding="UTF-8"?>
        <ClinicalDocument xmlns="urn:hl7-org:v3">
          <realmCode code="GB"/>
          <typeId root="2.16.840.1.113883.1.3" extension="POCD_HD000040"/>
          <id root="2.16.840.1.113883.2.1.3.2.99.2" extension="DOC-\(number)-\(uuid())"/>
          <code code="18748-4" codeSystem="2.16.840.1.113883.6.1" displayName="Diagnostic imaging study"/>
          <title>Report</title>
          <effectiveTime value="20261126141500+0000"/>
          <confidentialityCode code="N" codeSystem="2.16.840.1.113883.5.25"/>
          <recordTarget><patientRole><id root="2.16.840.1.113883.2.1.4.1" extension="\(nhs)"/>
            <patient><name><given>Jane</given><family>Smith</family></name></patient></patientRole></recordTarget>
          <author><time value="20261126141500+0000"/><assignedAuthor><id root="2.16.840.1.113883.2.1.3.2.99.4" extension="RAD-0042"/></assignedAuthor></author>
          <custodian><assignedCustodian><representedCustodianOrganization><id root="2.16.840.1.113883.2.1.3.2.4.19.1" extension="RX1"/>
            </representedCustodianOrganization></assignedCustodian></custodian>
          <inFulfillmentOf typeCode="FLFS"><order classCode="ACT" moodCode="RQO"><id root="\(oid)" extension="\(number)"/></order></inFulfillmentOf>
          <component><structuredBody><component><section><title>Findings</title><text>Normal.</text></section></component></structuredBody></component>
        </ClinicalDocument>
        """
    }
}
