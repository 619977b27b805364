import Testing
@testable import PostroomCore

@Suite struct HL7MappingTests {
    @Test func newOrderBecomesAServiceRequestWithItsPlacerKey() throws {
        let m = HL7Samples.message(HL7Samples.orm())
        #expect(m.type == "ORM^O01")
        #expect(m.dedupeKeys == ["v2|LABSYS|LABFAC|ORD1"])
        let r = try #require(m.requests.first)
        #expect(r.event == .new)
        #expect(r.keys == ["plac|EPR|PL123"])
        #expect(r.resource["status"]?.string == "active")
        #expect(r.resource["intent"]?.string == "order")
        #expect(r.resource["code"]?["coding"]?[0]?["system"]?.string == "http://loinc.org")
        #expect(r.resource["identifier"]?[0]?["type"]?["coding"]?[0]?["code"]?.string == "PLAC")
        #expect(r.resource["authoredOn"]?.string == "2024-03-12T10:10:00Z")
        #expect(r.resource["subject"]?["identifier"]?["value"]?.string == "9434765919")
        #expect(m.patient?.nhsNumber == "9434765919")
        #expect(m.patient?.keys.contains("id|RXH|H123") == true)
        #expect(m.patient?.resource?["gender"]?.string == "female")
        #expect(m.patient?.resource?["birthDate"]?.string == "1980-01-02")
    }

    @Test func orderControlCodesBecomeEvents() throws {
        func event(_ control: String, status: String = "", reason: String = "") -> RequestEvent? {
            HL7Samples.message(HL7Samples.orm(orderControl: control, filler: "F77^LAB", orderStatus: status, reason: reason)).requests.first?.event
        }
        #expect(event("OK") == .accepted)
        #expect(event("CA") == .cancelRequested)
        #expect(event("CR", reason: "^Duplicate request") == .cancelled(reason: "Duplicate request"))
        #expect(event("OC") == .cancelled(reason: nil))
        #expect(event("UA", reason: "^No capacity") == .rejected(reason: "No capacity"))
        #expect(event("SC", status: "IP") == .inProgress)
        #expect(event("SC", status: "CA") == .cancelled(reason: nil))
        #expect(event("OH") == .onHold)
        #expect(event("RL") == .released)
        #expect(event("RE") == .noted("RE"))
        let ok = HL7Samples.message(HL7Samples.orm(orderControl: "OK", filler: "F77^LAB"))
        #expect(ok.requests.first?.keys == ["plac|EPR|PL123", "fill|LAB|F77"])
    }

    @Test func orderNumbersWithoutNamespaceUseThePlacersApplication() {
        let nw = HL7Samples.message(HL7Samples.orm(placer: "PL5"))
        #expect(nw.requests.first?.keys == ["plac|LABSYS|PL5"])  // NW comes from the placer (MSH-3)
        let ok = HL7Samples.message(HL7Samples.orm(orderControl: "OK", placer: "PL5", filler: "F1"))
        #expect(ok.requests.first?.keys == ["plac|POSTROOM|PL5", "fill|LABSYS|F1"])  // OK comes from the filler
        let oid = HL7Samples.message(HL7Samples.orm(placer: "PL6^^1.2.3^ISO"))
        #expect(oid.requests.first?.keys == ["plac|urn:oid:1.2.3|PL6"])
    }

    @Test func disagreeingPlacerNumbersAreAnError() {
        var segs = HL7Samples.orm()
        segs[3] = "OBR|1|OTHER^EPR||24331-1^Lipid panel^LN"
        let m = HL7Samples.message(segs)
        #expect(m.issues.contains { $0.code == "order-number-mismatch" && $0.location == "OBR-2" })
    }

    @Test func resultBecomesADiagnosticReportWithObservations() throws {
        let m = HL7Samples.message(HL7Samples.oru())
        #expect(m.issues.filter(\.isError).isEmpty)
        let r = try #require(m.reports.first)
        #expect(r.status == "final")
        #expect(r.isFinal)
        #expect(r.requestKeys == ["plac|EPR|PL123", "fill|LAB|FL9"])
        #expect(r.identity == "v2-report|plac|EPR|PL123|24331-1")
        #expect(r.resource["issued"]?.string == "2024-03-12T11:00:00Z")
        #expect(r.resource["result"]?.array?.count == 2)
        let nm = try #require(r.observations.first)
        #expect(nm["valueQuantity"]?["value"] == .number("5.10"))
        #expect(nm["valueQuantity"]?["system"]?.string == "http://unitsofmeasure.org")
        #expect(nm["status"]?.string == "final")
        #expect(nm["interpretation"]?[0]?["coding"]?[0]?["code"]?.string == "H")
        #expect(nm["note"]?[0]?["text"]?.string == "Fasting sample")
        #expect(r.observations[1]["valueString"]?.string == "Sample haemolysed\nRepeat advised")
    }

