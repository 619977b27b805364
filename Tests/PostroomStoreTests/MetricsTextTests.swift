import Foundation
import PostroomCore
@testable import PostroomStore
import Testing

/// The Prometheus text computed from the store.
@Suite struct MetricsTextTests {
    let t: TempStore
    init() throws { t = try TempStore() }

    func loadTwoRuns() throws {
        try t.write { w in
            try w.insertRun(id: "run1", startedAt: at(0), mode: "once")
            try w.insertDrop(sampleDrop("a", run: "run1", channel: "lab"))
            try w.markProcessed(dropID: "a", outcome: .accepted, format: nil, duplicateOf: nil, issues: [], ackName: nil, ackBytes: nil, errorPath: nil)
            try w.finishRun(id: "run1", finishedAt: at(1), status: "ok", accepted: 1, rejected: 0, duplicates: 0, held: 0, archivePath: nil)
            try w.insertRun(id: "run2", startedAt: at(10), mode: "once")
            try w.insertDrop(sampleDrop("b", run: "run2", channel: "la\"b"))
            try w.markProcessed(dropID: "b", outcome: .rejected, format: nil, duplicateOf: nil, issues: [], ackName: nil, ackBytes: nil, errorPath: nil)
            try w.finishRun(id: "run2", finishedAt: StoreTime.string(Date(timeIntervalSince1970: 1_772_359_200 + 600 + 2.5)), status: "ok",
                            accepted: 0, rejected: 1, duplicates: 0, held: 0, archivePath: nil)
            try w.insertTask(sampleTask("t1", status: .inProgress), keys: [])
            try w.insertReport(sampleReport("d1"))
        }
    }

    @Test func familiesFromTheStore() throws {
        try loadTwoRuns()
        let text = MetricsText.render(store: t.store)
        let histogram = { (line: String) in line.contains("_bucket") || line.hasSuffix("_sum") || line.contains("_sum ") || line.contains("_count ") }
        let lines = text.split(separator: "\n").map(String.init).filter { !$0.hasPrefix("#") && !histogram($0) }
        #expect(lines == [
            "postroom_drops_total{channel=\"la\\\"b\",outcome=\"rejected\"} 1",
            "postroom_drops_total{channel=\"lab\",outcome=\"accepted\"} 1",
            "postroom_last_success_timestamp_seconds 1772359260.0",
            "postroom_reports{state=\"held\"} 1.0",
            "postroom_run_drops{channel=\"la\\\"b\",outcome=\"accepted\"} 0.0",
            "postroom_run_drops{channel=\"la\\\"b\",outcome=\"duplicate\"} 0.0",
            "postroom_run_drops{channel=\"la\\\"b\",outcome=\"partial\"} 0.0",
            "postroom_run_drops{channel=\"la\\\"b\",outcome=\"rejected\"} 1.0",
            "postroom_run_duration_seconds 2.5",
            "postroom_tasks{status=\"in-progress\"} 1.0",
        ], "\(text)")
        // Histograms of the recent runs' durations and of the drops' latencies (through swift-prometheus).
        #expect(text.contains("# TYPE postroom_runs_duration_seconds histogram") && text.contains("postroom_runs_duration_seconds_count 2"))
        #expect(text.contains("postroom_runs_duration_seconds_bucket{le=\"5.0\"} 1"))
        #expect(text.contains("# TYPE postroom_drop_latency_seconds histogram"))
    }

    @Test func theWritersViewMatchesTheReaders() throws {
        try loadTwoRuns()
        #expect(try t.write { MetricsText.render(writer: $0) } == MetricsText.render(store: t.store))
    }

    @Test func noStoreGivesTheEmptyFamilies() {
        let text = MetricsText.render(store: nil)
        #expect(text.contains("# TYPE postroom_drops_total counter"))
        #expect(!text.contains("postroom_drops_total{"))
        #expect(!text.contains("postroom_run_duration_seconds"))
    }
}
