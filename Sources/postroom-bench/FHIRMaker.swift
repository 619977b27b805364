/// Makes FHIR R4 message Bundles (compact JSON): a MessageHeader, a DiagnosticReport based on a
/// placer order identifier (PLAC), its 2–3 Observations and the Patient.
enum FHIRMaker {
    /// Lipid panel members: LOINC code (cholesterol, HDL cholesterol, triglyceride) and unit.
    static let analytes: [(code: String, unit: String)] = [("2093-3", "mmol/L"), ("2085-9", "mmol/L"), ("2571-8", "mmol/L")]

    /// One message Bundle and the number of resources in its entries.
    static func bundle(_ f: ClinicalFacts, index: Int, rng: inout SplitMix64) -> (text: String, resources: Int) {
        let bundleID = rng.uuid(), headerID = rng.uuid(), reportID = rng.uuid(), patientID = rng.uuid()
        let observations = (0..<rng.int(in: 2...3)).map { _ in rng.uuid() }
        let issued = f.fhirTime(plusHours: 2), taken = f.fhirTime()
        var entries: [String] = []
        entries.append(entry(headerID, #"""
            {"resourceType":"MessageHeader","id":"\#(headerID)","eventCoding":{"system":"https://fhir.nhs.uk/CodeSystem/message-event","code":"diagnosticreport-result"},"destination":[{"endpoint":"https://gp-a83008.example.nhs.uk/fhir"}],"source":{"endpoint":"https://lab.example.nhs.uk/fhir"},"focus":[{"reference":"urn:uuid:\#(reportID)"}]}
            """#))
        let results = observations.map { #"{"reference":"urn:uuid:\#($0)"}"# }.joined(separator: ",")
        entries.append(entry(reportID, #"""
            {"resourceType":"DiagnosticReport","id":"\#(reportID)","identifier":[{"system":"https://lab.example.nhs.uk/Id/report","value":"\#(f.filler)"}],"basedOn":[{"identifier":{"type":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/v2-0203","code":"PLAC"}]},"system":"https://fhir.a83008.example.nhs.uk/Id/order-number","value":"\#(f.placer)"}}],"status":"final","code":{"coding":[{"system":"http://snomed.info/sct","code":"1022441000000101","display":"Lipid profile"}]},"subject":{"reference":"urn:uuid:\#(patientID)"},"effectiveDateTime":"\#(taken)","issued":"\#(issued)","result":[\#(results)]}
            """#))
        for (k, id) in observations.enumerated() {
            let a = analytes[k]
            entries.append(entry(id, #"""
                {"resourceType":"Observation","id":"\#(id)","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"\#(a.code)"}]},"subject":{"reference":"urn:uuid:\#(patientID)"},"valueQuantity":{"value":\#(rng.int(in: 1...8)).\#(rng.int(10))\#(rng.int(10)),"unit":"\#(a.unit)","system":"http://unitsofmeasure.org","code":"\#(a.unit)"}}
                """#))
        }
        entries.append(entry(patientID, #"""
            {"resourceType":"Patient","id":"\#(patientID)","identifier":[{"system":"https://fhir.nhs.uk/Id/nhs-number","value":"\#(f.nhsNumber)"}],"name":[{"family":"\#(f.family)","given":["\#(f.given)"]}],"gender":"\#(f.gender)","birthDate":"\#(f.fhirBirthDate)"}
            """#))
        let text = #"""
            {"resourceType":"Bundle","id":"\#(bundleID)","identifier":{"system":"https://tools.ietf.org/html/rfc4122","value":"\#(rng.uuid())"},"type":"message","timestamp":"\#(issued)","entry":[\#(entries.joined(separator: ","))]}
            """#
        return (text + "\n", entries.count)
    }

    /// One Bundle entry: the resource under its `urn:uuid` full URL.
    static func entry(_ id: String, _ resource: String) -> String {
        #"{"fullUrl":"urn:uuid:\#(id)","resource":\#(resource)}"#
    }
}
