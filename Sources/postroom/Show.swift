import ArgumentParser
import Foundation
import PostroomConfig
import PostroomCore
import PostroomPipeline
import PostroomStore

/// `postroom show <id>`: one drop or message with its issues, links, Task history and where its file is.
struct Show: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Show a drop (or message): issues, links, Task history, where the file is.")

    @Argument(help: "A drop id, or a message id (<drop id>.<n>).")
    var id: String

    @OptionGroup var options: ReadOptions

    func run() throws {
        let (config, store) = try options.open()
        let dropID = id.split(separator: ".").first.map(String.init) ?? id
        guard let drop = try store.read({ try $0.drop(id: dropID) }) else {
            printError("postroom: no drop or message \(id)")
            throw ExitCode(Postroom.Exit.dataError)
        }
        let view = try DropView.load(drop, only: id == drop.id ? nil : id, config: config, store: store)
        if options.json {
            printJSON(view.json)
        } else {
            print(view.text)
        }
    }
}

/// Everything `show` tells about a drop, gathered once for text and JSON.
struct DropView {
    struct MessageView {
        var record: MessageRecord
        var requests: [(RequestRecord, [TaskRecord])]
        var reports: [(ReportRecord, versions: Int, tasks: [TaskRecord])]
        /// Tasks the message moved that are not shown under its requests or reports (Task files).
        var tasks: [TaskRecord]
    }

    var drop: DropRecord
    var ackPath: String?
    var reprocesses: [DropRecord]
    var messages: [MessageView]
    var histories: [String: [TaskTransition]]
    /// For a prescription's Task (EPS): one line on the prescription, by Task id.
    var prescriptions: [String: String] = [:]

    static func load(_ drop: DropRecord, only: String?, config: PipelineConfig, store: Store) throws -> DropView {
        try store.read { r in
            var histories: [String: [TaskTransition]] = [:]
            func tasks(_ requestID: String) throws -> [TaskRecord] {
                let t = try r.tasks(focusRequestID: requestID)
                for task in t { histories[task.id] = try r.taskHistory(taskID: task.id) }
                return t
            }
            var views: [MessageView] = []
            for m in try r.messages(dropID: drop.id) where only == nil || m.id == only {
                let requests = try r.requests(messageID: m.id).map { ($0, try tasks($0.id)) }
                var reports: [(ReportRecord, Int, [TaskRecord])] = []
                for rp in try r.reports(messageID: m.id) {
                    reports.append((rp, try r.resourceHistory(type: rp.kind, id: rp.id).count, try rp.requestID.map(tasks) ?? []))
                    for rel in [rp.supersededBy, rp.replaces].compactMap({ $0 }) {
                        if let other = try r.report(id: rel) ?? r.report(identity: rel) {
                            reports.append((other, try r.resourceHistory(type: other.kind, id: other.id).count, []))
                        }
                    }
                }
                let shown = Set(requests.flatMap { $0.1.map(\.id) } + reports.flatMap { $0.2.map(\.id) })
                var moved: [TaskRecord] = []
                for h in try r.taskHistory(messageID: m.id) where !shown.contains(h.taskID) && !moved.contains(where: { $0.id == h.taskID }) {
                    if let t = try r.task(id: h.taskID) {
                        histories[t.id] = try r.taskHistory(taskID: t.id)
                        moved.append(t)
                    }
                }
                views.append(MessageView(record: m, requests: requests, reports: reports, tasks: moved))
            }
            let ack = drop.ackName.flatMap { name in config.channel(named: drop.channel).map { $0.outbox + "/" + name } }
            var view = DropView(drop: drop, ackPath: ack, reprocesses: try r.reprocessesOf(drop.id), messages: views, histories: histories)
            view.prescriptions = try PrescriptionRow.lines(r, taskIDs: Array(histories.keys))
            return view
        }
    }

    var text: String {
        var out: [String] = []
        let d = drop
        out.append("Drop \(d.id)  channel \(d.channel)  file \(d.name)")
        out.append("  received \(d.receivedAt)  \(d.size) bytes  sha256 \(d.sha256)")
        out.append("  outcome \(d.outcome?.rawValue ?? d.state.rawValue)" + (d.duplicateOf.map { "  duplicate of \($0)" } ?? ""))
        if let p = d.parentDrop { out.append("  member of archive drop \(p)") }
        if let o = d.reprocessOf { out.append("  reprocess of drop \(o)") }
        for r in reprocesses { out.append("  reprocessed as drop \(r.id) (\(r.outcome?.rawValue ?? r.state.rawValue))") }
        if let a = d.archivePath { out.append("  original: \(SummaryText.relative(a)) member \(d.archiveMember ?? "")") }
        if let e = d.errorPath, reprocesses.isEmpty { out.append("  original: \(SummaryText.relative(e)) (why: \(SummaryText.relative(e)).error.json)") }
        if let ack = ackPath { out.append("  acknowledgement: \(SummaryText.relative(ack))") }
        for i in d.issues { out.append("  issue: \(IssueText.line(i))") }
        for m in messages {
            out.append("")
            out.append("Message \(m.record.id)  \(m.record.type)  \(m.record.disposition.rawValue)" + (m.record.duplicateOf.map { " (duplicate of \($0))" } ?? ""))
            // An issue of the whole file (e.g. json-syntax) is said once, at the drop.
            for i in m.record.issues where !d.issues.contains(i) { out.append("  issue: \(IssueText.line(i))") }
            for (rq, tasks) in m.requests {
                out.append("  request ServiceRequest/\(rq.id) status \(rq.status)" + (rq.isReferral ? " (referral)" : ""))
                for t in tasks { out += taskLines(t) }
            }
            for (rp, versions, tasks) in m.reports {
                let where_ = rp.requestID.map { "linked to ServiceRequest/\($0)" } ?? rp.state.rawValue
                out.append("  \(rp.kind)/\(rp.id) status \(rp.status), \(versions) version(s), \(rp.state == .superseded ? "superseded" : where_)")
                if let s = rp.supersededBy { out.append("    superseded by \(rp.kind)/\(s)") }
                if let r = rp.replaces { out.append("    replaces \(r)") }
                for t in tasks { out += taskLines(t) }
            }
            for t in m.tasks { out += taskLines(t) }
        }
        return out.joined(separator: "\n")
    }

