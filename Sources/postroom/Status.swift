import ArgumentParser
import Foundation
import PostroomConfig
import PostroomCore
import PostroomPipeline
import PostroomPostgres
import PostroomStore

/// `postroom status`: counts by channel and outcome, held results, Tasks by status, last runs.
struct Status: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Counts by channel and outcome, held results, Tasks by status, last runs.")

    @OptionGroup var options: ReadOptions

    @Option(name: .long, help: "Evaluate the expected files as at this instant (ISO 8601) instead of now.")
    var at: String?

    func run() throws {
        let config = try options.config.load()
        guard config.storeExists else {
            print("No database yet at \(SummaryText.relative(config.database)): nothing has run.")
            return
        }
        let store = try config.openStore(readOnly: true)
        let expectations = try ExpectationReading.evaluate(config, at: at)
        let (drops, reports, tasks, runs) = try store.read { r in
            (try r.dropCounts(), try r.reportCounts(), try r.taskCounts(), try r.runs(limit: 5))
        }
        // Records waiting in the view journal (nil: a database no run of this version has opened yet).
        let viewPending = try? store.read { try $0.pendingViewRecords() }
        let nodeReport = try NodeReport.read(config)
        if options.json {
            let o = JSONObject([
                "drops": .array(drops.map { .object(JSONObject(["channel": .string($0.channel), "outcome": .string($0.outcome), "count": .number("\($0.count)")])) }),
                "reports": .object(JSONObject(reports.map { JSONObject.Member($0.state, .number("\($0.count)")) })),
                "tasks": .object(JSONObject(tasks.map { JSONObject.Member($0.status, .number("\($0.count)")) })),
                "runs": .array(runs.map { r in .object(JSONObject([
                    "id": .string(r.id), "startedAt": .string(r.startedAt), "finishedAt": r.finishedAt.map { .string($0) } ?? .null,
                    "status": .string(r.status), "accepted": .number("\(r.accepted)"), "rejected": .number("\(r.rejected)"),
                    "duplicates": .number("\(r.duplicates)"), "held": .number("\(r.held)"),
                ])) }),
                "expectations": Expectations.json(expectations),
                "viewPendingRecords": viewPending.map { .number("\($0)") } ?? .null,
                "nodes": NodeStatusJSON.nodes(nodeReport),
            ])
            print(JSONWriter(pretty: true).string(.object(o)), terminator: "")
            return
        }
        var rows = [["channel", "outcome", "drops"]]
        for d in drops { rows.append([d.channel, d.outcome, "\(d.count)"]) }
        print("Drops\n" + Table.render(rows))
        print("\nReports: " + (reports.isEmpty ? "none" : reports.map { "\($0.state) \($0.count)" }.joined(separator: ", ")))
        let held = try store.read { try $0.reports(state: .held) }
        if let oldest = held.first {
            print("Held results: \(held.count), oldest received \(oldest.receivedAt)")
        }
        print("Tasks: " + (tasks.isEmpty ? "none" : tasks.map { "\($0.status) \($0.count)" }.joined(separator: ", ")))
        if let viewPending, viewPending > 0 {
            print("FHIR view: \(viewPending) message record(s) waiting to be materialised (by the next run, or by serve within a second and before its next answer)")
        }
        var runRows = [["run", "started", "status", "accepted", "rejected", "duplicates", "held"]]
        for r in runs { runRows.append([r.id, r.startedAt, r.status, "\(r.accepted)", "\(r.rejected)", "\(r.duplicates)", "\(r.held)"]) }
        print("\nLast runs\n" + Table.render(runRows))
        if let nodeReport { print("\n" + nodeReport.text) }
        if !expectations.isEmpty {
            let missed = expectations.filter { $0.state.isMissed }.count
            print("\nExpected files" + (missed > 0 ? " — \(missed) MISSED" : "") + "\n" + Table.render(ExpectationReading.rows(expectations)))
        }
    }
}
