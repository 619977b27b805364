import Foundation
import Hummingbird
import HummingbirdTesting
import PostroomCore
import PostroomServer
import Testing

/// The Query API over the sample prescription (inbox-sample/prescriptions: ordered nominating FA565,
/// released, dispensed in part then in full): its MedicationRequests, MedicationDispenses and Task.
@Suite struct PrescriptionSearchTests {
    static let rx = "7C21A4-A83008-0001AW"
    static let items = ["3b1f6a2e-5c4d-4e8f-9a0b-1c2d3e4f5a61", "3b1f6a2e-5c4d-4e8f-9a0b-1c2d3e4f5a62"]
    let s = FHIRSearchTests()

    @Test func medicationRequestsByItemPrescriptionAndPatient() async throws {
        try await withServer(SampleData.get()) { (c) async throws in
            let both = Set(Self.items)
            #expect(try await s.ids(c, "/MedicationRequest?group-identifier=https://fhir.nhs.uk/Id/prescription-order-number|\(Self.rx)") == both)
            #expect(try await s.ids(c, "/MedicationRequest?group-identifier=\(Self.rx)") == both)
            #expect(try await s.ids(c, "/MedicationRequest?group-identifier=7C21A4-A83008-0001AX") == [])
            #expect(try await s.ids(c, "/MedicationRequest?identifier=https://fhir.nhs.uk/Id/prescription-order-item-number|\(Self.items[0])")
                    == [Self.items[0]])
            #expect(try await s.ids(c, "/MedicationRequest?subject:identifier=\(FHIRSearchTests.nhs)|9449304130") == both)
            #expect(try await s.ids(c, "/MedicationRequest?subject:identifier=\(FHIRSearchTests.nhs)|9990000018") == [])
            #expect(try await s.ids(c, "/MedicationRequest?status=completed") == both)
            #expect(try await s.ids(c, "/MedicationRequest?status=active") == [])
            // Each item's history: ordered active, completed by the final dispense.
            let history = try await c.get("/MedicationRequest/\(Self.items[1])/_history").json()
            #expect(history.entries().compactMap { $0["status"]?.string }.sorted() == ["active", "completed"])
        }
    }

    @Test func dispensesByTheItemTheyDispenseAndTheTaskByItsFocus() async throws {
        try await withServer(SampleData.get()) { (c) async throws in
            // The first item was dispensed in full at once; the second in part, then the rest.
            #expect(try await s.search(c, "/MedicationDispense?prescription=MedicationRequest/\(Self.items[0])").total == 1)
            let second = try await s.search(c, "/MedicationDispense?prescription=MedicationRequest/\(Self.items[1])")
            #expect(second.total == 2)
            #expect(second.entries(mode: "match").compactMap { $0["type"]?["coding"]?[0]?["code"]?.string }.sorted() == ["0001", "0003"])
            #expect(try await s.search(c, "/MedicationDispense?prescription=\(Self.items[1])").total == 2)
            #expect(try await s.search(c, "/MedicationDispense?subject:identifier=\(FHIRSearchTests.nhs)|9449304130&status=completed").total == 3)
            // The prescription's Task: found by its focus (the first item), completed / 0006, every step a version.
            let tasks = try await s.search(c, "/Task?focus=MedicationRequest/\(Self.items[0])&_include=Task:focus")
            #expect(tasks.total == 1)
            let task = try #require(tasks.entries(mode: "match").first)
            #expect(task["status"]?.string == "completed")
            #expect(task["businessStatus"]?["coding"]?[0]?["code"]?.string == "0006")
            #expect(task["groupIdentifier"]?["value"]?.string == Self.rx)
            #expect(task["owner"]?["identifier"]?["value"]?.string == "FA565")
            #expect(tasks.entries(mode: "include").compactMap { $0["id"]?.string } == [Self.items[0]])
            let id = try #require(task["id"]?.string)
            let versions = try await c.get("/Task/\(id)/_history").json().entries().compactMap { $0["status"]?.string }
            #expect(versions.sorted() == ["accepted", "completed", "in-progress", "requested"])
            #expect(try await s.ids(c, "/Task?owner:identifier=\(FHIRSearchTests.ods)|FA565") == [id])
            // The operator page: the prescription on its Task's page, with its items, notifications and every step.
            let page = try await c.get("/ui/tasks/\(id)").text
            #expect(page.contains("Prescription \(Self.rx)") && page.contains("0006 Dispensed") && page.contains("MedicationRequest/\(Self.items[1])"))
            #expect(page.components(separatedBy: "/MedicationDispense/").count - 1 == 3)
            #expect(page.contains("requested") && page.contains("dispense notification: all items dispensed"))
        }
    }

    /// A second prescription (the sample's order with other ids) and its cancellation, and a withdrawal
    /// of the sample's final dispense notification, in the same run: what the Query API answers after.
    @Test func aCancellationAndAWithdrawalAsTheQueryAPISeesThem() async throws {
        let other = "7C21A4-A83008-0002AS"
        let order = String(decoding: SampleData.sample("prescriptions/01-prescription-order-nominated-pharmacy.json"), as: UTF8.self)
            .replacingOccurrences(of: Self.rx, with: other)
            .replacingOccurrences(of: "3b1f6a2e-5c4d-4e8f-9a0b-1c2d3e4f5a6", with: "3b1f6a2e-5c4d-4e8f-9a0b-1c2d3e4f5a7")
            .replacingOccurrences(of: "5d0e7f3a-1b2c-4d3e-9f4a-5b6c7d8e9f01", with: "5d0e7f3a-1b2c-4d3e-9f4a-5b6c7d8e9f02")
        let cancel = order.replacingOccurrences(of: "\"prescription-order\"", with: "\"prescription-order-update\"")
            .replacingOccurrences(of: "\"status\": \"active\"",
                                  with: "\"status\": \"cancelled\", \"statusReason\": { \"text\": \"Prescribing error\" }")
            .replacingOccurrences(of: "5d0e7f3a-1b2c-4d3e-9f4a-5b6c7d8e9f02", with: "5d0e7f3a-1b2c-4d3e-9f4a-5b6c7d8e9f03")
        let withdraw = #"""
            { "resourceType": "Task", "id": "6a2624a2-321b-470e-91a6-8ae7a065e2f0", "status": "in-progress", "intent": "order",
              "code": { "coding": [ { "system": "http://hl7.org/fhir/CodeSystem/task-code", "code": "abort" } ] },
              "groupIdentifier": { "system": "https://fhir.nhs.uk/Id/prescription-order-number", "value": "7C21A4-A83008-0001AW" },
              "focus": { "identifier": { "system": "https://tools.ietf.org/html/rfc4122", "value": "c4d5e6f7-0819-4a2b-8c3d-4e5f6a7b8c02" } },
              "owner": { "identifier": { "system": "https://fhir.nhs.uk/Id/ods-organization-code", "value": "FA565" } },
              "reasonCode": { "coding": [ { "system": "http://snomed.info/sct", "code": "373784005" } ] } }
            """#
        let data = try SampleData(extra: [("prescriptions", "05-order.json", Array(order.utf8)), ("prescriptions", "06-cancel.json", Array(cancel.utf8)),
                                          ("prescriptions", "07-withdraw.json", Array(withdraw.utf8))])
        try await withServer(data) { (c) async throws in
            let cancelled = "3b1f6a2e-5c4d-4e8f-9a0b-1c2d3e4f5a71"
            #expect(try await s.ids(c, "/MedicationRequest?group-identifier=\(other)&status=cancelled").count == 2)
            let task = try #require(try await s.search(c, "/Task?focus=MedicationRequest/\(cancelled)").entries(mode: "match").first)
            #expect(task["status"]?.string == "cancelled" && task["businessStatus"]?["coding"]?[0]?["code"]?.string == "0005")
            #expect(task["statusReason"]?["text"]?.string == "Prescribing error")
            // The withdrawn notification's dispense is entered-in-error; the sample prescription is back in progress, its items active.
            let second = "MedicationRequest/\(Self.items[1])"
            #expect(try await s.search(c, "/MedicationDispense?prescription=\(second)&status=entered-in-error").total == 1)
            #expect(try await s.search(c, "/MedicationDispense?prescription=\(second)&status=completed").total == 1)
            let sample = try #require(try await s.search(c, "/Task?focus=MedicationRequest/\(Self.items[0])").entries(mode: "match").first)
            #expect(sample["status"]?.string == "in-progress" && sample["businessStatus"]?["coding"]?[0]?["code"]?.string == "0003")
            #expect(try await s.ids(c, "/MedicationRequest?group-identifier=\(Self.rx)&status=active") == Set(Self.items))
            // The withdraw Task itself is kept, readable by id.
            #expect(try await c.get("/Task/6a2624a2-321b-470e-91a6-8ae7a065e2f0").status == .ok)
        }
    }
}
