import Foundation
import PostroomStore

/// Writes `metrics.prom` in the Prometheus text format (for node_exporter's textfile collector):
/// the same text `postroom serve` and `watch` give at `/metrics` (`MetricsText`).
enum MetricsFile {
    static func write(store: Store, to path: String) throws {
        try FileSystem.writeAtomically([((path as NSString).deletingLastPathComponent, (path as NSString).lastPathComponent,
                                         Array(try store.write { MetricsText.render(writer: $0) }.utf8))])
    }
}
