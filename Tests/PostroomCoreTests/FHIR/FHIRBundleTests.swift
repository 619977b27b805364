import Testing
@testable import PostroomCore

@Suite struct FHIRBundleTests {
    let patient = #"{"resourceType":"Patient","id":"p1"}"#
    let header = #"{"resourceType":"MessageHeader","id":"h1","eventCoding":{"code":"x"},"source":{"endpoint":"urn:a"}}"#

    func bundle(_ type: String, _ entries: [String], extra: String = "") -> String {
        #"{"resourceType":"Bundle","type":"\#(type)"\#(extra),"entry":[\#(entries.joined(separator: ","))]}"#
    }

    func codes(_ text: String) -> [String] { FHIRFixtures.codes(text) }

    @Test func bdl1TotalOnlyInSearchsetAndHistory() {
        #expect(codes(bundle("collection", [#"{"resource":\#(patient)}"#], extra: #","total":1"#)) == ["bdl-1"])
        #expect(codes(bundle("searchset", [#"{"resource":\#(patient)}"#], extra: #","total":1"#)).isEmpty)
    }

    @Test func bdl2SearchOnlyInSearchset() {
        #expect(codes(bundle("collection", [#"{"resource":\#(patient),"search":{"mode":"match"}}"#])) == ["bdl-2"])
    }

    @Test func bdl3RequestRequiredInBatchTransactionHistoryAndProhibitedElsewhere() {
        #expect(codes(bundle("transaction", [#"{"resource":\#(patient)}"#])) == ["bdl-3"])
        #expect(codes(bundle("collection", [#"{"resource":\#(patient),"request":{"method":"POST","url":"Patient"}}"#])) == ["bdl-3"])
        #expect(codes(bundle("batch", [#"{"resource":\#(patient),"request":{"method":"POST","url":"Patient"}}"#])).isEmpty)
    }

    @Test func bdl4ResponseRequiredInResponsesAndProhibitedElsewhere() {
        #expect(codes(bundle("batch-response", [#"{"resource":\#(patient)}"#])) == ["bdl-4"])
        #expect(codes(bundle("collection", [#"{"resource":\#(patient),"response":{"status":"200"}}"#])) == ["bdl-4"])
        #expect(codes(bundle("transaction-response", [#"{"response":{"status":"201 Created"}}"#])).isEmpty)
    }

    @Test func bdl5AnEntryNeedsAResourceRequestOrResponse() {
        #expect(codes(bundle("collection", [#"{"fullUrl":"urn:uuid:0c3151bd-1cbf-4d64-b04d-cd9187a4c6e0"}"#])) == ["bdl-5"])
    }

    @Test func bdl7FullUrlsAreUniqueUnlessVersionsDiffer() {
        let a = #"{"fullUrl":"http://x/Patient/p1","resource":{"resourceType":"Patient","id":"p1","meta":{"versionId":"1"}}}"#
        let b = #"{"fullUrl":"http://x/Patient/p1","resource":{"resourceType":"Patient","id":"p1","meta":{"versionId":"2"}}}"#
        #expect(codes(bundle("collection", [a, b])).isEmpty)
        #expect(codes(bundle("collection", [a, a])) == ["bdl-7"])
        #expect(codes(bundle("history", [#"{"fullUrl":"http://x/Patient/p1","resource":\#(patient),"request":{"method":"PUT","url":"Patient/p1"},"response":{"status":"200"}}"#,
                                        #"{"fullUrl":"http://x/Patient/p1","resource":\#(patient),"request":{"method":"PUT","url":"Patient/p1"},"response":{"status":"200"}}"#])).isEmpty)
    }

    @Test func bdl8FullUrlIsNotVersionSpecific() {
        #expect(codes(bundle("collection", [#"{"fullUrl":"http://x/Patient/p1/_history/2","resource":\#(patient)}"#])) == ["bdl-8"])
    }

