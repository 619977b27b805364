import Foundation
@testable import PostroomServer
import PostroomStore
import Testing

/// `postroom serve` beside a pipeline with `view: deferred`: the run leaves its resources in the view
/// journal; the first FHIR answer brings the view up to date first, and the answers are those of a
/// pipeline that materialised at the end of its run.
@Suite struct DeferredViewServeTests {
    static let queries = [
        "/Task?status=completed", "/Task?status=requested", "/Observation?_count=100", "/DiagnosticReport?status=final",
        "/ServiceRequest?identifier=ORD1001", "/Patient?identifier=https://fhir.nhs.uk/Id/nhs-number|9990000018",
        "/MedicationRequest?group-identifier=7C21A4-A83008-0001AW", "/Appointment?status=booked", "/DocumentReference?_count=10",
    ]

    @Test func theFirstAnswerMaterialisesTheViewAndAnswersAsAfterARun() async throws {
        let deferred = try SampleData(edit: { $0.replacingOccurrences(of: "\"channels\":", with: "\"view\": \"deferred\",\n  \"channels\":") })
        #expect(deferred.config.view == .deferred)
        let store = try Store(path: deferred.config.database, readOnly: true)
        #expect(try store.read { try $0.pendingViewRecords() } > 0)
        let afterRun = try SampleData(edit: { $0.replacingOccurrences(of: "\"channels\":", with: "\"view\": \"afterRun\",\n  \"channels\":") })
        #expect(try afterRun.store().read { try $0.pendingViewRecords() } == 0)
        let expected = try await withServer(afterRun) { (c) async throws -> [Int?] in
            var totals: [Int?] = []
            for q in Self.queries { totals.append(try await c.get(q).json().total) }
            return totals
        }
        #expect(expected.allSatisfy { ($0 ?? 0) > 0 }, "every query finds something in the sample: \(expected)")
        let got = try await withServer(deferred) { (c) async throws -> [Int?] in
            var totals: [Int?] = []
            for q in Self.queries { totals.append(try await c.get(q).json().total) }
            return totals
        }
        #expect(got == expected)
        #expect(try store.read { try $0.pendingViewRecords() } == 0)
    }

    /// With `view: deferred` (the default) `serve` materialises what a run left in the background,
    /// without waiting for a search; then a search needs no materialisation of its own.
    @Test func serveMaterialisesWhatARunLeftWithoutBeingAsked() async throws {
        let deferred = try SampleData()
        #expect(deferred.config.view == .deferred, "deferred is the default")
        let store = try deferred.store()
        #expect(try store.read { try $0.pendingViewRecords() } > 0)
        let catchUp = try deferred.server().viewCatchUp()
        defer { catchUp.cancel() }
        let deadline = Date().addingTimeInterval(60)
        while try store.read({ try $0.pendingViewRecords() }) > 0, Date() < deadline {
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(try store.read { try $0.viewIsMaterialised() }, "serve put the waiting records in the view by itself")
    }
}
