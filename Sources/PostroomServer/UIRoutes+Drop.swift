import Foundation
import Hummingbird
import PostroomCore
import PostroomStore

extension UIRoutes {
    /// One drop (or one message, `<drop id>.<n>`): its file, outcome, issues, acknowledgement, the count of
    /// its messages by outcome, and per message — 50 a page (`?after=<index>`) — its issues, requests,
    /// reports, links and the Task history it caused: `postroom show` as a page, bounded however large the batch.
    func drop(_ context: ServeContext, query: [(name: String, value: String)] = []) throws -> Response {
        let id = context.parameters.get("id") ?? ""
        let dropID = id.split(separator: ".").first.map(String.init) ?? id
        guard let store = stores.store(), let d = try store.read({ try $0.drop(id: dropID) }) else {
            throw FHIRFailure(status: .notFound, type: "not-found", code: .dropNotFound, text: "No drop or message with this id is stored.")
        }
        let after = query.first { $0.name == "after" }.flatMap { Int($0.value) }
        let (messages, counts) = try store.read { r in
            if id != d.id { return ([try r.message(id: id)].compactMap { $0.map { var m = $0; m.raw = nil; return m } }, [(String, Int)]()) }
            return (try r.messagePage(dropID: d.id, after: after, limit: Self.messagePageSize), try r.messageCounts(dropID: d.id))
        }
        var body = "<p>" + HTML.pill(d.outcome?.rawValue ?? d.state.rawValue)
        if let dup = d.duplicateOf { body += " duplicate of " + HTML.link("/ui/drops/\(dup)", dup) }
        if id != d.id { body += " · message \(HTML.escape(id)) of drop " + HTML.link("/ui/drops/\(d.id)", d.id) }
        body += "</p>"
        var facts: [(String, String)] = [
            ("channel", HTML.escape(d.channel)), ("file", HTML.escape(d.name)), ("received", HTML.time(d.receivedAt)),
            ("size", "\(d.size) bytes"), ("SHA-256", "<code>\(HTML.escape(d.sha256))</code>"), ("format", HTML.escape(d.format ?? "")),
        ]
        if let a = d.archivePath { facts.append(("original", "<code>\(HTML.escape(a))</code> member <code>\(HTML.escape(d.archiveMember ?? ""))</code>")) }
        if let e = d.errorPath { facts.append(("original", "<code>\(HTML.escape(e))</code> (reason in <code>.error.json</code>)")) }
        if let ack = d.ackName {
            let folder = pipeline.channel(named: d.channel)?.outbox ?? "outbox"
            facts.append(("acknowledgement", "<code>\(HTML.escape(folder + "/" + ack))</code>"))
        }
        if let from = d.reprocessOf { facts.append(("reprocess of", HTML.link("/ui/drops/\(from)", from))) }
        if let parent = d.parentDrop { facts.append(("member of", HTML.link("/ui/drops/\(parent)", parent))) }
        body += HTML.facts(facts)
        if d.outcome == .rejected || d.outcome == .partial {
            let state = try store.read { try $0.reprocessStates(dropIDs: [d.id]) }[d.id]
            if let again = state?.reprocessedAs {
                body += "<p>Reprocessed as " + HTML.link("/ui/drops/\(again)", again) + ".</p>"
            } else if state?.requestState == "pending" {
                body += "<p>" + HTML.pill("pending") + " queued: the next run will reprocess it.</p>"
            } else {
                body += reprocessForm(dropID: d.id, context)
            }
        }
        if !d.issues.isEmpty { body += "<h2>Issues of the file</h2>" + Self.issueTable(d.issues) }
        if counts.reduce(0, { $0 + $1.1 }) > 1 {
            body += "<p>Messages: " + counts.map { HTML.pill($0.0) + " \($0.1)" }.joined(separator: " · ") + "</p>"
        }
        let effects = try store.read { try MessageEffects(messages.map(\.id), r: $0) }
        for m in messages { body += try messageSection(m, effects: effects, store: store) }
        if id == d.id, messages.count == Self.messagePageSize, let last = messages.last {
            body += "<p>" + HTML.link("/ui/drops/\(d.id)?after=\(last.index)", "Next messages") + "</p>"
        }
        return page(id == d.id ? "Drop \(d.id)" : "Message \(id)", body, context)
    }

