import Foundation
import PostroomCore
@testable import PostroomStore
import Testing

/// `requests --patient`: a patient's requests and no one else's, whatever the key holds.
@Suite struct PatientFilterTests {
    let t: TempStore
    init() throws { t = try TempStore() }

    @Test func wildcardsInAPatientKeyMatchOnlyThemselves() throws {
        try t.write { w in
            try w.insertRequest(sampleRequest("a", patient: "nhs|9990000018"), keys: [])
            try w.insertRequest(sampleRequest("b", patient: "nhs|9990000026"), keys: [])
            try w.insertRequest(sampleRequest("c", patient: "mrn|LAB|A_1%"), keys: [])
            try w.insertRequest(sampleRequest("d", patient: "mrn|LAB|AB1x"), keys: [])
            try w.insertRequest(sampleRequest("e", patient: "mrn|LAB|q\"uote\\d"), keys: [])
        }
        func ids(_ key: String) throws -> [String] { try t.read { try $0.requests(openOnly: false, patientKey: key) }.map(\.id).sorted() }
        #expect(try ids("nhs|9990000018") == ["a"])
        #expect(try ids("nhs|%").isEmpty)
        #expect(try ids("%").isEmpty)
        #expect(try ids("nhs|999000001_").isEmpty)
        #expect(try ids("mrn|LAB|A_1%") == ["c"])
        #expect(try ids("mrn|LAB|q\"uote\\d") == ["e"])
        #expect(try ids("9990000018").isEmpty, "part of a key is not the key")
    }
}
