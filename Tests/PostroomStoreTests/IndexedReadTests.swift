import Foundation
import GRDB
import PostroomCore
@testable import PostroomStore
import Synchronization
import Testing

/// SQLite's plans for the reads every run, `status`, page load and scrape makes (SQLite only: the plans are its own).
@Suite struct IndexedReadTests {
    let t: TempStore
    init() throws { t = try TempStore() }

    /// What every run start, `status`, page and `metrics.prom` reads is read through indexes: no statement scans a
    /// whole table of runs, drops, messages, reports or Tasks (nor a whole index of one, but the state indexes the
    /// report and Task counts read), nor sorts what it scanned (a store keeps them by the million).
    @Test func whatEveryRunAndScrapeReadsIsFoundThroughIndexes() throws {
        try t.write { w in
            try w.insertRun(id: "run1", startedAt: at(0), mode: "once")
            try w.insertDrop(sampleDrop("d1"))
            try w.finishRun(id: "run1", finishedAt: at(2), status: "ok", accepted: 1, rejected: 0, duplicates: 0, held: 0, archivePath: nil)
        }
        let statements = Mutex<[String]>([])
        try t.store.pool.read { db in
            db.trace(options: .statement) { event in
                if case .statement(let s) = event { statements.withLock { $0.append(s.sql) } }
            }
            let r = StoreReader(db: GRDBExecutor(db), identity: .standard)
            _ = try MetricsText.facts(r)
            _ = try r.unfinishedRuns(except: "run2")
            _ = try r.runs(limit: 5)
            db.trace(options: .statement, nil)
        }
        let read = statements.withLock { $0 }.filter { $0.hasPrefix("SELECT") }
        #expect(read.count >= 8, "\(read)")
        let large = ["run", "r", "drop_file", "d", "message", "m", "report", "task"]
        // Counting reports and Tasks by state reads their state indexes whole (about 80 ms at 1,000,000): accepted.
        let accepted = ["SCAN task USING COVERING INDEX task_status", "SCAN report USING COVERING INDEX report_state"]
        for sql in read {
            let plan = try t.store.pool.read { db in
                try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql, arguments: StatementArguments(Array(repeating: "x", count: sql.filter { $0 == "?" }.count))!)
                    .map { $0["detail"] as String }
            }
            let sorts = plan.contains { $0.contains("TEMP B-TREE") }
            // A walk of an index in the order asked, stopped by the LIMIT (the latest runs, the latest drops), is fine.
            let stoppedWalk = sql.contains("LIMIT") && !sorts
            for step in plan where !accepted.contains(step) && large.contains(where: { step == "SCAN \($0)" || step.hasPrefix("SCAN \($0) ") }) {
                #expect(stoppedWalk && step.contains(" USING "), "\(step) in \(sql)")
            }
            // Sorting or grouping is fine for what an index found (a few unfinished runs, one run's drops), not for a scan.
            #expect(!sorts || plan.contains { $0.hasPrefix("SEARCH") }, "\(plan) in \(sql)")
        }
    }

    /// The duplicate check every drop makes (`appliedDrop`) finds its candidates through the index of the hash's first
    /// 16 digits (v16), not through the outcome index or a scan (which would read every applied drop), and finds them
    /// by the whole hash.
    @Test func theContentCheckSearchesTheHashPrefixIndex() throws {
        let sha = String(repeating: "ab", count: 32)
        try t.write { w in
            try w.insertRun(id: "run1", startedAt: at(0), mode: "once")
            for (id, hash) in [("d1", sha), ("d2", String(sha.prefix(16)) + String(repeating: "c", count: 48))] {
                try w.insertDrop(sampleDrop(id, sha: hash))
                try w.markProcessed(dropID: id, outcome: .accepted, format: "hl7v2", duplicateOf: nil, issues: [], ackName: nil,
                                    ackBytes: nil, errorPath: nil)
            }
        }
        let statements = Mutex<[String]>([])
        let found = try t.store.pool.read { db in
            db.trace(options: .statement) { event in
                if case .statement(let s) = event { statements.withLock { $0.append(s.sql) } }
            }
            defer { db.trace(options: .statement, nil) }
            return try StoreReader(db: GRDBExecutor(db), identity: .standard).appliedDrop(sha256: sha, excluding: "new")
        }
        #expect(found?.id == "d1")
        let sql = try #require(statements.withLock { $0 }.first { $0.contains("substr(sha256") })
        let plan = try t.store.pool.read { db in
            try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql, arguments: ["x", "y", "z"]).map { $0["detail"] as String }
        }
        #expect(plan == ["SEARCH drop_file USING INDEX drop_file_sha256_prefix (<expr>=?)"], "\(plan)")
    }

    /// v17: a message's duplicate-check keys are one B-tree (a table without rowid), and only a report with a request is
    /// in the index of reports by request (a held report, a lab batch's usual result, is not written there), which still
    /// serves the search of reports by their request's identifiers.
    @Test func everyMessageWritesFewerBTrees() throws {
        let sql = { (name: String) in try t.store.pool.read { try String.fetchOne($0, sql: "SELECT sql FROM sqlite_master WHERE name = ?", arguments: [name]) } ?? "" }
        let dedupe = try sql("dedupe_key"), byRequestIndex = try sql("report_request")
        #expect(dedupe.hasSuffix("WITHOUT ROWID"), "\(dedupe)")
        #expect(try t.store.pool.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM sqlite_master WHERE tbl_name = 'dedupe_key'") } == 1,
                "no index of its own beside the table")
        #expect(byRequestIndex.hasSuffix("WHERE request_id IS NOT NULL"), "\(byRequestIndex)")
        let byRequest = "SELECT id FROM report WHERE kind = ? AND request_id IN (SELECT request_id FROM request_key WHERE key IN (?))"
        let plan = try t.store.pool.read { db in
            try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + byRequest, arguments: ["DiagnosticReport", "k"]).map { $0["detail"] as String }
        }
        #expect(plan.contains("SEARCH report USING INDEX report_request (request_id=?)"), "\(plan)")
    }
}
