import Foundation
@testable import PostroomConfig
import PostroomCore
@testable import PostroomPipeline
import PostroomStore

/// A temporary folder removed when the value goes away.
final class TempFolder {
    let path: String
    init() throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("postroom-test-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }
    deinit { try? FileManager.default.removeItem(atPath: path) }
}

/// Builds facts the way decoders do, for workflow tests that do not depend on a format.
enum Facts {
    static let alice = PatientFacts(nhsNumber: "9990000018", keys: ["id|MRN|A1"])
    static let bob = PatientFacts(nhsNumber: "9990000026")

    static func request(_ placer: String, event: RequestEvent = .new, referral: Bool = false) -> RequestFacts {
        RequestFacts(resource: .object(JSONObject([
            "resourceType": "ServiceRequest", "status": "active", "intent": "order",
            "code": .object(JSONObject(["text": "Full blood count"])),
        ])), keys: [CorrelationKey.placer(namespace: "GP", value: placer)], event: event, isReferral: referral)
    }

    static func report(_ placer: String, status: String = "final", identity: String? = nil) -> ReportFacts {
        ReportFacts(kind: .diagnosticReport, resource: .object(JSONObject([
            "resourceType": "DiagnosticReport", "status": .string(status), "code": .object(JSONObject(["text": "FBC"])),
            "result": [["reference": "Observation/o1"]],
        ])), observations: [.object(JSONObject(["resourceType": "Observation", "id": "o1", "status": .string(status),
                                                  "code": .object(JSONObject(["text": "Hb"]))]))],
            requestKeys: [CorrelationKey.placer(namespace: "GP", value: placer)],
            identity: identity ?? "test-report|\(placer)", status: status)
    }

    static func message(patient: PatientFacts? = alice, requests: [RequestFacts] = [], reports: [ReportFacts] = [],
                        tasks: [TaskFacts] = [], issues: [Issue] = []) -> InboundMessage {
        InboundMessage(format: .fhir, type: "test", issues: issues, patient: patient, requests: requests, reports: reports,
                       tasks: tasks, answer: .fhirResource(type: "Bundle", id: nil))
    }

    static func channel(role: WorkflowRole = .placer, machine: TaskStateMachine = .core) -> PipelineConfig.Channel {
        PipelineConfig.Channel(name: "test", inbox: "/nonexistent", outbox: "/nonexistent", formats: Set(PayloadFormat.allCases),
                               role: role, completion: .rename, ignore: [], maxFileSize: 1 << 20, errorsOnly: false,
                               timeZone: "Europe/London", stateMachine: machine, routes: [:], allowOpenSubtasks: false)
    }
}

/// Applies messages to a real SQLite store in a temporary folder.
final class WorkflowHarness {
    let folder: TempFolder
    let store: Store
    var channel: PipelineConfig.Channel
    var counter = 0

    init(role: WorkflowRole = .placer, machine: TaskStateMachine = .core) throws {
        folder = try TempFolder()
        store = try Store(path: folder.path + "/test.sqlite")
        channel = Facts.channel(role: role, machine: machine)
    }

    /// Applies one message in a savepoint, as the pipeline does; a rejected message leaves nothing behind.
    @discardableResult
    func apply(_ m: InboundMessage) throws -> MessageResult {
        counter += 1
        let messageID = "m\(counter)"
        return try store.write { w in
            var result = MessageResult(disposition: .rejected, issues: [])
            try w.savepoint({
                result = try Applier(writer: w, channel: channel, messageID: messageID, now: StoreTime.string(Date()),
                                     ids: IDGenerator.shared, original: []).apply(m)
                if result.disposition == .rejected { throw RollbackSavepoint() }
            }, onRollback: {})
            return result
        }
    }

    func read<T>(_ body: (StoreReader) throws -> T) throws -> T { try store.read(body) }
}
