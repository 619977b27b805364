import Foundation
import Hummingbird
import HummingbirdTesting
import PostroomCore
import PostroomServer
import Testing

/// `/metadata`, read, vread and history, and every error path of the FHIR API.
@Suite struct FHIRReadTests {
    @Test func metadataListsExactlyWhatIsSupported() async throws {
        try await withServer(SampleData.get()) { (c) async throws in
            let r = try await c.get("/metadata")
            #expect(r.status == .ok)
            let cs = try r.json()
            #expect(cs["resourceType"]?.string == "CapabilityStatement" && cs["fhirVersion"]?.string == "4.0.1")
            #expect(validationErrors(cs) == [])
            let resources = cs["rest"]?[0]?["resource"]?.array ?? []
            #expect(resources.compactMap { $0["type"]?.string }
                    == ["ServiceRequest", "Task", "DiagnosticReport", "Observation", "DocumentReference", "Patient", "MedicationRequest",
                        "MedicationDispense", "Appointment"])
            func params(_ type: String) -> [String] {
                resources.first { $0["type"]?.string == type }?["searchParam"]?.array?.compactMap { $0["name"]?.string } ?? []
            }
            #expect(params("ServiceRequest") == ["identifier", "status", "subject", "authored"])
            #expect(params("Task") == ["focus", "status", "owner", "requester", "part-of", "modified"])
            #expect(params("DiagnosticReport") == ["based-on", "status", "subject"])
            #expect(params("Observation") == ["based-on", "subject"])
            #expect(params("DocumentReference") == ["related", "subject"])
            #expect(params("Patient") == ["identifier"])
            #expect(params("MedicationRequest") == ["identifier", "group-identifier", "status", "subject"])
            #expect(params("MedicationDispense") == ["prescription", "status", "subject"])
            #expect(params("Appointment") == ["based-on", "identifier", "status"])
            let includes = resources.compactMap { $0["searchInclude"]?.array }.flatMap { $0 }.compactMap(\.string)
            #expect(includes == ["Task:focus", "DiagnosticReport:result"])
            let interactions = resources[0]["interaction"]?.array?.compactMap { $0["code"]?.string }
            #expect(interactions == ["read", "vread", "history-instance", "search-type"])
        }
    }

    @Test func readVreadAndHistoryOfATaskThatMoved() async throws {
        try await withServer(SampleData.get()) { (c) async throws in
            let task = try #require(try await c.get("/Task?status=completed&focus=\(FHIRSearchTests.lipidRequest)").json().ids.first)
            let r = try await c.get("/Task/\(task)")
            #expect(r.status == .ok)
            #expect(r.headers[.contentType] == "application/fhir+json; charset=utf-8")
            let current = try r.json()
            #expect(current["status"]?.string == "completed" && current["id"]?.string == task)
            let version = try #require(current["meta"]?["versionId"]?.string)
            #expect(r.headers[.eTag] == "W/\"\(version)\"")
            #expect(r.headers[.lastModified]?.hasSuffix("GMT") == true)
            #expect(validationErrors(current) == [])

            let h = try await c.get("/Task/\(task)/_history")
            #expect(h.status == .ok)
            let history = try h.json()
            #expect(history["type"]?.string == "history")
            #expect(validationErrors(history) == [])
            let versions = (history["entry"]?.array ?? []).compactMap { $0["resource"]?["meta"]?["versionId"]?.string }
            #expect(versions.first == version && versions.last == "1" && versions.count == Int(version))
            #expect(history["entry"]?.array?.last?["request"]?["method"]?.string == "POST")

            let first = try await c.get("/Task/\(task)/_history/1")
            #expect(first.status == .ok && first.headers[.eTag] == "W/\"1\"")
            #expect(try first.json()["status"]?.string == "requested")
            #expect(try outcome(try await c.get("/Task/\(task)/_history/99")).type == "not-found")
            #expect(try await c.get("/Task/\(task)/_history/x").status == .notFound)
        }
    }

    @Test func unknownTypesIdsAndPathsAre404OperationOutcomes() async throws {
        try await withServer(SampleData.get()) { (c) async throws in
            // Every R4 type can be read by id (what a message carries is stored); only the searchable ones are searched.
            for (uri, code) in [("/Task/no-such-task", "resource-not-found"), ("/Encounter/1", "resource-not-found"),
                                ("/Nonsense/1", "resource-type-unknown"),
                                ("/Encounter", "resource-type-unknown"), ("/Task/bad%20id", "resource-not-found"),
                                ("/Patient/nope/_history", "resource-not-found"), ("/a/b/c/d/e", "path-not-found")] {
                let r = try await c.get(uri)
                #expect(r.status == .notFound, "\(uri)")
                #expect(try outcome(r).code == code, "\(uri)")
                #expect(validationErrors(try r.json()) == [])
            }
        }
    }

    @Test func badParametersAndValuesAre400NeverA500() async throws {
        try await withServer(SampleData.get()) { (c) async throws in
            let cases: [(String, String, String)] = [
                ("/ServiceRequest?color=red", "not-supported", "search-parameter-unknown"),
                ("/ServiceRequest?status:not=active", "not-supported", "search-parameter-unknown"),
                ("/Task?subject:identifier=x|y", "not-supported", "search-parameter-unknown"),
                ("/ServiceRequest?subject=Patient/1", "not-supported", "search-parameter-unknown"),
                ("/ServiceRequest?_sort=authored", "not-supported", "search-parameter-unknown"),
                ("/Task?_include=Task:owner", "not-supported", "search-include-unsupported"),
                ("/ServiceRequest?_include=Task:focus", "not-supported", "search-include-unsupported"),
                ("/ServiceRequest?authored=yesterday", "invalid", "search-value-invalid"),
                ("/ServiceRequest?authored=2026-13", "invalid", "search-value-invalid"),
                ("/ServiceRequest?authored=2026-02-30", "invalid", "search-value-invalid"),
                ("/ServiceRequest?authored=2026-11-26T25:00:00Z", "invalid", "search-value-invalid"),
                ("/ServiceRequest?authored=xx2026", "invalid", "search-value-invalid"),
                ("/ServiceRequest?authored=sa2026", "not-supported", "search-prefix-unsupported"),
                ("/Task?modified=ap2026-11", "not-supported", "search-prefix-unsupported"),
                ("/ServiceRequest?identifier=a|b|c", "invalid", "search-value-invalid"),
                ("/ServiceRequest?identifier=|", "invalid", "search-value-invalid"),
                ("/ServiceRequest?identifier=", "invalid", "search-value-invalid"),
                ("/ServiceRequest?identifier=a,,b", "invalid", "search-value-invalid"),
                ("/ServiceRequest?status=finished", "invalid", "search-value-invalid"),
                ("/Task?status=active", "invalid", "search-value-invalid"),
                ("/Task?focus=not%20an%20id", "invalid", "search-value-invalid"),
                ("/Task?focus=lowercase/abc", "invalid", "search-value-invalid"),
                ("/Task?_count=-1", "invalid", "search-value-invalid"),
                ("/Task?_count=ten", "invalid", "search-value-invalid"),
                ("/Task?_offset=-5", "invalid", "search-value-invalid"),
                ("/Task?status=%ZZ", "invalid", "query-invalid"),
                ("/Task?status=%C3%28", "invalid", "query-invalid"),
            ]
            for (uri, type, code) in cases {
                let r = try await c.get(uri)
                #expect(r.status == .badRequest, "\(uri): \(r.text)")
                let o = try outcome(r)
                #expect(o.type == type && o.code == code, "\(uri): \(o)")
            }
            let xml = try await c.get("/Task?_format=xml")
            #expect(xml.status == .notAcceptable)
            #expect(try await c.get("/Task?_format=json").status == .ok)
        }
    }

    @Test func errorTextNeverEchoesTheValuesSent() async throws {
        try await withServer(SampleData.get()) { (c) async throws in
            for uri in ["/ServiceRequest?authored=9434765919", "/ServiceRequest?identifier=a|9434765919|c",
                        "/Task?focus=9434765919%20x", "/ServiceRequest?x9434765919=1"] {
                let r = try await c.get(uri)
                #expect(r.status == .badRequest)
                // The parameter's name may be echoed (the last case), a value never.
                if !uri.contains("?x") { #expect(!r.text.contains("9434765919"), "\(uri)") }
            }
        }
    }

    @Test func writesAreRefusedWith405() async throws {
        try await withServer(SampleData.get()) { (c) async throws in
            for (method, uri) in [(HTTPRequest.Method.post, "/ServiceRequest"), (.put, "/Task/x"), (.delete, "/Task/x"),
                                  (.patch, "/Patient/1")] {
                let r = try await c.execute(uri: uri, method: method, headers: bearer)
                #expect(r.status == .methodNotAllowed, "\(method) \(uri)")
                #expect(try outcome(r).code == "read-only")
            }
        }
    }
}
