import Foundation
import Testing
@testable import PostroomCore

@Suite struct FHIRResponseBuilderTests {
    let ctx = FHIRMessageContext(bundleID: "b1", messageHeaderID: "0a1fd9ef-a3d5-4e95-84cd-552070a03086",
                                 eventSystem: "http://example.org/events", eventCode: "order", sourceEndpoint: "https://sender.example/fhir",
                                 sourceName: "Sender")

    func roundTrip(_ value: JSONValue) throws -> JSONValue {
        try JSONParser().parse(JSONWriter(pretty: true).bytes(value))
    }

    @Test func aResponseMessageFollowsTheMessagingRules() throws {
        let issue = PostroomCore.Issue.error("nhs-number-check-digit", type: "value", at: "Bundle.entry[2].resource.identifier[0].value", "NHS number fails")
        let bundle = try roundTrip(FHIRResponseBuilder.response(to: ctx, result: MessageResult(disposition: .rejected, issues: [issue]), env: FHIRFixtures.env()))
        #expect(FHIRValidator().issues(bundle).isEmpty, "\(FHIRValidator().issues(bundle).map { "\($0.code) \($0.location ?? "")" })")
        #expect(bundle["type"]?.string == "message")
        let header = try #require(bundle["entry"]?[0]?["resource"])
        #expect(header["resourceType"]?.string == "MessageHeader")
        #expect(header["response"]?["identifier"]?.string == "0a1fd9ef-a3d5-4e95-84cd-552070a03086")
        #expect(header["response"]?["code"]?.string == "fatal-error")
        #expect(header["destination"]?[0]?["endpoint"]?.string == "https://sender.example/fhir")
        #expect(header["eventCoding"]?["code"]?.string == "order")
        let details = try #require(header["response"]?["details"]?["reference"]?.string)
        #expect(bundle["entry"]?[1]?["fullUrl"]?.string == details)
        let outcome = try #require(bundle["entry"]?[1]?["resource"])
        #expect(outcome["issue"]?[0]?["expression"]?[0]?.string == "Bundle.entry[2].resource.identifier[0].value")
        #expect(outcome["issue"]?[0]?["details"]?["coding"]?[0]?["code"]?.string == "nhs-number-check-digit")
        #expect(FHIRDecoder.decode(JSONWriter().bytes(bundle), options: DecodeOptions()).messages.first.map { m in
            if case .fhirMessage(let c) = m.answer { return c.isResponse }
            return false
        } == true)
    }

    @Test(arguments: [(MessageResult.Disposition.accepted, false, "ok"), (.held, false, "ok"), (.duplicate, false, "ok"),
                      (.rejected, false, "fatal-error"), (.rejected, true, "transient-error")])
    func responseCodes(_ disposition: MessageResult.Disposition, _ transient: Bool, _ code: String) {
        let bundle = FHIRResponseBuilder.response(to: ctx, result: MessageResult(disposition: disposition, issues: [], transient: transient),
                                                  env: FHIRFixtures.env())
        #expect(bundle["entry"]?[0]?["resource"]?["response"]?["code"]?.string == code)
        #expect(FHIRValidator().issues(bundle).isEmpty)
    }

    @Test func epsOrdersAreAnsweredWithTheEPSResponseEvent() {
        let eps = FHIRMessageContext(bundleID: "b", messageHeaderID: nil, eventSystem: EPSMessageRules.eventSystem,
                                     eventCode: "prescription-order", sourceEndpoint: "https://x")
        let bundle = FHIRResponseBuilder.response(to: eps, result: MessageResult(disposition: .accepted, issues: []), env: FHIRFixtures.env())
        let header = bundle["entry"]?[0]?["resource"]
        #expect(header?["eventCoding"]?["code"]?.string == "prescription-order-response")
        // No MessageHeader.id in the request: the Bundle.id is quoted.
        #expect(header?["response"]?["identifier"]?.string == "b")
        #expect(FHIRValidator().issues(bundle).isEmpty)
    }

    @Test func aResponseStaysValidWhateverTheRequestLacked() {
        let bare = FHIRMessageContext(bundleID: "not an id!", eventCode: "urn:example:event")
        let bundle = FHIRResponseBuilder.response(to: bare, result: MessageResult(disposition: .accepted, issues: []), env: FHIRFixtures.env())
        #expect(bundle["entry"]?[0]?["resource"]?["eventUri"]?.string == "urn:example:event")
        #expect(bundle["entry"]?[0]?["resource"]?["destination"] == nil)
        #expect(FHIRValidator().issues(bundle).isEmpty)
    }

    @Test func batchAndTransactionResponsesHaveOneEntryPerRequestInOrder() throws {
        let results = [FHIRBundleEntryResult.success(method: "POST", location: "Task/1/_history/1"),
                       .failure([.error("code-not-in-required-binding", type: "code-invalid", at: "Bundle.entry[1].resource.status", "bad code")]),
                       .success(method: "DELETE"), .success(method: "PUT", location: "Patient/2/_history/3"),
                       FHIRBundleEntryResult(status: FHIRBundleEntryResult.statusLine(404), lastModified: Date(timeIntervalSince1970: 0))]
        let bundle = try roundTrip(FHIRResponseBuilder.batchResponse(type: .batch, entryResults: results, env: FHIRFixtures.env()))
        #expect(FHIRValidator().issues(bundle).isEmpty, "\(FHIRValidator().issues(bundle).map(\.code))")
        #expect(bundle["type"]?.string == "batch-response")
        let statuses = (bundle["entry"]?.array ?? []).compactMap { $0["response"]?["status"]?.string }
        #expect(statuses == ["201 Created", "400 Bad Request", "204 No Content", "200 OK", "404 Not Found"])
        #expect(bundle["entry"]?[1]?["response"]?["outcome"]?["resourceType"]?.string == "OperationOutcome")
        #expect(bundle["entry"]?[0]?["response"]?["location"]?.string == "Task/1/_history/1")
        let transaction = FHIRResponseBuilder.batchResponse(type: .transaction, entryResults: [.success(method: "POST")], env: FHIRFixtures.env())
        #expect(transaction["type"]?.string == "transaction-response")
        #expect(FHIRValidator().issues(transaction).isEmpty)
    }

    @Test func operationOutcomesOfEveryKindAreValidR4() {
        let issues: [PostroomCore.Issue] = [
            .fatal("json-syntax", type: "structure", at: "line 3, column 12", "The file is not valid JSON"),
            .error("fhir-stu3-not-supported", type: "not-supported", at: "Bundle.entry[0].resource.event", "STU3"),
            .warning("something", type: "informational", "note"),
            .information("fine", "ok"),
            .error("task-invalid-transition", type: "business-rule", at: "Task.status", "no"),
        ]
        #expect(FHIRValidator().issues(OperationOutcomeBuilder.build(id: "oo1", issues: issues)).isEmpty)
        #expect(FHIRValidator().issues(OperationOutcomeBuilder.build(id: "oo2", issues: [])).isEmpty)
    }

    @Test func everyAcknowledgementOfAFHIRDropIsValidR4() throws {
        for name in FHIRFixtures.corpusNames() {
            let drop = Decoder.decode(FHIRFixtures.corpusBytes(name), accepting: [.fhir])
            let results = drop.messages.map { MessageResult(disposition: $0.issues.hasErrors ? .rejected : .accepted, issues: $0.issues) }
            guard let ack = Acknowledger.answer(drop: drop, results: results, env: FHIRFixtures.env()) else { continue }
            let value = try JSONParser().parse(ack.bytes)
            let issues = FHIRValidator().issues(value)
            #expect(issues.isEmpty, "\(name): \(issues.map { "\($0.code) \($0.location ?? "")" })")
        }
    }
}
