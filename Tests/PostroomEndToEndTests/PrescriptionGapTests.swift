import Foundation
import PostroomCore
import PostroomStore
import Testing

/// EPS steps where the prescription workflow does not run them (issue 13 item 3): never answered
/// as accepted with nothing kept. A release `Parameters` off a broker channel is refused
/// (`prescription-needs-broker`); on a broker channel an EPS step inside a batch or transaction is
/// refused (`prescription-in-batch`) and changes nothing.
@Suite struct PrescriptionGapTests {
    typealias M = EPSMessages
    typealias P = PrescriptionWorkflowTests

    static func resource(_ bytes: [UInt8]) throws -> JSONValue { try json(bytes) }

    static func entry(_ resource: JSONValue, method: String = "POST") -> JSONValue {
        ["resource": resource, "request": ["method": .string(method), "url": .string(resource["resourceType"]?.string ?? "Basic")]]
    }

    @Test func aReleaseOffABrokerChannelIsRefused() throws {
        let ws = try Workspace()
        try WorkflowOptionsTests.config(ws, #"{ "name": "any", "formats": ["fhir"], "role": "filler", "completion": { "mode": "rename" } }"#)
        try ws.drop(M.release(M.prescriptionID("A1B2C3", sequence: "00001"), owner: "VNE51"), as: "1-release.json", channel: "any")
        #expect(try ws.run().code == 65)
        let answer = try json(ws.read("outbox/any/" + (try #require(ws.files(in: "outbox/any").first { $0.hasPrefix("1-release.json.") }))))
        #expect(P.issueCodes(answer).contains("prescription-needs-broker"))
        #expect(answer["issue"]?[0]?["severity"]?.string == "error")
        #expect(try ws.store().read { try $0.resourceCounts() }.isEmpty)
        #expect(!ws.read("error/any/1-release.json").isEmpty)
    }

    @Test func aParametersThatIsNoReleaseIsRefusedOnABrokerChannel() throws {
        let ws = try P.workspace()
        let p: JSONValue = ["resourceType": "Parameters", "parameter": [["name": "mode", "valueCode": "test"]]]
        #expect(try P.step(ws, "1-parameters.json", JSONWriter(pretty: true).bytes(p)) == 65)
        #expect(P.issueCodes(try P.answer(ws, "1-parameters.json")).contains("prescription-needs-broker"))
        #expect(try ws.store().read { try $0.resourceIDs(type: "Parameters") }.isEmpty)
    }

    /// An order, released; then its return Task inside a transaction, and the order's message Bundle
    /// again inside a batch beside an Organization: refused, the Task unchanged; the batch's other entry kept.
    @Test func anEPSStepInABatchOrTransactionIsRefused() throws {
        let ws = try P.workspace()
        let rx = M.prescriptionID("C1B2C3", sequence: "00003")
        let item = M.uuid(7, 0x17e1)
        #expect(try P.step(ws, "01-order.json", M.order(rx, items: [item], nominated: nil, id: M.uuid(7, 0x0e))) == 0)
        #expect(try P.step(ws, "02-release.json", M.release(rx, owner: "VNE51")) == 0)
        #expect(try P.task(ws, rx).status == "accepted")

        let transaction: JSONValue = ["resourceType": "Bundle", "type": "transaction",
                                      "entry": [Self.entry(try Self.resource(M.returnTask(rx, dispenser: "VNE51", id: M.uuid(8, 0x7a))))]]
        #expect(try P.step(ws, "03-transaction.json", JSONWriter(pretty: true).bytes(transaction)) == 65)
        #expect(P.issueCodes(try P.answer(ws, "03-transaction.json")).contains("prescription-in-batch"))
        var t = try P.task(ws, rx)
        #expect(t.status == "accepted" && t.business == "0002" && t.owner == "VNE51")

        let organization: JSONValue = ["resourceType": "Organization", "id": "org-1",
                                       "identifier": [["system": "https://fhir.nhs.uk/Id/ods-organization-code", "value": "RX1"]]]
        let order = try Self.resource(M.order(rx, items: [item], nominated: nil, id: M.uuid(9, 0x0e)))
        let batch: JSONValue = ["resourceType": "Bundle", "type": "batch", "entry": [Self.entry(order), Self.entry(organization)]]
        let code = try P.step(ws, "04-batch.json", JSONWriter(pretty: true).bytes(batch))
        let response = try P.answer(ws, "04-batch.json")
        #expect(code == 65, "\(response)")  // a batch with a refused entry is a partial success
        #expect(response["type"]?.string == "batch-response")
        #expect(response["entry"]?[0]?["response"]?["status"]?.string?.hasPrefix("4") == true)
        let outcome: JSONValue = response["entry"]?[0]?["response"]?["outcome"] ?? .null
        #expect(P.issueCodes(outcome).contains("prescription-in-batch"))
        #expect(response["entry"]?[1]?["response"]?["status"]?.string?.hasPrefix("201") == true)
        #expect(try ws.store().read { try $0.resourceIDs(type: "Bundle") }.isEmpty)
        #expect(try ws.store().read { try $0.resourceIDs(type: "Organization") } == ["org-1"])  // each batch entry stores only its own resource
        t = try P.task(ws, rx)
        #expect(t.status == "accepted" && t.history.map(\.to) == ["ready", "accepted"])
    }
}
