import Foundation
import HummingbirdTesting
import PostroomCore
import PostroomServer
import Testing

/// Every search parameter of the FHIR API against the store the real pipeline filled from `inbox-sample/`.
@Suite struct FHIRSearchTests {
    /// Ids the sample's FHIR files carry (the v2 ones are looked up by identifier).
    static let lipidRequest = "5a3c1e2f-8b4d-4c6e-9f0a-1b2c3d4e5f60"
    static let lipidReport = "9e7a5c6d-2f8b-4a0c-9d4e-5f6a7b8c9da4"
    static let referralTask = "5e3a1c2d-8f4b-4a6c-9d0e-1f2a3b4c5d06"
    static let nhs = "https://fhir.nhs.uk/Id/nhs-number"
    static let ods = "https://fhir.nhs.uk/Id/ods-organization-code"

    /// A searchset that must be valid FHIR R4; returns it.
    func search(_ client: any TestClientProtocol, _ uri: String) async throws -> JSONValue {
        let r = try await client.get(uri)
        #expect(r.status == .ok, "\(uri): \(r.text)")
        #expect(r.headers[.contentType] == "application/fhir+json; charset=utf-8")
        let b = try r.json()
        #expect(b["resourceType"]?.string == "Bundle" && b["type"]?.string == "searchset")
        #expect(validationErrors(b) == [], "\(uri)")
        for e in b["entry"]?.array ?? [] {
            let res = try #require(e["resource"])
            // The router test client names the host `localhost`; the base URL follows the Host header.
            #expect(e["fullUrl"]?.string == "http://localhost/\(res["resourceType"]?.string ?? "")/\(res["id"]?.string ?? "")")
        }
        return b
    }

    func ids(_ client: any TestClientProtocol, _ uri: String) async throws -> Set<String> {
        try await search(client, uri).ids
    }

    @Test func serviceRequestByIdentifierInEveryTokenForm() async throws {
        try await withServer(SampleData.get()) { (c) async throws in
            let sys = "https://fhir.a83008.example.nhs.uk/Id/order-number"
            #expect(try await ids(c, "/ServiceRequest?identifier=\(sys)%7CSR-2001") == [Self.lipidRequest])
            #expect(try await ids(c, "/ServiceRequest?identifier=\(sys)|SR-2001") == [Self.lipidRequest])
            #expect(try await ids(c, "/ServiceRequest?identifier=SR-2001") == [Self.lipidRequest])
            #expect(try await ids(c, "/ServiceRequest?identifier=\(sys)|") == [Self.lipidRequest])
            #expect(try await ids(c, "/ServiceRequest?identifier=https://other.example/x|SR-2001") == [])
            // A v2 placer number carries no system: `|value` finds it, `system|value` with its namespace does not.
            let fbc = try await ids(c, "/ServiceRequest?identifier=|ORD1001")
            #expect(fbc.count == 1)
            #expect(try await ids(c, "/ServiceRequest?identifier=ORD1001") == fbc)
            #expect(try await ids(c, "/ServiceRequest?identifier=|SR-2001") == [])
            #expect(try await ids(c, "/ServiceRequest?identifier=SR-2001,ORD1001") == fbc.union([Self.lipidRequest]))
            #expect(try await search(c, "/ServiceRequest").total == 4)  // three orders and the eRS referral
        }
    }

    /// The sample's `namespaces` join the GP system's three spellings of its order numbers: v2
    /// `RAD3001^GPSYSTEM`, FHIR `https://fhir.a83008.example.nhs.uk/Id/order-number`, CDA root `…99.1`.
    @Test func aRequestAndItsReportsAreFoundByAnySpellingOfTheOrderNumber() async throws {
        try await withServer(SampleData.get()) { (c) async throws in
            let sys = "https://fhir.a83008.example.nhs.uk/Id/order-number", oid = "urn:oid:2.16.840.1.113883.2.1.3.2.99.1"
            let xray = try await ids(c, "/ServiceRequest?identifier=RAD3001")
            #expect(xray.count == 1)
            for spelling in ["GPSYSTEM|RAD3001", "\(sys)|RAD3001", "\(oid)|RAD3001", "2.16.840.1.113883.2.1.3.2.99.1|RAD3001"] {
                #expect(try await ids(c, "/ServiceRequest?identifier=\(spelling)") == xray, "\(spelling)")
            }
            #expect(try await ids(c, "/ServiceRequest?identifier=\(sys)|RAD3002") == [])
            // The v2 order's report by the FHIR spelling of its order number, and the CDA report by the v2 one.
            let fbc = try #require(try await ids(c, "/ServiceRequest?identifier=ORD1001").first)
            let fbcReport = try await ids(c, "/DiagnosticReport?based-on=ServiceRequest/\(fbc)")
            #expect(fbcReport.count == 1)
            #expect(try await ids(c, "/DiagnosticReport?based-on:identifier=\(sys)|ORD1001") == fbcReport)
            #expect(try await ids(c, "/DiagnosticReport?based-on:identifier=GPSYSTEM|ORD1001") == fbcReport)
            let docs = try await ids(c, "/DocumentReference?related=ServiceRequest/\(xray.first!)")
            #expect(docs.count == 1)
            #expect(try await ids(c, "/DocumentReference?related:identifier=GPSYSTEM|RAD3001") == docs)
            #expect(try await ids(c, "/DocumentReference?related:identifier=\(sys)|RAD3001") == docs)
            #expect(try await ids(c, "/DocumentReference?related:identifier=\(sys)|ORD1001") == [])
        }
    }

