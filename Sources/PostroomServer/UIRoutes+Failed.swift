import Foundation
import Hummingbird
import PostroomCore
import PostroomStore

extension UIRoutes {
    /// Failed drops (rejected, or batches partly rejected) with their reasons and a Reprocess button, 50 a
    /// page (`?before=<received>|<drop id>`), each with its count of rejected messages and the issues of the
    /// first few — bounded in time and memory whatever the batches hold (no raw bytes are read).
    func failed(_ context: ServeContext, notice: Notice?, query: [(name: String, value: String)] = []) throws -> Response {
        let top = notice?.html ?? ""
        guard let store = stores.store() else { return page("Failed drops", top + Self.noDatabase, context) }
        let before = query.first { $0.name == "before" }.flatMap { q -> (String, String)? in
            let parts = q.value.split(separator: "|", maxSplits: 1).map(String.init)
            return parts.count == 2 ? (parts[0], parts[1]) : nil
        }
        let (drops, reasons, counts, states, total) = try store.read { r in
            let drops = try r.failedDrops(before: before, limit: Self.failedPageSize)
            var reasons: [String: [Issue]] = [:]
            var counts: [String: Int] = [:]
            for d in drops {
                reasons[d.id] = d.issues.filter(\.isError) + (try r.rejectedIssues(dropID: d.id, limit: 8)).filter(\.isError)
                counts[d.id] = try r.messageCounts(dropID: d.id).first { $0.disposition == "rejected" }?.count ?? 0
            }
            return (drops, reasons, counts, try r.reprocessStates(dropIDs: drops.map(\.id)), try r.failedDropCount())
        }
        let rows: [[String]] = drops.map { d in
            [HTML.link("/ui/drops/\(d.id)", d.id), HTML.escape(d.channel), HTML.escape(d.name), HTML.time(d.receivedAt),
             HTML.pill(d.outcome?.rawValue ?? d.state.rawValue) + ((counts[d.id] ?? 0) > 0 ? " \(counts[d.id]!) message(s) rejected" : ""),
             Self.reasonsHTML(reasons[d.id] ?? [], rejected: counts[d.id] ?? 0), reprocessAction(d, states[d.id], context)]
        }
        var body = top + "<p>\(total) failed drop(s) in all.</p>"
        body += HTML.table(["drop", "channel", "file", "received", "outcome", "reasons", "reprocess"], rows, empty: "No failed drops.")
        if drops.count == Self.failedPageSize, let last = drops.last {
            body += "<p>" + HTML.link("/ui/failed?before=" + QueryString.encode(last.receivedAt + "|" + last.id), "Older failed drops") + "</p>"
        }
        return page("Failed drops", body, context)
    }

    static let failedPageSize = 50

    /// The first reasons of a failed drop (those of its first rejected messages).
    static func reasonsHTML(_ reasons: [Issue], rejected: Int) -> String {
        guard !reasons.isEmpty else { return "<span class=\"muted\">no error recorded</span>" }
        return "<ul>" + reasons.prefix(8).map { "<li>" + issueHTML($0) + "</li>" }.joined() + "</ul>"
            + (reasons.count > 8 || rejected > 8 ? "<p class=\"muted\">more on the drop's page</p>" : "")
    }

    /// What can be done about a failed drop: reprocess it, or see what reprocessing it became.
    func reprocessAction(_ d: DropRecord, _ state: ReprocessState?, _ context: ServeContext) -> String {
        if let again = state?.reprocessedAs { return "reprocessed as " + HTML.link("/ui/drops/\(again)", again) }
        if state?.requestState == "pending" { return HTML.pill("pending") + " queued: the next run will reprocess it" }
        let form = reprocessForm(dropID: d.id, context)
        return state?.requestState.map { HTML.pill($0) + " " + form } ?? form
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
            return (try r.reports(state: .held, limit: 500), try r.reports(state: .mismatch, limit: 500), open, tasks)
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
