import Foundation
import PostroomConfig
import PostroomStore

/// Writes `metrics.prom` in the Prometheus text format (for node_exporter's textfile collector):
/// the same text `postroom serve` and `watch` give at `/metrics` (`MetricsText`).
enum MetricsFile {
    static func write(store: Store, config: PipelineConfig, to path: String) throws {
        let text = try store.write { w in
            MetricsText.render(writer: w, extra: (try? Expectations.metricGauges(config, reader: w.reader)) ?? [])
        }
        try FileSystem.writeAtomically([((path as NSString).deletingLastPathComponent, (path as NSString).lastPathComponent, Array(text.utf8))])
    }
}
