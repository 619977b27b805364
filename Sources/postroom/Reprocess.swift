import ArgumentParser
import Foundation
import PostroomPipeline
import PostroomStore

/// `postroom reprocess <id>… | --failed | --run <id>`: run drops again after a fix.
struct Reprocess: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run drops again after a fix: from error/ (moved) or from the archive (copied); recorded in the audit table.")

    @Argument(help: "Drop ids to reprocess.")
    var ids: [String] = []

    @Flag(name: .long, help: "Reprocess every rejected drop still in error/.")
    var failed = false

    @Option(name: .customLong("run"), help: "Reprocess every drop of this run.")
    var runID: String?

    @Option(name: .long, help: "Who asks (recorded in the audit table); defaults to $SUDO_USER or $USER.")
    var actor: String?

    @Flag(name: .long, help: "Run every message again, even those applied the first time (by default only what failed runs again).")
    var whole = false

    @Flag(name: .long, help: "Reprocess a drop that was reprocessed before (what any earlier run applied is still not applied again).")
    var again = false

    @OptionGroup var options: PipelineOptions

    func validate() throws {
        if ids.isEmpty && !failed && runID == nil {
            throw ValidationError("name drop ids, or use --failed or --run <id>")
        }
    }

    func run() throws {
        let (config, pipeline) = try options.open()
        defer { pipeline.close() }
        var targets = ids
        if failed || runID != nil {
            let store = pipeline.store
            if failed { targets += try store.read { try $0.failedDrops() }.map(\.id) }
            if let runID { targets += try store.read { try $0.drops(run: runID, limit: 1_000_000) }.filter { $0.parentDrop == nil }.map(\.id) }
        }
        var seen = Set<String>()
        targets = targets.filter { seen.insert($0).inserted }
        guard !targets.isEmpty else {
            print("Nothing to reprocess.")
            return
        }
        let env = ProcessInfo.processInfo.environment
        let who = actor ?? env["SUDO_USER"] ?? env["USER"] ?? "operator"
        let summary = try pipeline.reprocess(dropIDs: targets, actor: who, whole: whole, again: again)
        if options.json {
            print(SummaryText.json(summary, store: pipeline.store))
        } else {
            print(SummaryText.render(summary, config: config, store: pipeline.store))
            for p in summary.problems { print("Not reprocessed: \(p)") }
        }
        if !summary.problems.isEmpty { throw ExitCode(Postroom.Exit.dataError) }
        if summary.exitCode != 0 { throw ExitCode(summary.exitCode) }
    }
}