    @Test func resultStatusesMapAndCorrectionsKeepTheirIdentity() throws {
        let prelim = try #require(HL7Samples.message(HL7Samples.oru(status: "P", obxStatus: "P")).reports.first)
        let final = try #require(HL7Samples.message(HL7Samples.oru(status: "F")).reports.first)
        let corrected = try #require(HL7Samples.message(HL7Samples.oru(status: "C", obxStatus: "C", value: "5.2")).reports.first)
        let cancelled = try #require(HL7Samples.message(HL7Samples.oru(status: "X", obxStatus: "X", value: "")).reports.first)
        #expect(prelim.status == "preliminary")
        #expect(corrected.status == "corrected")
        #expect(corrected.observations.first?["status"]?.string == "corrected")
        #expect(cancelled.status == "cancelled")
        #expect(Set([prelim.identity, final.identity, corrected.identity, cancelled.identity]).count == 1)
        #expect(prelim.resource["id"] == corrected.resource["id"])
    }

    @Test func valueTypesMapToValueX() throws {
        func value(_ type: String, _ v: String, units: String = "") -> JSONValue? {
            let segs = [HL7Samples.msh("ORU^R01"), HL7Samples.pid, "OBR|1|P1^EPR||X^Y^LN|||||||||||||||||||||F",
                        "OBX|1|\(type)|C^D^LN||\(v)|\(units)|||||F"]
            return HL7Samples.message(segs).reports.first?.observations.first
        }
        #expect(value("NM", "+.50")?["valueQuantity"]?["value"] == .number("0.50"))
        #expect(value("CWE", "260373001^Detected^SCT")?["valueCodeableConcept"]?["coding"]?[0]?["system"]?.string == "http://snomed.info/sct")
        #expect(value("SN", ">^10")?["valueQuantity"]?["comparator"]?.string == ">")
        #expect(value("SN", "^1^:^128")?["valueRatio"]?["denominator"]?["value"] == .number("128"))
        #expect(value("SN", "^2^-^4")?["valueRange"]?["high"]?["value"] == .number("4"))
        #expect(value("DT", "20240102")?["valueDateTime"]?.string == "2024-01-02")
        #expect(value("TX", "a~b")?["valueString"]?.string == "a\nb")
        let bad = HL7Samples.message([HL7Samples.msh("ORU^R01"), HL7Samples.pid, "OBR|1|P1^EPR||X^Y^LN|||||||||||||||||||||F",
                                      "OBX|1|NM|C^D^LN||high|||||F", "OBX|2|DTM|C^D^LN||February 2 2024||||||F"])
        #expect(bad.issues.filter { $0.code == "data-type" }.compactMap(\.location) == ["OBX[1]-5", "OBX[2]-5"])
    }

