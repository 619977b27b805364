import Foundation
import PostroomCore

/// Makes deterministic FHIR R4 message Bundles from a seed (a linear congruential generator).
struct BundleGenerator {
    var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func random(_ bound: Int) -> Int {
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return Int((state >> 33) % UInt64(bound))
    }

    mutating func uuid() -> String {
        let hex = Array("0123456789abcdef")
        var s = ""
        for i in 0..<32 {
            if [8, 12, 16, 20].contains(i) { s.append("-") }
            s.append(hex[random(16)])
        }
        return s
    }

    /// A valid NHS number (Modulus 11).
    mutating func nhsNumber() -> String {
        while true {
            let digits = (0..<9).map { _ in random(10) }
            let sum = digits.enumerated().reduce(0) { $0 + $1.element * (10 - $1.offset) }
            var check = 11 - sum % 11
            if check == 11 { check = 0 }
            if check == 10 { continue }
            return (digits + [check]).map(String.init).joined()
        }
    }

    /// One message Bundle as JSON bytes, and its number of entry resources (the Bundle itself not counted).
    mutating func next() -> ([UInt8], Int) {
        let patient = uuid()
        let headerID = uuid()
        let focus = uuid()
        var entries: [String] = []
        let day = 1 + random(28)
        let isOrder = random(2) == 0
        entries.append(#"""
        {"fullUrl":"urn:uuid:\#(headerID)","resource":{"resourceType":"MessageHeader","id":"\#(headerID)","eventCoding":{"system":"https://fhir.nhs.uk/CodeSystem/message-event","code":"\#(isOrder ? "servicerequest-request" : "unsolicited-observations")"},"destination":[{"endpoint":"https://receiver.example.nhs.uk/fhir","receiver":{"identifier":{"system":"https://fhir.nhs.uk/Id/ods-organization-code","value":"RBA"}}}],"sender":{"identifier":{"system":"https://fhir.nhs.uk/Id/ods-organization-code","value":"A83008"}},"source":{"name":"Bench","endpoint":"https://sender.example.nhs.uk/fhir"},"focus":[{"reference":"urn:uuid:\#(focus)"}]}}
        """#)
        entries.append(#"""
        {"fullUrl":"urn:uuid:\#(patient)","resource":{"resourceType":"Patient","id":"\#(patient)","identifier":[{"system":"https://fhir.nhs.uk/Id/nhs-number","value":"\#(nhsNumber())"}],"name":[{"use":"official","family":"Family\#(random(1000))","given":["Given\#(random(1000))"]}],"gender":"\#(["male", "female", "other", "unknown"][random(4)])","birthDate":"19\#(10 + random(90))-0\#(1 + random(9))-1\#(random(9))","address":[{"line":["\#(random(200)) High Street"],"city":"Leeds","postalCode":"LS1 4AP"}]}}
        """#)
        var count = 3
        if isOrder {
            entries.append(#"""
            {"fullUrl":"urn:uuid:\#(focus)","resource":{"resourceType":"ServiceRequest","id":"\#(focus)","identifier":[{"type":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/v2-0203","code":"PLAC"}]},"system":"https://placer.example.nhs.uk/orders","value":"ORD\#(random(1_000_000))"}],"status":"active","intent":"order","category":[{"coding":[{"system":"http://snomed.info/sct","code":"108252007","display":"Laboratory procedure"}]}],"priority":"routine","code":{"coding":[{"system":"http://loinc.org","code":"24331-1","display":"Lipid panel"}]},"subject":{"reference":"urn:uuid:\#(patient)"},"authoredOn":"2024-03-\#(String(format: "%02d", day))T09:30:00+00:00","requester":{"identifier":{"system":"https://fhir.nhs.uk/Id/ods-organization-code","value":"A83008"}},"note":[{"text":"Fasting sample"}]}}
            """#)
        } else {
            var results: [String] = []
            let observations = 2 + random(3)
            for k in 0..<observations {
                let id = uuid()
                results.append(#"{"reference":"urn:uuid:\#(id)"}"#)
                entries.append(#"""
                {"fullUrl":"urn:uuid:\#(id)","resource":{"resourceType":"Observation","id":"\#(id)","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"2093-\#(k)"}]},"subject":{"reference":"urn:uuid:\#(patient)"},"effectiveDateTime":"2024-03-\#(String(format: "%02d", day))T08:00:00Z","valueQuantity":{"value":\#(random(100)).\#(random(10)),"unit":"mmol/L","system":"http://unitsofmeasure.org","code":"mmol/L"}}}
                """#)
                count += 1
            }
            entries.insert(#"""
            {"fullUrl":"urn:uuid:\#(focus)","resource":{"resourceType":"DiagnosticReport","id":"\#(focus)","identifier":[{"system":"https://lab.example.nhs.uk/reports","value":"R\#(random(1_000_000))"}],"basedOn":[{"identifier":{"system":"https://placer.example.nhs.uk/orders","value":"ORD\#(random(1_000_000))"}}],"status":"final","code":{"coding":[{"system":"http://loinc.org","code":"24331-1"}]},"subject":{"reference":"urn:uuid:\#(patient)"},"issued":"2024-03-\#(String(format: "%02d", day))T10:00:00Z","result":[\#(results.joined(separator: ","))]}}
            """#, at: 2)
        }
        let bundleID = uuid()
        let text = #"{"resourceType":"Bundle","id":"\#(bundleID)","identifier":{"system":"https://tools.ietf.org/html/rfc4122","value":"\#(uuid())"},"type":"message","timestamp":"2024-03-\#(String(format: "%02d", day))T10:00:00+00:00","entry":[\#(entries.joined(separator: ","))]}"#
        return (Array(text.utf8), count)
    }
}