    /// `_total` (none, estimate, accurate) and keyset paging: `next` links carry a cursor (the last id),
    /// so a deep page costs what the first costs.
    @Test func totalsAndCursorPaging() async throws {
        let data = try SampleData.get()
        try await withServer(data) { (c) async throws in
            let first = try await search(c, "/Observation?_count=2")
            #expect(first.total == 6)
            let next = try #require(first.link("next"))
            #expect(next.contains("_cursor=") && !next.contains("_offset="))
            let ids = first.entries(mode: "match").compactMap { $0["id"]?.string }
            let second = try await search(c, "/Observation?_count=2&_cursor=\(ids.last!)")
            #expect(second.entries(mode: "match").compactMap { $0["id"]?.string }.allSatisfy { $0 > ids.last! })
            #expect(second.link("previous") == nil && second.link("self")?.contains("_cursor=\(ids.last!)") == true)
            #expect(try await search(c, "/Observation?_total=none")["total"] == nil)
            #expect(try await search(c, "/Observation?_total=accurate").total == 6)
            #expect(try await search(c, "/Observation?_total=estimate").total == 6)
            #expect(try await search(c, "/Observation?_total=none&_count=2").link("next")?.contains("_total=none") == true)
            #expect(try await c.get("/Observation?_total=some").status == .badRequest)
            #expect(try await c.get("/Observation?_cursor=bad%20cursor").status == .badRequest)
        }
        // Above the bound the count is left out; exact below it.
        let store = try data.store()
        #expect(try store.read { try $0.search(type: "Observation", criteria: [], start: .offset(0), limit: 1, total: .bounded(3)) }.total == nil)
        #expect(try store.read { try $0.search(type: "Observation", criteria: [], start: .offset(0), limit: 1, total: .bounded(6)) }.total == 6)
    }

    @Test func serviceRequestByStatusSubjectAndAuthored() async throws {
        try await withServer(SampleData.get()) { (c) async throws in
            #expect(try await search(c, "/ServiceRequest?status=active").total == 4)
            #expect(try await search(c, "/ServiceRequest?status=completed").total == 0)
            #expect(try await search(c, "/ServiceRequest?status=revoked,active").total == 4)
            let fbc = try await ids(c, "/ServiceRequest?identifier=ORD1001")
            #expect(try await ids(c, "/ServiceRequest?subject:identifier=\(Self.nhs)|9990000018") == fbc)
            #expect(try await ids(c, "/ServiceRequest?subject:identifier=9990000018") == fbc)
            // The FHIR request's subject (a urn:uuid inside its Bundle) is stored as a reference to the stored Patient.
            #expect(try await ids(c, "/ServiceRequest?subject:identifier=\(Self.nhs)|9990000026") == [Self.lipidRequest])
            #expect(try await ids(c, "/ServiceRequest?subject:identifier=\(Self.nhs)|9990000099") == [])
            // authoredOn 2026-11-26T09:15:00+00:00 (only the FHIR request carries one).
            for (q, hit) in [("2026-11-26", true), ("2026-11", true), ("2026", true), ("eq2026-11-26T09:15:00Z", true),
                             ("2026-11-26T10:15:00%2B01:00", true), ("2026-11-26T10:15:00+01:00", true), ("ge2026-11-26T09:00:00Z", true),
                             ("le2026-11-26T09:15:00Z", true), ("lt2026-11-26T09:15:00Z", false), ("gt2026-11-26", false),
                             ("ne2026-11-26", false), ("ne2026-11-25", true), ("lt2026-11-27", true), ("ge2026-11-27", false),
                             ("2026-11-25,2026-11-26", true), ("2026-10", false)] {
                #expect(try await ids(c, "/ServiceRequest?authored=\(q)") == (hit ? [Self.lipidRequest] : []), "authored=\(q)")
            }
            #expect(try await ids(c, "/ServiceRequest?authored=ge2026-11&authored=lt2026-12&status=active") == [Self.lipidRequest])
        }
    }