    static func issueTable(_ issues: [Issue]) -> String {
        HTML.table(["severity", "code", "location", "text"], issues.map {
            [HTML.pill($0.severity.rawValue), "<code>\(HTML.escape($0.code))</code>", "<code>\(HTML.escape($0.location ?? ""))</code>", HTML.escape($0.text)]
        }, empty: "No issues.")
    }

    static let messagePageSize = 50

    /// One message: issues, the requests and reports it stored (with links and Tasks) and its Task transitions.
    func messageSection(_ m: MessageRecord, effects: MessageEffects, store: Store) throws -> String {
        var out = "<section class=\"message\"><h2>Message \(HTML.escape(m.id)) · \(HTML.escape(m.type)) \(HTML.pill(m.disposition.rawValue))</h2>"
        if let dup = m.duplicateOf { out += "<p>Duplicate of " + HTML.link("/ui/drops/\(dup)", dup) + "</p>" }
        out += "<h3>Issues</h3>" + Self.issueTable(m.issues)
        let requests = effects.requests[m.id] ?? [], reports = effects.reports[m.id] ?? [], transitions = effects.transitions[m.id] ?? []
        if !requests.isEmpty {
            out += "<h3>Requests</h3>"
            for q in requests {
                out += "<p>" + HTML.link("/ServiceRequest/\(q.id)", "ServiceRequest/\(q.id)") + " " + HTML.pill(q.status)
                    + (q.isReferral ? " (referral)" : "") + "</p>"
                out += try tasksOf(requestID: q.id, store: store)
            }
        }
        if !reports.isEmpty {
            out += "<h3>Reports and links</h3>"
            for rp in reports {
                let links = try store.read { try $0.links(reportID: rp.id) }
                out += "<p>" + HTML.link("/\(rp.kind)/\(rp.id)", "\(rp.kind)/\(rp.id)") + " " + HTML.pill(rp.status)
                    + " version \(rp.version) " + HTML.pill(rp.state.rawValue) + "</p>"
                out += HTML.table(["linked to", "via", "at"], links.map {
                    [HTML.link("/ServiceRequest/\($0.requestID)", "ServiceRequest/\($0.requestID)"), "<code>\(HTML.escape($0.via))</code>",
                     HTML.time($0.at)]
                }, empty: rp.state == .held ? "Held: no request matches yet." : "No link.")
                if let s = rp.supersededBy { out += "<p>Superseded by " + HTML.link("/\(rp.kind)/\(s)", "\(rp.kind)/\(s)") + "</p>" }
                if let rid = rp.requestID { out += try tasksOf(requestID: rid, store: store) }
            }
        }
        if !transitions.isEmpty {
            out += "<h3>Task transitions caused by this message</h3>" + HTML.table(["Task", "from", "to", "why"], transitions.map { h in
                [HTML.link("/ui/tasks/\(h.taskID)", "Task/\(h.taskID)"), h.from.map(HTML.pill) ?? "(new)", HTML.pill(h.to), HTML.escape(h.reason)]
            })
        }
        return out + "</section>"
    }

    /// The Tasks of a request with their histories.
    func tasksOf(requestID: String, store: Store) throws -> String {
        var out = ""
        for t in try store.read({ try $0.tasks(focusRequestID: requestID) }) {
            out += "<p>" + HTML.link("/ui/tasks/\(t.id)", "Task/\(t.id)") + " " + HTML.pill(t.status.rawValue) + "</p>"
            out += Self.historyTable(try store.read { try $0.taskHistory(taskID: t.id) })
        }
        return out
    }
}

/// What a page of messages stored and moved, read in three queries for the whole page rather than
/// three per message.
struct MessageEffects {
    var requests: [String: [RequestRecord]] = [:]
    var reports: [String: [ReportRecord]] = [:]
    var transitions: [String: [TaskTransition]] = [:]

    init(_ messageIDs: [String], r: StoreReader) throws {
        guard !messageIDs.isEmpty else { return }
        for q in try r.requests(messageIDs: messageIDs) { requests[q.messageID, default: []].append(q) }
        for rp in try r.reports(messageIDs: messageIDs) { reports[rp.messageID, default: []].append(rp) }
        for t in try r.taskHistory(messageIDs: messageIDs) { if let m = t.messageID { transitions[m, default: []].append(t) } }
    }
}
