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
        let lines = MetricsText.render(store: t.store).split(separator: "\n").map(String.init).filter { !$0.hasPrefix("#") }
        #expect(lines == [
            "postroom_drops_total{channel=\"la\\\"b\",outcome=\"rejected\"} 1",
            "postroom_drops_total{channel=\"lab\",outcome=\"accepted\"} 1",
            "postroom_run_drops{channel=\"la\\\"b\",outcome=\"accepted\"} 0",
            "postroom_run_drops{channel=\"la\\\"b\",outcome=\"rejected\"} 1",
            "postroom_run_drops{channel=\"la\\\"b\",outcome=\"duplicate\"} 0",
            "postroom_run_drops{channel=\"la\\\"b\",outcome=\"partial\"} 0",
            "postroom_tasks{status=\"in-progress\"} 1",
            "postroom_reports{state=\"held\"} 1",
            "postroom_run_duration_seconds 2.500",
            "postroom_last_success_timestamp_seconds 1772359260",
        ])
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
