import Testing
@testable import PostroomCore

@Suite struct FHIRMessagingTests {
    func corpus(_ name: String) -> InboundMessage? {
        FHIRDecoder.decode(FHIRFixtures.corpusBytes(name), options: DecodeOptions()).messages.first
    }

    func context(_ m: InboundMessage?) -> FHIRMessageContext? {
        if case .fhirMessage(let ctx)? = m?.answer { return ctx }
        return nil
    }

    @Test func messageBundlesGiveTheResponseItsContext() throws {
        let m = try #require(corpus("r4ex_Bundle-10bb101f-a121-4264-a920-67be9cb82c74.json"))
        #expect(m.type == "Bundle/message")
        let ctx = try #require(context(m))
        #expect(ctx.bundleID == "10bb101f-a121-4264-a920-67be9cb82c74")
        #expect(ctx.messageHeaderID == "267b18ce-3d37-4581-9baa-6fada338038b")
        #expect(ctx.eventSystem == "http://example.org/fhir/message-events" && ctx.eventCode == "patient-link")
        #expect(ctx.sourceEndpoint == "http://example.org/clients/ehr-lite")
        #expect(!ctx.isResponse)
    }

    @Test func responsesAreRecognisedAndNeverAnswered() throws {
        #expect(try #require(context(corpus("r4ex_Bundle-3a0707d3-549e-4467-b8b8-5a2ab3800efe.json"))).isResponse)
        #expect(try #require(context(corpus("eps_2-Process-Response-Cancel-200_OK.json"))).isResponse)
        // EPS dispense notifications quote the prescription in response.identifier but are requests.
        #expect(try #require(context(corpus("eps_dispense-notification_acute-primary-example-01-req.json"))).isResponse == false)
    }

    @Test func dedupeKeysNameBundleHeaderAndIdentifierWithUUIDsLowerCased() throws {
        let m = try #require(corpus("eps_1-Process-Request-Send-400_INVALID_CHECKSUM.json"))
        #expect(m.dedupeKeys == ["fhir-bundle|0a1fd9ef-a3d5-4e95-84cd-352070a03086",
                                 "fhir-header|0a1fd9ef-a3d5-4e95-84cd-552070a03086",
                                 "fhir-identifier|https://tools.ietf.org/html/rfc4122|34470bbf-07cb-4b49-bef9-f958114f821f"])
        #expect(try #require(corpus("r4ex_Task-example1.json")).dedupeKeys.isEmpty)
    }

    @Test func nonMessageContentIsAnsweredAsAResource() throws {
        let m = try #require(corpus("r4ex_Task-example1.json"))
        guard case .fhirResource(let type, let id) = m.answer else {
            Issue.record("expected a resource answer")
            return
        }
        #expect(type == "Task" && id == "example1")
        guard case .fhirResource(let bundleType, _) = try #require(corpus("r4ex_Bundle-f001.json")).answer else {
            Issue.record("expected a resource answer")
            return
        }
        #expect(bundleType == "Bundle")
    }

    @Test func transactionsListTheirEntriesForTheAnswer() throws {
        let m = try #require(corpus("r4ex_Bundle-bundle-transaction.json"))
        let batch = try #require(m.fhirBatch)
        #expect(batch.kind == .transaction && batch.kind.responseType == "transaction-response")
        #expect(batch.entries.count == 10)
        #expect(batch.entries.map(\.method) == ["POST", "POST", "PUT", "PUT", "PUT", "DELETE", "DELETE", "POST", "GET", "GET"])
        #expect(batch.entries[1].ifNoneExist == "identifier=http:/example.org/fhir/ids|234234")
        #expect(batch.entries.allSatisfy { !$0.hasErrors })
        #expect(m.issues.isEmpty)
    }

    @Test func batchEntryIssuesAndFactsCarryTheirEntryIndex() throws {
        let m = try #require(corpus("mscvt_LAB-ORU-1-expected.json"))
        let batch = try #require(m.fhirBatch)
        #expect(batch.kind == .batch)
        #expect(batch.entries[1].hasErrors)
        #expect(batch.entries.enumerated().filter { $0.element.hasErrors }.map(\.offset) == [1])
        #expect(m.requests.map(\.entryIndex) == [9, 22])
        #expect(m.reports.compactMap(\.entryIndex).count == 2)
        #expect(FHIRBatchContext.entryIndex(of: "Bundle.entry[12].resource.x") == 12)
        #expect(FHIRBatchContext.entryIndex(of: "Task.status") == nil)
    }

    @Test func documentsBecomeDocumentReports() throws {
        let m = try #require(corpus("r4ex_Bundle-father.json"))
        let report = try #require(m.reports.first)
        #expect(report.kind == .document)
        #expect(report.identity == "fhir-document|urn:ietf:rfc:3986|urn:uuid:0c3151bd-1cbf-4d64-b04d-cd9187a4c6e0")
        #expect(report.status == "final")
        #expect(report.resource["resourceType"]?.string == "DocumentReference")
        let composition = try JSONParser().parse(FHIRFixtures.corpusBytes("r4ex_Bundle-father.json"))["entry"]?[0]?["resource"]
        #expect(report.resource["type"] != nil && report.resource["type"] == composition?["type"])
        #expect(FHIRValidator().issues(report.resource).isEmpty, "\(FHIRValidator().issues(report.resource).map(\.code))")
        #expect(m.patient?.keys.contains("ref|Patient/d1") == true)
    }

    @Test func documentReplacementsNameTheReplacedDocument() throws {
        let text = #"""
        {"resourceType":"Bundle","type":"document","identifier":{"system":"https://tools.ietf.org/html/rfc4122","value":"1C3151BD-1CBF-4D64-B04D-CD9187A4C6E0"},"timestamp":"2024-01-01T10:00:00Z",
         "entry":[{"fullUrl":"urn:uuid:00000000-0000-4000-8000-000000000001","resource":{"resourceType":"Composition","status":"amended","type":{"text":"Discharge"},"date":"2024-01-01","author":[{"display":"Dr A"}],"title":"T",
           "relatesTo":[{"code":"replaces","targetIdentifier":{"system":"https://tools.ietf.org/html/rfc4122","value":"2c3151bd-1cbf-4d64-b04d-cd9187a4c6e0"}}]}}]}
        """#
        let m = try #require(FHIRFixtures.decode(text).messages.first)
        #expect(m.issues.isEmpty)
        let report = try #require(m.reports.first)
        #expect(report.identity == "fhir-document|https://tools.ietf.org/html/rfc4122|1c3151bd-1cbf-4d64-b04d-cd9187a4c6e0")
        #expect(report.replaces == "fhir-document|https://tools.ietf.org/html/rfc4122|2c3151bd-1cbf-4d64-b04d-cd9187a4c6e0")
        #expect(report.resource["relatesTo"]?[0]?["code"]?.string == "replaces")
        #expect(report.resource["date"]?.string == "2024-01-01T10:00:00Z")
        #expect(FHIRValidator().issues(report.resource).isEmpty)
    }
}