    func taskLines(_ t: TaskRecord) -> [String] {
        ["    Task/\(t.id) status \(t.status.rawValue)"] + (prescriptions[t.id].map { ["      " + $0] } ?? []) + (histories[t.id] ?? []).map {
            "      \($0.at)  \($0.from ?? "(new)") → \($0.to)  by message \($0.messageID ?? "-")  (\($0.reason))"
        }
    }

    func taskJSON(_ t: TaskRecord) -> JSONValue {
        let history: [JSONValue] = (histories[t.id] ?? []).map { h in
            var o = JSONObject()
            o["from"] = h.from.map { .string($0) } ?? .null
            o["to"] = .string(h.to)
            o["at"] = .string(h.at)
            o["message"] = h.messageID.map { .string($0) } ?? .null
            o["reason"] = .string(h.reason)
            return .object(o)
        }
        var o = JSONObject()
        o["id"] = .string("Task/" + t.id)
        o["status"] = .string(t.status.rawValue)
        if let line = prescriptions[t.id] { o["prescription"] = .string(line) }
        o["history"] = .array(history)
        return .object(o)
    }

    func messageJSON(_ m: MessageView) -> JSONValue {
        var o = JSONObject()
        o["id"] = .string(m.record.id)
        o["type"] = .string(m.record.type)
        o["disposition"] = .string(m.record.disposition.rawValue)
        o["issues"] = .array(m.record.issues.map(\.json))
        o["requests"] = .array(m.requests.map { rq, tasks in
            var r = JSONObject()
            r["id"] = .string("ServiceRequest/" + rq.id)
            r["status"] = .string(rq.status)
            r["tasks"] = .array(tasks.map(taskJSON))
            return .object(r)
        })
        o["tasks"] = .array(m.tasks.map(taskJSON))
        o["reports"] = .array(m.reports.map { rp, versions, tasks in
            var r = JSONObject()
            r["id"] = .string(rp.kind + "/" + rp.id)
            r["status"] = .string(rp.status)
            r["state"] = .string(rp.state.rawValue)
            r["versions"] = .number("\(versions)")
            r["request"] = rp.requestID.map { .string("ServiceRequest/" + $0) } ?? .null
            r["supersededBy"] = rp.supersededBy.map { .string($0) } ?? .null
            r["replaces"] = rp.replaces.map { .string($0) } ?? .null
            r["tasks"] = .array(tasks.map(taskJSON))
            return .object(r)
        })
        return .object(o)
    }

    var json: JSONValue {
        let d = drop
        var o = JSONObject()
        o["drop"] = .string(d.id)
        o["channel"] = .string(d.channel)
        o["file"] = .string(d.name)
        o["receivedAt"] = .string(d.receivedAt)
        o["size"] = .number("\(d.size)")
        o["sha256"] = .string(d.sha256)
        o["outcome"] = .string(d.outcome?.rawValue ?? d.state.rawValue)
        o["duplicateOf"] = d.duplicateOf.map { .string($0) } ?? .null
        o["reprocessOf"] = d.reprocessOf.map { .string($0) } ?? .null
        o["reprocessedAs"] = .array(reprocesses.map { .string($0.id) })
        o["archive"] = d.archivePath.map { .string($0) } ?? .null
        o["archiveMember"] = d.archiveMember.map { .string($0) } ?? .null
        o["errorFile"] = reprocesses.isEmpty ? (d.errorPath.map { .string($0) } ?? .null) : .null
        o["acknowledgement"] = ackPath.map { .string($0) } ?? .null
        o["issues"] = .array(d.issues.map(\.json))
        o["messages"] = .array(messages.map(messageJSON))
        return .object(o)
    }
}

enum IssueText {
    static func line(_ i: Issue) -> String {
        "\(i.severity.rawValue) \(i.code)" + (i.location.map { " at \($0)" } ?? "") + ": \(i.text)"
    }
}
