import Testing
@testable import PostroomCore

@Suite struct FHIRDecoderTests {
    func message(_ text: String) -> InboundMessage? {
        let drop = FHIRFixtures.decode(text)
        #expect(drop.issues.isEmpty, "drop issues: \(drop.issues.map(\.code))")
        return drop.messages.first
    }

    func corpus(_ name: String) -> InboundMessage? {
        FHIRDecoder.decode(FHIRFixtures.corpusBytes(name), options: DecodeOptions()).messages.first
    }

    // MARK: Reading

    @Test func refusesFHIRXMLClearly() {
        let bytes = FHIRFixtures.corpusBytes("ukcore_UKCore-Task-Colonoscopy-Example.xml")
        let drop = FHIRDecoder.decode(bytes, options: DecodeOptions())
        #expect(drop.issues.map(\.code) == ["fhir-xml-not-supported"])
        #expect(drop.issues.first?.type == "not-supported")
        let viaDispatcher = Decoder.decode(bytes, accepting: [.fhir])
        #expect(viaDispatcher.messages.isEmpty && viaDispatcher.issues.hasErrors)
    }

    @Test func reportsJSONSyntaxErrorsWithLineAndColumn() {
        let drop = FHIRFixtures.decode("{\n  \"resourceType\": \"Task\",\n  \"status\" \"x\"\n}")
        #expect(drop.messages.isEmpty)
        #expect(drop.issues.map(\.code) == ["json-syntax"])
        #expect(drop.issues.first?.location == "line 3, column 12")
    }

    @Test func boundsJSONDepth() {
        let deep = #"{"resourceType":"Basic","extension":"# + String(repeating: "[", count: 40) + String(repeating: "]", count: 40) + "}"
        var options = DecodeOptions()
        options.maxJSONDepth = 16
        let drop = FHIRDecoder.decode(Array(deep.utf8), options: options)
        #expect(drop.issues.map(\.code) == ["json-syntax"])
    }

    @Test func refusesJSONThatIsNoResource() {
        #expect(FHIRFixtures.decode(#"[1,2]"#).issues.map(\.code) == ["resource-type-missing"])
        #expect(FHIRFixtures.decode(#"{"a":1}"#).issues.map(\.code) == ["resource-type-missing"])
    }

    @Test func keepsEveryByteOfContentItDoesNotKnow() throws {
        let text = #"{"resourceType":"ServiceRequest","id":"a","status":"active","intent":"order","subject":{"reference":"Patient/p"},"extension":[{"url":"http://x/y","valueDecimal":1.50}],"_status":{"id":"s1"}}"#
        let request = try #require(message(text)?.requests.first)
        #expect(JSONWriter().string(request.resource) == text)
    }

    // MARK: Requests

    @Test(arguments: [("active", RequestEvent.new), ("draft", .new), ("revoked", .cancelled(reason: nil)),
                      ("entered-in-error", .cancelled(reason: nil)), ("on-hold", .onHold), ("completed", .noted("completed"))])
    func serviceRequestStatusesBecomeEvents(_ status: String, _ event: RequestEvent) throws {
        let text = #"{"resourceType":"ServiceRequest","id":"a","status":"\#(status)","intent":"order","subject":{"reference":"Patient/p"}}"#
        #expect(try #require(message(text)?.requests.first).event == event)
    }

    @Test func serviceRequestKeysComeFromIdFullUrlAndTypedIdentifiers() throws {
        let m = try #require(corpus("mscvt_ORM-O01-01-expected.json"))
        let request = try #require(m.requests.first)
        #expect(request.keys.contains("ref|ServiceRequest/593d8946-c0ad-b912-332a-2993c02ccae5"))
        #expect(request.keys.contains("ref|urn:uuid:593d8946-c0ad-b912-332a-2993c02ccae5"))
        #expect(request.keys.contains("plac|http://example.com/v2-to-fhir-converter/Identifier/GHHPlacer|1101"))
        #expect(request.keys.contains("fill|http://example.com/v2-to-fhir-converter/Identifier/GHHFiller|1201"))
        #expect(request.entryIndex == 24)
    }

