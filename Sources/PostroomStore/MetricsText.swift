import Foundation


/// The Prometheus text exposition `/metrics` serves: the same families `run --once` writes to
/// `metrics.prom`, computed from the store (the last run's figures from its `run` row and drops).
public enum MetricsText {
    /// The exposition text for the store (empty families when there is no database yet).
    public static func render(store: Store?) -> String {
        render(data: try? store?.read { r in try facts(r) })
    }

    /// The exposition text read on a writer's connection (the pipeline: no reader connection and cache for it).
    public static func render(writer: StoreWriter) -> String {
        render(data: try? facts(writer.reader))
    }

    typealias Facts = (drops: [(channel: String, outcome: String, count: Int)], tasks: [(status: String, count: Int)],
                       reports: [(state: String, count: Int)], last: RunRecord?,
                       lastDrops: [(channel: String, outcome: String, count: Int)], clean: RunRecord?)

    static func facts(_ r: StoreReader) throws -> Facts {
        let last = try r.runs(limit: 1).first
        return (drops: try r.dropCounts(), tasks: try r.taskCounts(), reports: try r.reportCounts(), last: last,
                lastDrops: try last.map { try r.dropCounts(runID: $0.id) } ?? [], clean: try r.lastCleanRun())
    }

    static func render(data: Facts?) -> String {
        var out = ""
        out += "# HELP postroom_drops_total Drops processed, by channel and outcome (all runs).\n"
        out += "# TYPE postroom_drops_total counter\n"
        for row in data?.drops ?? [] {
            out += "postroom_drops_total{channel=\"\(label(row.channel))\",outcome=\"\(label(row.outcome))\"} \(row.count)\n"
        }
        out += "# HELP postroom_run_drops Drops processed by the last run, by channel and outcome.\n"
        out += "# TYPE postroom_run_drops gauge\n"
        var perChannel: [String: [String: Int]] = [:]
        for row in data?.lastDrops ?? [] { perChannel[row.channel, default: [:]][row.outcome, default: 0] += row.count }
        for (ch, counts) in perChannel.sorted(by: { $0.key < $1.key }) {
            for o in ["accepted", "rejected", "duplicate", "partial"] {
                out += "postroom_run_drops{channel=\"\(label(ch))\",outcome=\"\(o)\"} \(counts[o] ?? 0)\n"
            }
        }
        out += "# HELP postroom_tasks Tasks by status.\n# TYPE postroom_tasks gauge\n"
        for row in data?.tasks ?? [] { out += "postroom_tasks{status=\"\(label(row.status))\"} \(row.count)\n" }
        out += "# HELP postroom_reports Reports by state (linked, held, mismatch, superseded).\n# TYPE postroom_reports gauge\n"
        for row in data?.reports ?? [] { out += "postroom_reports{state=\"\(label(row.state))\"} \(row.count)\n" }
        if let last = data?.last, let end = last.finishedAt.flatMap(StoreTime.date), let start = StoreTime.date(last.startedAt) {
            out += "# HELP postroom_run_duration_seconds Duration of the last run.\n# TYPE postroom_run_duration_seconds gauge\n"
            out += "postroom_run_duration_seconds \(String(format: "%.3f", end.timeIntervalSince(start)))\n"
        }
        if let clean = data?.clean, let end = clean.finishedAt.flatMap(StoreTime.date) {
            out += "# HELP postroom_last_success_timestamp_seconds End of the last run that rejected nothing.\n"
            out += "# TYPE postroom_last_success_timestamp_seconds gauge\n"
            out += "postroom_last_success_timestamp_seconds \(Int(end.timeIntervalSince1970))\n"
        }
        return out
    }

    /// A label value escaped for the text format.
    static func label(_ s: String) -> String {
        s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"").replacingOccurrences(of: "\n", with: "\\n")
    }
}