    @Test func tasksByEveryParameter() async throws {
        try await withServer(SampleData.get()) { (c) async throws in
            // Three lab Tasks, the sample prescription's and the eRS referral's booking sub-task are completed;
            // the referral's own Task is in progress.
            #expect(try await search(c, "/Task?status=completed").total == 5)
            #expect(try await ids(c, "/Task?status=requested") == [Self.referralTask])
            #expect(try await search(c, "/Task?status=completed,requested").total == 6)
            let ers = try #require(try await ids(c, "/Task?status=in-progress").first)
            #expect(try await search(c, "/Task?status=cancelled").total == 0)
            let lipidTask = try await ids(c, "/Task?focus=ServiceRequest/\(Self.lipidRequest)")
            #expect(lipidTask.count == 1)
            #expect(try await ids(c, "/Task?focus=\(Self.lipidRequest)") == lipidTask)
            #expect(try await ids(c, "/Task?focus=http://elsewhere.example/fhir/ServiceRequest/\(Self.lipidRequest)") == lipidTask)
            #expect(try await ids(c, "/Task?focus=Patient/\(Self.lipidRequest)") == [])
            #expect(try await ids(c, "/Task?owner:identifier=\(Self.ods)|RX1") == [Self.referralTask, ers])
            #expect(try await ids(c, "/Task?owner:identifier=\(Self.ods)|RX2") == [])
            // The referral's Task, the eRS referral's and the prescription's (the prescriber A83008).
            let fromA83008 = try await ids(c, "/Task?requester:identifier=\(Self.ods)|A83008")
            #expect(fromA83008.count == 3 && fromA83008.contains(Self.referralTask) && fromA83008.contains(ers))
            #expect(try await search(c, "/Task?requester:identifier=G1234567").total == 2)
            #expect(try await ids(c, "/Task?requester:identifier=https://fhir.nhs.uk/Id/sds-user-id|G8133438") == lipidTask)
            // The Option G referral Task has no sub-tasks; the eRS referral's Task has its booking sub-task.
            #expect(try await search(c, "/Task?part-of=Task/\(Self.referralTask)").total == 0)
            #expect(try await search(c, "/Task?part-of=Task/\(ers)").total == 1)
            let today = String(ISO8601DateFormatter().string(from: Date()).prefix(10))
            // The six Tasks Postroom made carry lastModified; the referral Task as received has none.
            #expect(try await search(c, "/Task?modified=ge2000-01-01").total == 6)
            #expect(try await search(c, "/Task?modified=lt2000").total == 0)
            #expect(try await search(c, "/Task?modified=le\(today)T23:59:59Z&status=completed").total == 5)
        }
    }

    @Test func diagnosticReportsObservationsDocumentsAndPatients() async throws {
        try await withServer(SampleData.get()) { (c) async throws in
            #expect(try await ids(c, "/DiagnosticReport?based-on=ServiceRequest/\(Self.lipidRequest)") == [Self.lipidReport])
            #expect(try await ids(c, "/DiagnosticReport?based-on=\(Self.lipidRequest)") == [Self.lipidReport])
            #expect(try await search(c, "/DiagnosticReport?status=final").total == 3)
            #expect(try await search(c, "/DiagnosticReport?status=preliminary").total == 0)
            let fbcRequest = try #require(try await ids(c, "/ServiceRequest?identifier=ORD1001").first)
            let fbcReport = try await ids(c, "/DiagnosticReport?based-on=ServiceRequest/\(fbcRequest)")
            #expect(fbcReport.count == 1)
            #expect(try await ids(c, "/DiagnosticReport?subject:identifier=\(Self.nhs)|9990000018") == fbcReport)
            // The results of the full blood count report are based on its request, through the report.
            let obs = try await ids(c, "/Observation?based-on=ServiceRequest/\(fbcRequest)")
            #expect(obs.count == 3)
            #expect(try await ids(c, "/Observation?subject:identifier=\(Self.nhs)|9990000018") == obs)
            #expect(try await search(c, "/Observation?subject:identifier=\(Self.nhs)|9990000042").total == 1)
            let xray = try #require(try await ids(c, "/ServiceRequest?identifier=RAD3001").first)
            let docs = try await ids(c, "/DocumentReference?related=ServiceRequest/\(xray)")
            #expect(docs.count == 1)
            #expect(try await ids(c, "/DocumentReference?related=\(xray)") == docs)
            #expect(try await ids(c, "/DocumentReference?subject:identifier=\(Self.nhs)|9990000034") == docs)
            #expect(try await search(c, "/Patient?identifier=\(Self.nhs)|9990000018").total == 1)
            #expect(try await search(c, "/Patient?identifier=\(Self.nhs)|9990000019").total == 0)
            #expect(try await search(c, "/Patient").total == 6)
        }
    }