    @Test func referralsAreRecognisedByTheirCategoryOrCode() throws {
        #expect(try #require(corpus("iops_ServiceRequest-virtualWards.json")?.requests.first).isReferral)
        #expect(try #require(corpus("ers_ResponseExampleReferral.json")?.requests.first).isReferral)
        #expect(try #require(corpus("r4ex_ServiceRequest-lipid.json")?.requests.first).isReferral == false)
    }

    // MARK: Reports

    @Test func diagnosticReportBasedOnResolvesToTheRequestInTheBundle() throws {
        let m = try #require(corpus("r4ex_Bundle-f001.json"))
        let report = try #require(m.reports.first)
        #expect(report.kind == .diagnosticReport)
        #expect(report.requestKeys.contains("ref|ServiceRequest/req"))
        #expect(report.requestKeys.contains("ref|https://example.com/base/ServiceRequest/req"))
        #expect(report.requestKeys.contains("id|http://www.bmc.nl/zorgportal/identifiers/labresults|L2381"))
        #expect(report.identity == "fhir-report|http://www.bmc.nl/zorgportal/identifiers/reports|nr1239044")
        #expect(report.status == "final")
    }

    @Test func diagnosticReportCarriesItsObservations() throws {
        let report = try #require(corpus("r4ex_Bundle-lipids.json")?.reports.first)
        #expect(report.observations.count == 4)
        let contained = ##"{"resourceType":"DiagnosticReport","id":"r","status":"final","code":{"text":"x"},"contained":[{"resourceType":"Observation","id":"o","status":"final","code":{"text":"y"}}],"result":[{"reference":"#o"}]}"##
        #expect(try #require(message(contained)?.reports.first).observations.count == 1)
    }

