import Foundation
import PostroomCore
import PostroomStore
import Testing

/// Issue 13 item 3, no silent drops: every file of the FHIR corpus (`../shared/corpus/fhir`, copied
/// into the Core tests' fixtures), each on its own in a fresh data folder through the real
/// executable, is either refused with an OperationOutcome error or has every resource it carries
/// readable afterwards (or, for a workflow resource, its effect recorded). Run through a plain
/// channel, and the NHS files (`eps_`, `ers_`, `bars_`) also through an EPS broker channel.
@Suite struct CorpusNoSilentDropTests {
    static let shared = repositoryRoot + "/../shared/corpus/fhir/"
    static let fixtures = repositoryRoot + "/Tests/PostroomCoreTests/Fixtures/fhir/corpus/"
    static var corpus: String { FileManager.default.fileExists(atPath: shared) ? shared : fixtures }

    static let plain = #"{ "name": "any", "formats": ["fhir"], "role": "filler", "completion": { "mode": "rename" } }"#
    static let broker = #"{ "name": "eps", "formats": ["fhir"], "role": "broker", "completion": { "mode": "rename" }, "taskStateMachine": "nhs" }"#

    static func names() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: corpus).filter { !$0.hasPrefix(".") }.sorted()
    }

    @Test func everyCorpusFileIsKeptOrRefusedOnAPlainChannel() throws {
        let names = try Self.names()
        #expect(names.count >= 78)
        var problems: [String] = []
        for name in names { problems += try Self.check(name, channel: "any", config: Self.plain) }
        #expect(problems == [])
    }

    @Test func everyNHSCorpusFileIsKeptOrRefusedOnABrokerChannel() throws {
        let names = try Self.names().filter { $0.hasPrefix("eps_") || $0.hasPrefix("ers_") || $0.hasPrefix("bars_") }
        #expect(names.count >= 28)
        var problems: [String] = []
        for name in names { problems += try Self.check(name, channel: "eps", config: Self.broker) }
        #expect(problems == [])
    }

    /// Runs one file through `channel` of a fresh data folder; returns what is wrong (empty when it is
    /// refused with an error, or everything it carries is held).
    static func check(_ name: String, channel: String, config: String) throws -> [String] {
        let ws = try Workspace()
        try WorkflowOptionsTests.config(ws, config)
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: corpus + name)))
        try ws.drop(bytes, as: name, channel: channel)
        let code = try ws.run().code
        let answerName = ws.files(in: "outbox/" + channel).first(where: { $0.hasPrefix(name + ".") })
        let answer = try answerName.map { try json(ws.read("outbox/\(channel)/\($0)")) }
        if code != 0 {
            // Refused: the answer says why, or (an answer that is not answered, FHIR XML) the error report beside the file in error/.
            let report = ws.read("error/\(channel)/\(name).error.json")
            let reportJSON = report.isEmpty ? JSONValue.null : try json(report)
            let rejectedMessage = (reportJSON["messages"]?.array ?? []).contains { Self.hasError($0) && $0["disposition"]?.string == "rejected" }
            let refused = answer.map(Self.hasError) == true || rejectedMessage || Self.hasError(reportJSON)
            return refused ? [] : ["\(channel) \(name): exit \(code) without an OperationOutcome error"]
        }
        let root = try json(bytes)
        // Accepted with no answer only for an answer (a peer's OperationOutcome, a response message): an answer is never answered.
        let isAnswer = root["resourceType"]?.string == "OperationOutcome"
            || (root["entry"]?[0]?["resource"]?["resourceType"]?.string == "MessageHeader" && root["entry"]?[0]?["resource"]?["response"] != nil)
        if answer == nil, !isAnswer {
            return ["\(channel) \(name): accepted without an answer"]
        }
        return try ws.store().read { r in
            if root["resourceType"]?.string == "Bundle", root["type"]?.string == "document" { return try Self.documentKept(reader: r) }
            return try Self.missing(Self.carried(root), answer: answer ?? .null, reader: r)
        }.map { "\(channel) \(name): \($0)" }
    }

    /// A FHIR document is kept whole, as FHIR means it (signed, immutable): a DocumentReference whose
    /// attachment is the document's original bytes, readable by id; its entries are read from it.
    static func documentKept(reader r: StoreReader) throws -> [String] {
        let ids = try r.resourceIDs(type: "DocumentReference")
        guard ids.count == 1, let reference = try r.resource(type: "DocumentReference", id: ids[0]) else {
            return ["document: \(ids.count) DocumentReferences stored"]
        }
        let attachment = reference["content"]?[0]?["attachment"]
        return attachment?["data"]?.string != nil || attachment?["url"]?.string != nil ? [] : ["document: its DocumentReference holds no attachment"]
    }

    /// Whether an answer (an OperationOutcome, or a response Bundle holding one) has an error or fatal issue.
    static func hasError(_ v: JSONValue) -> Bool {
        if (v["issues"]?.array ?? []).contains(where: { ["error", "fatal"].contains($0["severity"]?.string ?? "") }) { return true }
        if (v["issue"]?.array ?? []).contains(where: { ["error", "fatal"].contains($0["severity"]?.string ?? "") }) { return true }
        for e in v["entry"]?.array ?? [] {
            if let r = e["resource"], hasError(r) { return true }
            if let o = e["response"]?["outcome"], hasError(o) { return true }
        }
        return false
    }

    /// The resources a file carries, as (type, id, entry index): the root, or the entries of a Bundle.
    static func carried(_ root: JSONValue) -> [(type: String, id: String?, entry: Int?)] {
        guard root["resourceType"]?.string == "Bundle" else {
            return [(root["resourceType"]?.string ?? "?", root["id"]?.string, nil)]
        }
        return (root["entry"]?.array ?? []).enumerated().compactMap { i, e in
            guard let r = e["resource"], let t = r["resourceType"]?.string else { return nil }
            return (t, r["id"]?.string, i)
        }
    }

    /// What of `carried` is neither stored nor refused: an entry the answer says was kept must be
    /// readable where it says; the others are found by id, else counted against the stored resources
    /// of their type not found by id. The MessageHeader is the envelope (the message record keeps it).
    static func missing(_ carried: [(type: String, id: String?, entry: Int?)], answer: JSONValue,
                        reader r: StoreReader) throws -> [String] {
        var problems: [String] = []
        let responses = answer["type"]?.string.map { $0.hasSuffix("-response") } == true ? answer["entry"]?.array ?? [] : []
        var unmatched: [String: Int] = [:]
        var matchedIDs: [String: Set<String>] = [:]
        for c in carried where c.type != "MessageHeader" {
            if let i = c.entry, i < responses.count, let response = responses[i]["response"] {
                let status = response["status"]?.string ?? ""
                if !status.hasPrefix("2") {
                    if !hasError(response["outcome"] ?? .null) { problems.append("entry \(i) \(c.type) answered \(status) without an error") }
                    continue
                }
                if let location = response["location"]?.string {
                    let parts = location.split(separator: "/").map(String.init)
                    let readable = parts.count >= 2 ? try r.hasResource(type: parts[0], id: parts[1]) : false
                    if !readable {
                        problems.append("entry \(i) \(c.type) answered \(status) at \(location), not readable")
                    } else {
                        matchedIDs[parts[0], default: []].insert(parts[1])
                    }
                    continue
                }
            }
            if let id = c.id, try r.hasResource(type: c.type, id: id) {
                matchedIDs[c.type, default: []].insert(id)
            } else {
                unmatched[c.type, default: 0] += 1
            }
        }
        for (type, count) in unmatched.sorted(by: { $0.key < $1.key }) {
            let ids = try r.resourceIDs(type: type)
            // The message's patient is merged into one Patient (by NHS number); any other type needs one stored resource each.
            if type == "Patient" {
                if ids.isEmpty { problems.append("\(count) Patient carried, none stored") }
                continue
            }
            let others = ids.filter { !(matchedIDs[type]?.contains($0) ?? false) }.count
            if others < count { problems.append("\(count) \(type) carried, \(others) stored besides those found by id") }
        }
        return problems
    }
}