    /// Observations are checked when the message is read and built only when stored (`DeferredResource`):
    /// the check must find exactly the values the build leaves out, report each problem once, and the
    /// build must give the same tree every time without recording anything.
    @Test func observationsAreCheckedWhenReadAndBuiltTheSameWhenStored() throws {
        let cases: [(type: String, value: String)] = [
            ("NM", "+.50"), ("NM", "high"), ("NM", "1e5"), ("NM", "-3"), ("NM", ""),
            ("DT", "20240102"), ("DT", "2024-01-02"), ("DTM", "202401021230+0100"), ("DTM", "February 2 2024"), ("TS", "2024"),
            ("TM", "1230"), ("TM", "12:30"), ("TM", "1"), ("TM", "123045.5"),
            ("SN", ">^10"), ("SN", "^1^:^128"), ("SN", "^2^-^4"), ("SN", "~^10"), ("SN", "^x^-^4"), ("SN", "^2^*^4"),
            ("ST", "text"), ("CWE", "260373001^Detected^SCT"),
        ]
        for c in cases {
            let segs = [HL7Samples.msh("ORU^R01"), HL7Samples.pid, "OBR|1|P1^EPR||X^Y^LN|||||||||||||||||||||F",
                        "OBX|1|\(c.type)|C^D^LN||\(c.value)|mg|||||F"]
            let m = HL7Samples.message(segs)
            let report = try #require(m.reports.first, "\(c)")
            let built = report.observations
            #expect(built == report.observations, "\(c): the same tree at every build")
            let obs = try #require(built.first, "\(c)")
            let hasValue = obs.object?.members.contains { $0.key.hasPrefix("value") } ?? false
            let flagged = m.issues.filter { $0.code == "data-type" && $0.location == "OBX-5" }.count
            #expect(flagged == (hasValue || c.value.isEmpty ? 0 : 1), "\(c): one issue exactly when the value is left out")
        }
        // Each problem of an OBX is reported once, by the reading (its OBR's date too, as a warning).
        let m = HL7Samples.message([HL7Samples.msh("ORU^R01"), HL7Samples.pid, "OBR|1|P1^EPR||X^Y^LN|||bad||||||||||||||||||F",
                                    "OBX|1|NM|C^D^LN||high|||||Q"])
        #expect(m.issues.filter { $0.location == "OBX-5" }.count == 1)
        #expect(m.issues.filter { $0.location == "OBX-11" }.count == 1)
        #expect(m.issues.filter { $0.location == "OBR-7" && $0.severity == .warning }.count == 1)
        #expect(m.reports.first?.observations.first?["valueQuantity"] == nil)
    }

    @Test func nhsNumbersAreCheckedWithModulus11() {
        var segs = HL7Samples.oru()
        segs[1] = "PID|1||9434765918^^^NHS^NH||SMITH^JANE"
        let bad = HL7Samples.message(segs)
        #expect(bad.issues.contains { $0.code == "nhs-number-check-digit" && $0.location == "PID-3.1" })
        #expect(bad.patient?.nhsNumber == nil)
        #expect(bad.issues.allSatisfy { !$0.text.contains("9434765918") && !$0.text.contains("SMITH") })
        segs[1] = "PID|1||H1^^^RXH^MR~9434765919^^^^NH||SMITH^JANE"
        #expect(HL7Samples.message(segs).patient?.nhsNumber == "9434765919")
    }

    @Test func referralAndItsResponseMoveTheReferral() throws {
        let ref = HL7Samples.message([HL7Samples.msh("REF^I12^REF_I12"), "RF1|P|R^Routine|CARD^Cardiology|||REF001^GPSYS|20240301",
                                      "PRD|RP|WHO^JOHN", "PRD|RT|HEART^CLINIC", HL7Samples.pid])
        #expect(ref.issues.filter(\.isError).isEmpty)
        let r = try #require(ref.requests.first)
        #expect(r.isReferral)
        #expect(r.event == .new)
        #expect(r.keys == ["plac|GPSYS|REF001"])
        #expect(r.resource["requester"]?["display"]?.string == "JOHN WHO")
        let accept = HL7Samples.message([HL7Samples.msh("RRI^I12^RRI_I12"), "MSA|AA|MSG001", "RF1|A|||||REF001^GPSYS", "PRD|RT|HEART", HL7Samples.pid])
        #expect(accept.requests.first?.event == .accepted)
        let reject = HL7Samples.message([HL7Samples.msh("RRI^I12"), "RF1|R|||||REF001||||^Not appropriate", "PRD|RT|HEART", HL7Samples.pid])
        #expect(reject.requests.first?.event == .rejected(reason: "Not appropriate"))
        #expect(reject.requests.first?.keys == ["plac|POSTROOM|REF001"])  // the referral was placed by the receiver
    }

    @Test func acknowledgementsAreDecodedButNeverAnswered() {
        let m = HL7Samples.message(["MSH|^~\\&|A|B|C|D|20240101||ACK^R01^ACK|A1|P|2.5.1", "MSA|AA|MSG001"])
        #expect(m.type == "ACK")
        #expect(m.requests.isEmpty && m.reports.isEmpty)
        guard case .hl7v2(let ctx) = m.answer else { Issue.record("answer"); return }
        #expect(ctx.isAcknowledgement)
        #expect(HL7AckBuilder.acknowledgement(for: ctx, result: MessageResult(disposition: .accepted, issues: []), env: AckEnvironment()).isEmpty)
    }
}
