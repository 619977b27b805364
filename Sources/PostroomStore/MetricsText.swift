import Foundation
import Prometheus

/// The Prometheus text exposition `/metrics` serves: the same families `run --once` writes to
/// `metrics.prom`, computed from the store and produced through swift-prometheus's collector
/// registry (counters print whole numbers, gauges decimals such as `3.0`).
public enum MetricsText {
    /// A gauge set from outside the store (the expected-file schedules of the pipeline).
    public struct Gauge: Sendable {
        public var name: String
        public var help: String
        public var labels: [(String, String)]
        public var value: Double
        public init(name: String, help: String, labels: [(String, String)], value: Double) {
            self.name = name
            self.help = help
            self.labels = labels
            self.value = value
        }
    }

    /// The exposition text for the store (empty families when there is no database yet).
    public static func render(store: Store?, extra: [Gauge] = []) -> String {
        render(data: try? store?.read { r in try facts(r) }, extra: extra)
    }

    /// The exposition text read on a writer's connection (the pipeline: no reader connection and cache for it).
    public static func render(writer: StoreWriter, extra: [Gauge] = []) -> String {
        render(data: try? facts(writer.reader), extra: extra)
    }

    typealias Facts = (drops: [(channel: String, outcome: String, count: Int)], tasks: [(status: String, count: Int)],
                       reports: [(state: String, count: Int)], last: RunRecord?,
                       lastDrops: [(channel: String, outcome: String, count: Int)], clean: RunRecord?,
                       runSeconds: [Double], dropSeconds: [Double])

    static func facts(_ r: StoreReader) throws -> Facts {
        let last = try r.runs(limit: 1).first
        return (drops: try r.dropCounts(), tasks: try r.taskCounts(), reports: try r.reportCounts(), last: last,
                lastDrops: try last.map { try r.dropCounts(runID: $0.id) } ?? [], clean: try r.lastCleanRun(),
                runSeconds: try r.recentRunSeconds(limit: 1_000), dropSeconds: try r.recentDropLatencies(limit: 10_000))
    }

    /// Buckets of the run-duration and per-drop latency histograms (seconds).
    static let runBuckets: [Double] = [0.1, 0.5, 1, 5, 10, 30, 60, 300, 900, 3600]
    static let dropBuckets: [Double] = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60]

    static func render(data: Facts?, extra: [Gauge] = []) -> String {
        let registry = PrometheusCollectorRegistry()
        counters(registry, data)
        gauges(registry, data)
        histograms(registry, data)
        for g in extra { gauge(registry, g.name, g.help, g.labels).set(g.value) }
        let text = registry.emitToString()
        return stable(text + announcements(missingFrom: text))
    }

    /// The families always listed, even before they have a sample (an empty store, no database yet).
    static let families: [(name: String, type: String, help: String)] = [
        ("postroom_drops_total", "counter", "Drops processed, by channel and outcome (all runs)."),
        ("postroom_run_drops", "gauge", "Drops processed by the last run, by channel and outcome."),
        ("postroom_tasks", "gauge", "Tasks by status."),
        ("postroom_reports", "gauge", "Reports by state (linked, held, mismatch, superseded)."),
    ]

    /// `# HELP` and `# TYPE` lines for the always-listed families the registry has no sample of.
    static func announcements(missingFrom text: String) -> String {
        families.filter { !text.contains("# TYPE \($0.name) ") }.map { "# HELP \($0.name) \($0.help)\n# TYPE \($0.name) \($0.type)\n" }.joined()
    }

    /// The registry's text in a stable order (it keeps its families in a dictionary): families by
    /// name, and the samples of a counter or gauge family by their labels; histogram samples keep
    /// their bucket order. Two renders of the same store are the same text.
    static func stable(_ text: String) -> String {
        var blocks: [(name: String, lines: [Substring])] = []
        for line in text.split(separator: "\n") {
            if line.hasPrefix("# HELP ") || (line.hasPrefix("# TYPE ") && blocks.last?.lines.last?.hasPrefix("# HELP ") != true) {
                blocks.append((String(line.split(separator: " ")[2]), []))
            }
            if blocks.isEmpty { blocks.append(("", [])) }
            blocks[blocks.count - 1].lines.append(line)
        }
        return blocks.sorted { $0.name < $1.name }.map { block in
            let header = block.lines.prefix { $0.hasPrefix("#") }
            var samples = Array(block.lines.dropFirst(header.count))
            if header.contains(where: { $0.hasSuffix(" counter") || $0.hasSuffix(" gauge") }) { samples.sort() }
            return (header + samples).joined(separator: "\n") + "\n"
        }.joined()
    }

    static func descriptor(_ name: String, _ help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(metricName: name, unitName: "", helpText: help)
    }

    static func gauge(_ registry: PrometheusCollectorRegistry, _ name: String, _ help: String, _ labels: [(String, String)]) -> Prometheus.Gauge {
        registry.makeGauge(descriptor: descriptor(name, help), labels: labels)
    }

    static func counters(_ registry: PrometheusCollectorRegistry, _ data: Facts?) {
        for row in data?.drops ?? [] {
            registry.makeCounter(descriptor: descriptor("postroom_drops_total", "Drops processed, by channel and outcome (all runs)."),
                                 labels: [("channel", row.channel), ("outcome", row.outcome)]).increment(by: Int64(row.count))
        }
    }

    static func gauges(_ registry: PrometheusCollectorRegistry, _ data: Facts?) {
        var perChannel: [String: [String: Int]] = [:]
        for row in data?.lastDrops ?? [] { perChannel[row.channel, default: [:]][row.outcome, default: 0] += row.count }
        for (ch, counts) in perChannel {
            for o in ["accepted", "rejected", "duplicate", "partial"] {
                gauge(registry, "postroom_run_drops", "Drops processed by the last run, by channel and outcome.", [("channel", ch), ("outcome", o)])
                    .set(Double(counts[o] ?? 0))
            }
        }
        for row in data?.tasks ?? [] { gauge(registry, "postroom_tasks", "Tasks by status.", [("status", row.status)]).set(Double(row.count)) }
        for row in data?.reports ?? [] {
            gauge(registry, "postroom_reports", "Reports by state (linked, held, mismatch, superseded).", [("state", row.state)]).set(Double(row.count))
        }
        if let last = data?.last, let end = last.finishedAt.flatMap(StoreTime.date), let start = StoreTime.date(last.startedAt) {
            gauge(registry, "postroom_run_duration_seconds", "Duration of the last run.", []).set(end.timeIntervalSince(start))
        }
        if let clean = data?.clean, let end = clean.finishedAt.flatMap(StoreTime.date) {
            gauge(registry, "postroom_last_success_timestamp_seconds", "End of the last run that rejected nothing.", [])
                .set(end.timeIntervalSince1970.rounded(.down))
        }
    }

    static func histograms(_ registry: PrometheusCollectorRegistry, _ data: Facts?) {
        guard let data else { return }
        let runs = registry.makeValueHistogram(
            descriptor: descriptor("postroom_runs_duration_seconds", "Durations of the recent runs (at most the last 1,000)."), buckets: runBuckets)
        for s in data.runSeconds { runs.record(s) }
        let drops = registry.makeValueHistogram(
            descriptor: descriptor("postroom_drop_latency_seconds", "From a drop's claim to its answer being decided (the last 10,000 drops)."),
            buckets: dropBuckets)
        for s in data.dropSeconds { drops.record(s) }
    }
}
