import Foundation
import Hummingbird
import HummingbirdTesting
import PostroomConfig
import PostroomCore
import PostroomPipeline
import PostroomServer
import PostroomStore
import Testing

/// The server over a live store: /metrics as `run --once` writes it, no database yet, and a run
/// that writes while the server reads.
@Suite struct ServeStoreTests {
    @Test func metricsAreTheLinesRunOnceWroteToMetricsProm() async throws {
        let data = try SampleData.get()
        let written = try String(contentsOfFile: data.config.metricsFile, encoding: .utf8)
        try await withServer(data) { (c) async throws in
            let r = try await c.get("/metrics")
            #expect(r.status == .ok && r.headers[.contentType]?.hasPrefix("text/plain; version=0.0.4") == true)
            // The same families and values; the run's duration is measured differently (to the millisecond) and left out.
            func lines(_ s: String) -> [String] {
                s.split(separator: "\n").map(String.init).filter { !$0.hasPrefix("postroom_run_duration_seconds ") }
            }
            #expect(lines(r.text) == lines(written))
            #expect(r.text.contains("postroom_drops_total{channel=\"lab-orders\",outcome=\"rejected\"} 1"))
            #expect(r.text.contains("postroom_tasks{status=\"completed\"} 5"))
        }
    }

    @Test func theMetricsOnlyRouterForWatchServesNothingElse() async throws {
        let server = try SampleData.get().server()
        try await Application(router: server.router(metricsOnly: true), logger: quietLogger).test(.router) { (c) async throws in
            let m = try await c.get("/metrics")
            #expect(m.status == .ok && m.text.contains("postroom_drops_total"))
            #expect(try await c.get("/metrics", headers: [:]).status == .unauthorized)
            #expect(try await c.get("/ServiceRequest").status == .notFound)
            #expect(try await c.get("/ui/failed").status == .notFound)
        }
    }

    @Test func withoutADatabaseTheServerAnswersAsForAnEmptyStore() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("postroom-serve-empty-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: root) }
        let json = try JSONParser().parse("""
            {"data": "data", "channels": [{"name": "in", "formats": ["hl7v2"], "role": "placer"}], "serve": {"anonymous": true}}
            """)
        let config = try PipelineConfig.parse(json, base: root, configPath: root + "/pipeline.json")
        let server = PostroomServer(pipeline: config, serve: try ServeConfig.parse(config.serve), logger: quietLogger)
        let app = Application(router: server.router(), logger: quietLogger)
        try await app.test(.router) { (c) async throws in
            let b = try await c.get("/ServiceRequest?status=active", headers: [:])
            #expect(b.status == .ok)
            #expect(try b.json().total == 0)
            #expect(try await c.get("/Task/abc", headers: [:]).status == .notFound)
            #expect(try await c.get("/ui", headers: [:]).text.contains("No database yet"))
            #expect(try await c.get("/ui/failed", headers: [:]).text.contains("No database yet"))
            let m = try await c.get("/metrics", headers: [:])
            #expect(m.status == .ok && m.text.contains("# TYPE postroom_drops_total counter"))
        }
        #expect(!FileManager.default.fileExists(atPath: config.database), "serve never creates the database")
    }

    @Test func aRunWhileTheServerIsOpenIsSeenAndIndexedAtOnce() async throws {
        let data = try SampleData()
        // The order the held result (ORD9999, NHS 9990000042) was waiting for.
        let order = String(decoding: SampleData.sample("lab-orders/01-orm-o01-full-blood-count.hl7"), as: UTF8.self)
            .replacingOccurrences(of: "ORM-0001", with: "ORM-0999").replacingOccurrences(of: "ORD1001", with: "ORD9999")
            .replacingOccurrences(of: "9990000018", with: "9990000042")
        try await withServer(data) { (c) async throws in
            #expect(try await c.get("/Task?status=completed").json().total == 5)
            #expect(try await c.get("/ServiceRequest?identifier=ORD9999").json().total == 0)
            // The pipeline writes (as a cron run beside `serve` would); the open server's reader sees it.
            try data.drop(Array(order.utf8), as: "09-late-order.hl7", channel: "lab-orders")
            let summary = try data.runPipeline()
            #expect(summary.total.accepted == 1)
            let request = try #require(try await c.get("/ServiceRequest?identifier=ORD9999").json().ids.first)
            let reports = try await c.get("/DiagnosticReport?based-on=\(request)&_include=DiagnosticReport:result").json()
            #expect(reports.total == 1 && reports.entries(mode: "include").count == 1)
            #expect(try await c.get("/Observation?based-on=ServiceRequest/\(request)").json().total == 1)
            #expect(try await c.get("/Task?status=completed").json().total == 6)
            #expect(try await c.get("/Task?focus=\(request)&status=completed").json().total == 1)
            #expect(!(try await c.get("/ui/held").text.contains("ORD9999<")))
        }
    }
}