    @Test func bdl9To11Documents() {
        let composition = #"{"resourceType":"Composition","status":"final","type":{"text":"x"},"date":"2024-01-01","author":[{"display":"A"}],"title":"T"}"#
        #expect(Set(codes(bundle("document", [#"{"resource":\#(patient)}"#]))) == ["bdl-9", "bdl-10", "bdl-11"])
        let ok = bundle("document", [#"{"fullUrl":"urn:uuid:0c3151bd-1cbf-4d64-b04d-cd9187a4c6e0","resource":\#(composition)}"#],
                        extra: #","identifier":{"system":"urn:ietf:rfc:3986","value":"urn:uuid:1c3151bd-1cbf-4d64-b04d-cd9187a4c6e0"},"timestamp":"2024-01-01T00:00:00Z""#)
        #expect(codes(ok).isEmpty)
    }

    @Test func bdl12MessagesStartWithAMessageHeader() {
        #expect(codes(bundle("message", [#"{"resource":\#(patient)}"#, #"{"resource":\#(header)}"#])) == ["bdl-12"])
        #expect(codes(bundle("message", [#"{"resource":\#(header)}"#, #"{"resource":\#(patient)}"#])).isEmpty)
    }

    @Test func aRestfulFullUrlMustNameTheResourceId() {
        let issues = FHIRFixtures.issues(bundle("collection", [#"{"fullUrl":"http://x/fhir/Patient/p2","resource":\#(patient)}"#]))
        #expect(issues.map(\.code) == ["bundle-fullurl-id-mismatch"])
        #expect(issues.first?.location == "Bundle.entry[0].fullUrl")
    }

    @Test func unresolvedURNReferencesAreReportedWithTheirExpression() {
        let task = #"{"resourceType":"Task","status":"requested","intent":"order","for":{"reference":"urn:uuid:9c3151bd-1cbf-4d64-b04d-cd9187a4c6e0"}}"#
        let issues = FHIRFixtures.issues(bundle("collection", [#"{"fullUrl":"urn:uuid:0c3151bd-1cbf-4d64-b04d-cd9187a4c6e0","resource":\#(task)}"#]))
        #expect(issues.map(\.code) == ["reference-not-found"])
        #expect(issues.first?.type == "not-found")
        #expect(issues.first?.location == "Bundle.entry[0].resource.for.reference")
    }

    @Test func urnReferencesResolveCaseInsensitively() {
        let task = #"{"resourceType":"Task","status":"requested","intent":"order","for":{"reference":"urn:uuid:0C3151BD-1CBF-4D64-B04D-CD9187A4C6E0"}}"#
        let text = bundle("collection", [#"{"fullUrl":"urn:uuid:0c3151bd-1cbf-4d64-b04d-cd9187a4c6e0","resource":\#(patient)}"#,
                                         #"{"fullUrl":"urn:uuid:1c3151bd-1cbf-4d64-b04d-cd9187a4c6e0","resource":\#(task)}"#])
        #expect(codes(text).isEmpty)
    }

    // MARK: Reference resolution (DOMAIN.md §4.8)

    func index(_ entries: [String]) -> FHIRBundleIndex {
        FHIRBundleIndex(bundle: FHIRFixtures.json(bundle("collection", entries)).object ?? JSONObject())
    }

    @Test func resolvesAbsoluteURLsAndURNsByExactFullUrl() {
        let i = index([#"{"fullUrl":"http://a/fhir/Patient/p1","resource":\#(patient)}"#,
                       #"{"fullUrl":"urn:oid:1.2.3","resource":{"resourceType":"Patient","id":"p2"}}"#])
        #expect(i.resolve("http://a/fhir/Patient/p1", from: nil)?.index == 0)
        #expect(i.resolve("urn:oid:1.2.3", from: nil)?.index == 1)
        #expect(i.resolve("http://b/fhir/Patient/p1", from: nil) == nil)
    }

    @Test func resolvesRelativeReferencesAgainstTheReferringEntrysBase() {
        let i = index([#"{"fullUrl":"http://a/fhir/Patient/p1","resource":\#(patient)}"#,
                       #"{"fullUrl":"http://b/fhir/Patient/p1","resource":{"resourceType":"Patient","id":"p1"}}"#,
                       #"{"fullUrl":"http://b/fhir/Task/t1","resource":{"resourceType":"Task","id":"t1"}}"#])
        #expect(i.resolve("Patient/p1", from: 2)?.index == 1)
        #expect(i.resolve("Patient/p1/_history/3", from: 2)?.index == 1)
    }

    @Test func resolvesRelativeReferencesLenientlyByTypeAndId() {
        let i = index([#"{"fullUrl":"urn:uuid:0c3151bd-1cbf-4d64-b04d-cd9187a4c6e0","resource":\#(patient)}"#,
                       #"{"fullUrl":"Task/t1","resource":{"resourceType":"Task","id":"t1"}}"#])
        #expect(i.resolve("Patient/p1", from: 1)?.index == 0)
        #expect(i.resolve("Task/t1", from: nil)?.index == 1)
        #expect(i.resolve("Patient/zz", from: 1) == nil)
    }

    @Test func severalVersionsResolveToTheLatest() {
        let i = index([#"{"fullUrl":"http://x/Patient/p1","resource":{"resourceType":"Patient","id":"p1","meta":{"versionId":"2"}}}"#,
                       #"{"fullUrl":"http://x/Patient/p1","resource":{"resourceType":"Patient","id":"p1","meta":{"versionId":"10"}}}"#])
        #expect(i.resolve("http://x/Patient/p1", from: nil)?.index == 1)
    }

    @Test func parsesReferenceForms() {
        #expect(FHIRBundleIndex.relativeParts("Patient/1")?.id == "1")
        #expect(FHIRBundleIndex.relativeParts("Patient/1/_history/2")?.type == "Patient")
        #expect(FHIRBundleIndex.relativeParts("#p") == nil)
        #expect(FHIRBundleIndex.relativeParts("Patient?identifier=x") == nil)
        #expect(FHIRBundleIndex.restfulParts("https://x/fhir/R4/Task/abc")?.base == "https://x/fhir/R4")
        #expect(FHIRBundleIndex.isURN("URN:UUID:0c3151bd-1cbf-4d64-b04d-cd9187a4c6e0"))
    }

    // MARK: Transactions and batches

    @Test func transactionRequestsMustFitTheirResources() {
        let post = #"{"resource":\#(patient),"request":{"method":"POST","url":"Task"}}"#
        let put = #"{"resource":\#(patient),"request":{"method":"PUT","url":"Patient/p9"}}"#
        let putNoResource = #"{"request":{"method":"PUT","url":"Patient/p1"}}"#
        let delete = #"{"request":{"method":"DELETE","url":"Patient"}}"#
        let operation = #"{"resource":{"resourceType":"Parameters"},"request":{"method":"POST","url":"ValueSet/$lookup"}}"#
        #expect(codes(bundle("transaction", [post])) == ["bundle-request-invalid"])
        #expect(codes(bundle("transaction", [put])) == ["bundle-request-invalid"])
        #expect(codes(bundle("transaction", [putNoResource])) == ["bundle-request-invalid"])
        #expect(codes(bundle("batch", [delete])) == ["bundle-request-invalid"])
        #expect(codes(bundle("transaction", [operation])).isEmpty)
    }

    @Test func transactionEntriesMustNotOverlap() {
        let a = #"{"request":{"method":"DELETE","url":"Patient/p1"}}"#
        #expect(codes(bundle("transaction", [a, a])) == ["transaction-identity-overlap"])
        #expect(codes(bundle("batch", [a, a])).isEmpty)
    }

    @Test func conditionalReferencesAreParsedForTheStore() throws {
        let task = #"{"resourceType":"Task","status":"requested","intent":"order","partOf":[{"reference":"Task?identifier=https://tools.ietf.org/html/rfc4122|0C3151BD-1CBF-4D64-B04D-CD9187A4C6E0"}]}"#
        let text = bundle("transaction", [#"{"resource":\#(task),"request":{"method":"POST","url":"Task"}}"#])
        let report = FHIRValidator().validate(FHIRFixtures.json(text))
        #expect(report.issues.isEmpty)
        let use = try #require(report.conditionalReferences.first)
        #expect(use.entryIndex == 0)
        #expect(use.location == "Bundle.entry[0].resource.partOf[0].reference")
        #expect(use.reference.type == "Task")
        #expect(use.reference.identifierKeys == ["id|https://tools.ietf.org/html/rfc4122|0c3151bd-1cbf-4d64-b04d-cd9187a4c6e0"])
    }

    @Test func conditionalReferencesOutsideTransactionsAreRefused() {
        let task = #"{"resourceType":"Task","status":"requested","intent":"order","focus":{"reference":"ServiceRequest?identifier=a|b"}}"#
        #expect(codes(bundle("collection", [#"{"resource":\#(task)}"#])) == ["reference-conditional-not-allowed"])
    }

    @Test func conditionalReferenceSyntax() {
        let c = FHIRConditionalReference("Patient?identifier=http%3A%2F%2Fx%7C1&active=true")
        #expect(c?.parameters.count == 2)
        #expect(c?.parameters.first?.value == "http://x|1")
        #expect(FHIRConditionalReference("Patient/1") == nil)
        #expect(FHIRConditionalReference("patient?x=1") == nil)
        #expect(FHIRConditionalReference("Patient?") == nil)
    }
}