    @Test func includesAddTheReportsResultsAndTheTasksFocus() async throws {
        try await withServer(SampleData.get()) { (c) async throws in
            let fbcRequest = try #require(try await ids(c, "/ServiceRequest?identifier=ORD1001").first)
            let b = try await search(c, "/DiagnosticReport?based-on=\(fbcRequest)&_include=DiagnosticReport:result")
            #expect(b.total == 1)
            let included = b.entries(mode: "include")
            #expect(included.count == 3 && included.allSatisfy { $0["resourceType"]?.string == "Observation" })
            let report = try #require(b.entries(mode: "match").first)
            #expect(Set(report["result"]?.array?.compactMap { $0["reference"]?.string } ?? [])
                    == Set(included.compactMap { $0["id"]?.string.map { "Observation/" + $0 } }))
            let t = try await search(c, "/Task?status=completed&_include=Task:focus")
            #expect(t.total == 5)
            #expect(t.entries(mode: "include").count == 5)
            // The lab Tasks' requests, the prescription Task's first item, the eRS booking sub-task's referral.
            #expect(t.entries(mode: "include").compactMap { $0["resourceType"]?.string }.sorted()
                    == ["MedicationRequest", "ServiceRequest", "ServiceRequest", "ServiceRequest", "ServiceRequest"])
            // An include is not counted in the total and not repeated.
            let page = try await search(c, "/Task?status=completed&_include=Task:focus&_include=Task:focus&_count=1")
            #expect(page.total == 5 && page.entries(mode: "match").count == 1 && page.entries(mode: "include").count == 1)
        }
    }

    @Test func pagingWithCountOneFollowsNextLinksToTheEnd() async throws {
        try await withServer(SampleData.get()) { (c) async throws in
            let all = try await search(c, "/Observation?_count=100")
            let expected = all.ids
            #expect(expected.count == 6 && all.total == 6)
            var seen: [String] = []
            var url: String? = "/Observation?_count=1"
            var pages = 0
            while let u = url, pages < 20 {
                let path = u.replacingOccurrences(of: "http://localhost", with: "")
                let b = try await search(c, path)
                #expect(b.total == 6)
                #expect(b.entries(mode: "match").count == 1)
                seen += b.entries(mode: "match").compactMap { $0["id"]?.string }
                url = b.link("next")
                pages += 1
            }
            #expect(pages == 6)
            #expect(seen == seen.sorted(), "a stable order")
            #expect(Set(seen) == expected && seen.count == 6)
            let last = try await search(c, "/Observation?_count=1&_offset=5")
            #expect(last.link("next") == nil && last.link("previous")?.contains("_offset=4") == true)
            let countOnly = try await search(c, "/Observation?_count=0")
            #expect(countOnly.total == 6 && countOnly["entry"] == nil)
            let clamped = try await search(c, "/Observation?_count=5000")
            #expect(clamped.link("self")?.contains("_count=100") == true)
            let beyond = try await search(c, "/Observation?_offset=60")
            #expect(beyond.total == 6 && beyond["entry"] == nil)
            // The default page is 20, and next links keep the criteria.
            let filtered = try await search(c, "/Observation?subject:identifier=\(Self.nhs)|9990000018&_count=2")
            #expect(filtered.link("next")?.contains("subject:identifier=https://fhir.nhs.uk/Id/nhs-number%7C9990000018") == true)
            #expect(try await search(c, "/Patient").link("self")?.hasSuffix("_count=20") == true)
        }
    }
}
