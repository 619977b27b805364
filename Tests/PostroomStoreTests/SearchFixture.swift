import Foundation
import PostroomCore
@testable import PostroomStore

/// A small indexed data set: a Patient, five ServiceRequests, a DiagnosticReport and an Observation.
///
/// | id   | status    | identifier   | subject                          | authoredOn                  |
/// | sr01 | active    | urn:lab\|A1  | Patient/p1                       | 2026-03-01                  |
/// | sr02 | active    | urn:lab\|A2  | Patient/p1                       | 2026-03-01T10:30:00Z        |
/// | sr03 | completed | urn:lab\|A3  | –                                | 2026-02                     |
/// | sr04 | active    | urn:lab\|A4  | identifier nhs-number\|9990000026 | 2026-03-02T09:00:00+01:00   |
/// | sr05 | active    | urn:lab\|A5  | –                                | –                           |
enum SearchFixture {
    static let nhs = "https://fhir.nhs.uk/Id/nhs-number"

    static func load(_ t: TempStore) throws {
        try t.write { w in
            func put(_ type: String, _ id: String, _ text: String) throws {
                try w.putResource(type: type, id: id, resource: json(text), messageID: "m1", at: at(0))
            }
            try put("Patient", "p1", #"{"identifier":[{"system":"\#(nhs)","value":"9990000018"}]}"#)
            try put("ServiceRequest", "sr01", request(1, "active", #""subject":{"reference":"Patient/p1"},"authoredOn":"2026-03-01""#))
            try put("ServiceRequest", "sr02", request(2, "active", #""subject":{"reference":"Patient/p1"},"authoredOn":"2026-03-01T10:30:00Z""#))
            try put("ServiceRequest", "sr03", request(3, "completed", #""authoredOn":"2026-02""#))
            try put("ServiceRequest", "sr04", request(4, "active",
                                                      #""subject":{"identifier":{"system":"\#(nhs)","value":"9990000026"}},"authoredOn":"2026-03-02T09:00:00+01:00""#))
            try put("ServiceRequest", "sr05", request(5, "active", #""intent":"order""#))
            try put("DiagnosticReport", "dr1", #"""
                {"status":"final","basedOn":[{"reference":"ServiceRequest/sr01"}],
                 "result":[{"reference":"Observation/o1"},{"reference":"Observation/o2"}]}
                """#)
            try put("Observation", "o1", #"{"status":"final"}"#)
        }
        try t.store.materialiseView()
    }

    static func request(_ n: Int, _ status: String, _ rest: String) -> String {
        #"{"status":"\#(status)","identifier":[{"system":"urn:lab","value":"A\#(n)"}],\#(rest)}"#
    }

    /// The ids of a page's resources.
    static func ids(_ page: SearchPage) -> [String] { page.resources.compactMap { $0["id"]?.string } }

    static func token(_ name: String, _ system: SearchCriterion.Token.System, _ code: String?, codeOnly: Bool = false) -> SearchCriterion {
        SearchCriterion(name: name, match: .token([.init(system: system, code: code)], codeOnly: codeOnly))
    }

    static func status(_ codes: String...) -> SearchCriterion {
        SearchCriterion(name: "status", match: .token(codes.map { .init(system: .any, code: $0) }, codeOnly: true))
    }
}

extension TempStore {
    /// A search read on a snapshot; every match on one page unless `limit` says otherwise.
    func search(_ type: String, _ criteria: [SearchCriterion], start: SearchStart = .offset(0), limit: Int = 100,
                total: SearchTotal = .accurate) throws -> SearchPage {
        // As `postroom serve` does before it answers: the view first holds everything written.
        try store.materialiseView()
        return try read { try $0.search(type: type, criteria: criteria, start: start, limit: limit, total: total) }
    }

    func ids(_ type: String, _ criteria: SearchCriterion...) throws -> [String] {
        SearchFixture.ids(try search(type, criteria))
    }
}
