import Foundation
import Hummingbird
import PostroomCore
import PostroomStore

extension UIRoutes {
    /// The Task board: one column per status, newest change first.
    func tasks(_ context: ServeContext) throws -> Response {
        guard let store = stores.store() else { return page("Tasks", Self.noDatabase, context) }
        let now = Date()
        let all = try store.read { try $0.tasks(limit: 2000) }
        var body = "<p class=\"muted\">\(all.count) Tasks. Each card links to its history.</p><div class=\"board\">"
        for status in TaskStatus.allCases {
            let column = all.filter { $0.status == status }
            guard !column.isEmpty || [.requested, .accepted, .inProgress, .completed].contains(status) else { continue }
            body += "<section class=\"column\"><h3>\(HTML.pill(status.rawValue)) \(column.count)</h3>"
            for t in column.prefix(200) {
                body += "<div class=\"card\">" + HTML.link("/ui/tasks/\(t.id)", "Task/\(t.id)")
                if let focus = t.focusRequestID { body += "<br>focus " + HTML.link("/ServiceRequest/\(focus)", "ServiceRequest/\(focus)") }
                if let owner = t.owner { body += "<br>owner <code>\(HTML.escape(owner))</code>" }
                body += "<br><span class=\"muted\">\(HTML.escape(t.channel)), changed \(HTML.escape(HTML.age(t.updatedAt, now: now))) ago</span></div>"
            }
            if column.count > 200 { body += "<p class=\"muted\">and \(column.count - 200) more</p>" }
            body += "</section>"
        }
        return page("Tasks", body + "</div>", context)
    }

    /// One Task: status, focus, owner, sub-tasks and its history with the message behind each step.
    func task(_ context: ServeContext) throws -> Response {
        let id = context.parameters.get("id") ?? ""
        guard let store = stores.store(), let t = try store.read({ try $0.task(id: id) }) else {
            throw FHIRFailure(status: .notFound, type: "not-found", code: .taskNotFound, text: "No Task with this id is stored.")
        }
        let (history, subtasks) = try store.read { (try $0.taskHistory(taskID: t.id), try $0.subtasks(of: t.id)) }
        let businessStatus = ReferralPlanner.businessStatus(of: try store.read { try $0.resource(type: "Task", id: t.id) })
        var body = "<p>" + HTML.pill(t.status.rawValue) + " " + HTML.link("/Task/\(t.id)", "FHIR resource")
            + " · " + HTML.link("/Task/\(t.id)/_history", "versions") + "</p>"
        body += HTML.facts([
            ("focus", t.focusRequestID.map { HTML.link("/ServiceRequest/\($0)", "ServiceRequest/\($0)") } ?? ""),
            ("part of", t.partOf.map { HTML.link("/ui/tasks/\($0)", "Task/\($0)") } ?? ""),
            ("business status", HTML.escape(businessStatus ?? "")),
            ("owner", HTML.escape(t.owner ?? "")), ("requester", HTML.escape(t.requester ?? "")),
            ("channel", HTML.escape(t.channel)), ("created", HTML.time(t.createdAt)), ("changed", HTML.time(t.updatedAt)),
        ])
        if !subtasks.isEmpty {
            body += "<h2>Sub-tasks</h2>" + HTML.table(["Task", "status"], subtasks.map {
                [HTML.link("/ui/tasks/\($0.id)", "Task/\($0.id)"), HTML.pill($0.status.rawValue)]
            })
        }
        body += try store.read { try Self.prescriptionSection($0, taskID: t.id) }
        body += "<h2>History</h2>" + Self.historyTable(history)
        return page("Task \(t.id)", body, context)
    }

    /// A Task's transitions, oldest first, each with the message that caused it.
    static func historyTable(_ history: [TaskTransition]) -> String {
        HTML.table(["at", "from", "to", "message", "why"], history.map { h in
            [HTML.time(h.at), h.from.map(HTML.pill) ?? "<span class=\"muted\">(new)</span>", HTML.pill(h.to),
             h.messageID.map { HTML.link("/ui/drops/\($0)", $0) } ?? "", HTML.escape(h.reason)]
        }, empty: "No transitions recorded.")
    }
}