    @Test func basedOnIdentifiersAndReportPlacerNumbersBecomeRequestKeys() throws {
        let text = #"""
        {"resourceType":"DiagnosticReport","id":"r1","status":"corrected","code":{"text":"x"},
         "identifier":[{"type":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/v2-0203","code":"PLAC"}]},"system":"urn:oid:1.2","value":"P1"},
                       {"type":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/v2-0203","code":"FILL"}]},"system":"urn:oid:1.3","value":"F1"}],
         "basedOn":[{"identifier":{"system":"urn:oid:1.4","value":"X"}},{"reference":"http://lab/fhir/ServiceRequest/s1"}]}
        """#
        let report = try #require(message(text)?.reports.first)
        #expect(report.requestKeys == ["id|urn:oid:1.4|X", "ref|http://lab/fhir/ServiceRequest/s1", "ref|ServiceRequest/s1",
                                       "plac|urn:oid:1.2|P1", "fill|urn:oid:1.3|F1"])
        #expect(report.identity == "fhir-report|urn:oid:1.3|F1")
        #expect(report.isFinal)
    }

    @Test func reportIdentityFallsBackToTheReportId() throws {
        #expect(try #require(corpus("r4ex_DiagnosticReport-example-pgx.json")?.reports.first).identity == "fhir-report|ref|DiagnosticReport/example-pgx")
    }

    @Test func aReportAboutAnotherPatientThanItsRequestIsFlagged() throws {
        let text = #"""
        {"resourceType":"Bundle","type":"collection","entry":[
         {"fullUrl":"urn:uuid:00000000-0000-4000-8000-000000000001","resource":{"resourceType":"Patient","identifier":[{"system":"https://fhir.nhs.uk/Id/nhs-number","value":"9434765919"}]}},
         {"fullUrl":"urn:uuid:00000000-0000-4000-8000-000000000002","resource":{"resourceType":"Patient","identifier":[{"system":"https://fhir.nhs.uk/Id/nhs-number","value":"9449305552"}]}},
         {"fullUrl":"urn:uuid:00000000-0000-4000-8000-000000000003","resource":{"resourceType":"ServiceRequest","status":"active","intent":"order","subject":{"reference":"urn:uuid:00000000-0000-4000-8000-000000000001"}}},
         {"fullUrl":"urn:uuid:00000000-0000-4000-8000-000000000004","resource":{"resourceType":"DiagnosticReport","status":"final","code":{"text":"x"},"subject":{"reference":"urn:uuid:00000000-0000-4000-8000-000000000002"},"basedOn":[{"reference":"urn:uuid:00000000-0000-4000-8000-000000000003"}]}}]}
        """#
        let m = try #require(message(text))
        #expect(m.issues.map(\.code) == ["patient-mismatch"])
        #expect(m.issues.first?.location == "Bundle.entry[3].resource.subject")
        #expect(m.patient?.nhsNumber == "9434765919")
    }

    // MARK: Tasks

    @Test(arguments: [("r4ex_Task-example1.json", "in-progress", ["ref|ServiceRequest/lipid"], [String]()),
                      ("r4ex_Task-example2.json", "accepted", [], ["ref|Task/example1"]),
                      ("r4ex_Task-example3.json", "draft", ["ref|MedicationRequest/medrx002"], []),
                      ("r4ex_Task-example4.json", "completed", [], ["ref|Task/example1"]),
                      ("r4ex_Task-example5.json", "in-progress", ["ref|ServiceRequest/lipid"], []),
                      ("r4ex_Task-example6.json", "completed", ["ref|ServiceRequest/lipid"], [])])
    func r4TaskExamplesDecodeToTaskFacts(_ name: String, _ status: String, _ focus: [String], _ partOf: [String]) throws {
        let m = try #require(corpus(name))
        #expect(m.issues.isEmpty)
        let task = try #require(m.tasks.first)
        #expect(task.status == status)
        #expect(task.focusKeys == focus)
        #expect(task.partOfKeys == partOf)
        #expect(task.keys.first == "ref|Task/" + name.dropFirst("r4ex_Task-".count).dropLast(".json".count))
        #expect(m.patient?.keys.contains("ref|Patient/example") == true || name == "r4ex_Task-example3.json")
    }

    @Test func taskOwnerAndRequesterODSCodes() throws {
        let eps = try #require(corpus("eps_task_success.json")?.tasks.first)
        #expect(eps.ownerODS == "FA666" && eps.requesterODS == "C81007")
        let text = #"""
        {"resourceType":"Bundle","type":"collection","entry":[
         {"fullUrl":"urn:uuid:00000000-0000-4000-8000-000000000001","resource":{"resourceType":"Task","status":"requested","intent":"order",
           "owner":{"reference":"urn:uuid:00000000-0000-4000-8000-000000000002"},"requester":{"reference":"urn:uuid:00000000-0000-4000-8000-000000000003"}}},
         {"fullUrl":"urn:uuid:00000000-0000-4000-8000-000000000002","resource":{"resourceType":"Organization","identifier":[{"system":"https://fhir.nhs.uk/Id/ods-organization-code","value":"RBA"}]}},
         {"fullUrl":"urn:uuid:00000000-0000-4000-8000-000000000003","resource":{"resourceType":"PractitionerRole","organization":{"identifier":{"system":"https://fhir.nhs.uk/Id/ods-organization-code","value":"A83008"}}}}]}
        """#
        let task = try #require(message(text)?.tasks.first)
        #expect(task.ownerODS == "RBA")
        #expect(task.requesterODS == "A83008")
        #expect(task.entryIndex == 0)
    }

    @Test func epsTaskFocusIsTheIdentifierOfTheMessage() throws {
        let task = try #require(corpus("eps_return_acute-primary-example-req.json")?.tasks.first)
        #expect(task.status == "rejected")
        #expect(task.focusKeys == ["id|https://tools.ietf.org/html/rfc4122|a5d77265-8ba5-4c74-b8ce-ea0dbaafbdb8"])
    }

    // MARK: Patients

    @Test func patientFactsCarryAValidNHSNumberOnly() throws {
        let good = try #require(corpus("eps_1-Process-Request-Send-200_OK.json")?.patient)
        #expect(good.nhsNumber == "5839945242" && good.keys.contains("nhs|5839945242"))
        #expect(good.resource?["resourceType"]?.string == "Patient")
        let bad = try #require(corpus("bars_request_ValidationRequest_POST.json")?.patient)
        #expect(bad.nhsNumber == nil && !bad.keys.contains { $0.hasPrefix("nhs|") })
    }

    @Test func aSubjectIdentifierMakesPatientFactsWithoutAPatientResource() throws {
        let p = try #require(corpus("iops_ServiceRequest-virtualWards.json")?.patient)
        #expect(p.nhsNumber == "9876543210" && p.resource == nil)
    }
}
