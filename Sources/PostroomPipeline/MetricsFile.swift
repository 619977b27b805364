import Foundation
import PostroomStore

/// Writes `metrics.prom` in the Prometheus text format (for node_exporter's textfile collector).
public enum MetricsFile {
    static func write(summary: RunSummary, store: Store, to path: String) throws {
        try FileSystem.writeAtomically([((path as NSString).deletingLastPathComponent, (path as NSString).lastPathComponent,
                                         Array(render(summary: summary, store: store).utf8))])
    }

    /// The exposition text: totals per channel and outcome from the store, plus this run's figures.
    public static func render(summary: RunSummary?, store: Store) -> String {
        var out = ""
        out += "# HELP postroom_drops_total Drops processed, by channel and outcome (all runs).\n"
        out += "# TYPE postroom_drops_total counter\n"
        for row in (try? store.read { try $0.dropCounts() }) ?? [] {
            out += "postroom_drops_total{channel=\"\(row.channel)\",outcome=\"\(row.outcome)\"} \(row.count)\n"
        }
        out += "# HELP postroom_run_drops Drops processed by the last run, by channel and outcome.\n"
        out += "# TYPE postroom_run_drops gauge\n"
        for (ch, c) in (summary?.channels ?? [:]).sorted(by: { $0.key < $1.key }) {
            for (o, n) in [("accepted", c.accepted), ("rejected", c.rejected), ("duplicate", c.duplicates), ("partial", c.partial)] {
                out += "postroom_run_drops{channel=\"\(ch)\",outcome=\"\(o)\"} \(n)\n"
            }
        }
        out += "# HELP postroom_tasks Tasks by status.\n# TYPE postroom_tasks gauge\n"
        for row in (try? store.read { try $0.taskCounts() }) ?? [] {
            out += "postroom_tasks{status=\"\(row.status)\"} \(row.count)\n"
        }
        out += "# HELP postroom_reports Reports by state (linked, held, mismatch, superseded).\n# TYPE postroom_reports gauge\n"
        for row in (try? store.read { try $0.reportCounts() }) ?? [] {
            out += "postroom_reports{state=\"\(row.state)\"} \(row.count)\n"
        }
        if let summary {
            out += "# HELP postroom_run_duration_seconds Duration of the last run.\n# TYPE postroom_run_duration_seconds gauge\n"
            out += "postroom_run_duration_seconds \(String(format: "%.3f", summary.seconds))\n"
        }
        if let last = try? store.read({ try $0.lastSuccessfulRunEnd() }), let end = StoreTime.date(last) {
            out += "# HELP postroom_last_success_timestamp_seconds End of the last run that rejected nothing.\n"
            out += "# TYPE postroom_last_success_timestamp_seconds gauge\n"
            out += "postroom_last_success_timestamp_seconds \(Int(end.timeIntervalSince1970))\n"
        }
        return out
    }
}
