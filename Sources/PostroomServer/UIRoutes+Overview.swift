import Foundation
import Hummingbird
import PostroomConfig
import PostroomStore

extension UIRoutes {
    /// Nodes (several, on PostgreSQL), runs with their counts, totals, the drops-per-hour chart, queued reprocesses and the audit trail.
    func overview(_ context: ServeContext) throws -> Response {
        guard let store = stores.store() else { return page("Overview", Self.noDatabase, context) }
        let now = Date()
        let data = try store.read { r in
            let runs = try r.runs(limit: 20)
            return (runs: runs, outcomes: try r.dropOutcomes(runIDs: runs.map(\.id)), drops: try r.dropCounts(),
                    reports: try r.reportCounts(), tasks: try r.taskCounts(),
                    chart: try r.dropsPerHour(since: DropChart.since(now: now)),
                    pending: try r.pendingReprocessRequests(), audit: try r.auditTrail(limit: 10),
                    expectations: try Expectations.evaluate(pipeline, reader: r, now: now))
        }
        var body = Self.expectationsSection(data.expectations)
        body += nodesSection()
        body += "<h2>Drops per hour, last 48 hours (UTC)</h2>" + DropChart.svg(data.chart, now: now)
        body += "<h2>Runs</h2>" + HTML.table(
            ["run", "started", "finished", "mode", "status", "accepted", "rejected", "duplicates", "partial", "held"],
            data.runs.map { run in
                [HTML.escape(run.id), HTML.time(run.startedAt), HTML.time(run.finishedAt), HTML.escape(run.mode), HTML.pill(run.status),
                 "\(run.accepted)", run.rejected > 0 ? "<a href=\"/ui/failed\">\(run.rejected)</a>" : "0", "\(run.duplicates)",
                 "\(data.outcomes[run.id]?["partial"] ?? 0)", "\(run.held)"]
            }, empty: "No runs yet.")
        body += "<h2>Drops by channel and outcome</h2>" + HTML.table(["channel", "outcome", "drops"], data.drops.map {
            [HTML.escape($0.channel), HTML.pill($0.outcome), "\($0.count)"]
        })
        body += "<h2>Reports</h2>" + HTML.table(["state", "reports"], data.reports.map { [HTML.pill($0.state), "\($0.count)"] })
        body += "<h2>Tasks</h2>" + HTML.table(["status", "Tasks"], data.tasks.map { [HTML.pill($0.status), "\($0.count)"] })
        body += "<h2>Queued reprocessing</h2>" + HTML.table(["drop", "asked", "by"], data.pending.map {
            [HTML.link("/ui/drops/\($0.dropID)", $0.dropID), HTML.time($0.requestedAt), HTML.escape($0.actor)]
        }, empty: "Nothing queued.")
        body += "<h2>Recent operator actions</h2>" + HTML.table(["at", "who", "action", "target"], data.audit.map {
            [HTML.time($0.at), HTML.escape($0.actor), HTML.escape($0.action), HTML.escape($0.target)]
        }, empty: "None.")
        return page("Overview", body, context)
    }

    /// The expected files (`expect`, `maxSilenceHours`), missed ones first; nothing when none is configured.
    static func expectationsSection(_ list: [ExpectationStatus]) -> String {
        guard !list.isEmpty else { return "" }
        let sorted = list.filter { $0.state.isMissed } + list.filter { !$0.state.isMissed }
        let missed = list.filter { $0.state.isMissed }.count
        return "<h2>Expected files" + (missed > 0 ? " — \(missed) missed" : "") + "</h2>" + HTML.table(
            ["channel", "expectation", "state", "due", "received", "last file"], sorted.map {
                [HTML.escape($0.channel), HTML.escape($0.name), HTML.pill($0.state.rawValue), HTML.time($0.due), "\($0.count)/\($0.atLeast)",
                 HTML.time($0.lastFile)]
            })
    }
}
