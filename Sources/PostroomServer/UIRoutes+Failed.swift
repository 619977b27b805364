import Foundation
import Hummingbird
import PostroomCore
import PostroomStore

extension UIRoutes {
    /// Failed drops (rejected, or batches partly rejected) with their reasons and a Reprocess button.
    func failed(_ context: ServeContext, notice: Notice?) throws -> Response {
        let top = notice?.html ?? ""
        guard let store = stores.store() else { return page("Failed drops", top + Self.noDatabase, context) }
        let (drops, messages, states) = try store.read { r in
            let drops = (try r.drops(outcome: "rejected", limit: 500) + r.drops(outcome: "partial", limit: 500))
                .sorted { ($0.receivedAt, $0.id) > ($1.receivedAt, $1.id) }
            var messages: [String: [MessageRecord]] = [:]
            for d in drops { messages[d.id] = try r.messages(dropID: d.id) }
            return (drops, messages, try r.reprocessStates(dropIDs: drops.map(\.id)))
        }
        let rows: [[String]] = drops.map { d in
            var reasons = d.issues.filter(\.isError)
            for m in messages[d.id] ?? [] where m.disposition == .rejected { reasons += m.issues.filter(\.isError) }
            let reasonHTML = reasons.isEmpty ? "<span class=\"muted\">no error recorded</span>"
                : "<ul>" + reasons.prefix(8).map { "<li>" + Self.issueHTML($0) + "</li>" }.joined() + "</ul>"
                    + (reasons.count > 8 ? "<p class=\"muted\">and \(reasons.count - 8) more</p>" : "")
            let state = states[d.id]
            var action: String
            if let again = state?.reprocessedAs {
                action = "reprocessed as " + HTML.link("/ui/drops/\(again)", again)
            } else if state?.requestState == "pending" {
                action = HTML.pill("pending") + " queued: the next run will reprocess it"
            } else {
                action = reprocessForm(dropID: d.id, context)
                if let s = state?.requestState { action = HTML.pill(s) + " " + action }
            }
            return [HTML.link("/ui/drops/\(d.id)", d.id), HTML.escape(d.channel), HTML.escape(d.name), HTML.time(d.receivedAt),
                    HTML.pill(d.outcome?.rawValue ?? d.state.rawValue), reasonHTML, action]
        }
        let body = top + HTML.table(["drop", "channel", "file", "received", "outcome", "reasons", "reprocess"], rows,
                                    empty: "No failed drops.")
        return page("Failed drops", body, context)
    }

    /// One issue: severity, code, location and text (the text never carries patient data).
    static func issueHTML(_ i: Issue) -> String {
        "<code>\(HTML.escape(i.code))</code>" + (i.location.map { " at <code>\(HTML.escape($0))</code>" } ?? "") + ": " + HTML.escape(i.text)
    }

    /// Held results (waiting for their request, or parked on a patient mismatch) and outstanding requests, with their age.
    func held(_ context: ServeContext) throws -> Response {
        guard let store = stores.store() else { return page("Held results and outstanding requests", Self.noDatabase, context) }
        let now = Date()
        let (held, mismatched, open, tasks) = try store.read { r in
            let open = try r.requests(openOnly: true, limit: 500)
            var tasks: [String: [TaskRecord]] = [:]
            for q in open { tasks[q.id] = try r.tasks(focusRequestID: q.id) }
            return (try r.reports(state: "held"), try r.reports(state: "mismatch"), open, tasks)
        }
        func reportRow(_ rp: ReportRecord) -> [String] {
            [HTML.link("/\(rp.kind)/\(rp.id)", "\(rp.kind)/\(rp.id)"), HTML.pill(rp.status), HTML.time(rp.receivedAt),
             HTML.escape(HTML.age(rp.receivedAt, now: now)), HTML.link("/ui/drops/\(rp.messageID)", rp.messageID),
             rp.requestKeys.map { "<code>\(HTML.escape($0))</code>" }.joined(separator: "<br>")]
        }
        var body = "<h2>Held results (\(held.count))</h2><p class=\"muted\">Waiting for the request they answer; linked when it arrives.</p>"
        body += HTML.table(["report", "status", "received", "age", "message", "waiting for"], held.map(reportRow), empty: "No held results.")
        body += "<h2>Parked: patient mismatch (\(mismatched.count))</h2>"
        body += "<p class=\"muted\">A result names a request of another patient; it is never linked and needs an operator.</p>"
        body += HTML.table(["report", "status", "received", "age", "message", "request keys"], mismatched.map(reportRow), empty: "None.")
        body += "<h2>Outstanding requests (\(open.count))</h2>"
        body += HTML.table(["request", "status", "channel", "created", "age", "Tasks", "message"], open.map { q in
            [HTML.link("/ServiceRequest/\(q.id)", "ServiceRequest/\(q.id)") + (q.isReferral ? " (referral)" : ""), HTML.pill(q.status),
             HTML.escape(q.channel), HTML.time(q.createdAt), HTML.escape(HTML.age(q.createdAt, now: now)),
             (tasks[q.id] ?? []).map { HTML.link("/ui/tasks/\($0.id)", "Task") + " " + HTML.pill($0.status.rawValue) }.joined(separator: "<br>"),
             HTML.link("/ui/drops/\(q.messageID)", q.messageID)]
        }, empty: "No outstanding requests.")
        return page("Held results and outstanding requests", body, context)
    }
}
