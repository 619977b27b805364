import ArgumentParser
import Foundation
import PostroomPipeline
import PostroomStore

/// `postroom run --once`: process what is in the inboxes, then exit.
struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Process what is in the inboxes now, then exit (for cron).")

    @Flag(name: .long, help: "Process once and exit (the only mode of `run`; `postroom watch` keeps polling).")
    var once = false

    @OptionGroup var options: PipelineOptions

    @OptionGroup var node: NodeOption

    func run() throws {
        guard once else {
            printError("postroom: `run` needs --once (use `postroom watch` to keep polling)")
            throw ExitCode(Postroom.Exit.usage)
        }
        let (config, pipeline) = try options.open(before: MemoryPolicy.apply, node: node.options())
        defer { pipeline.close() }
        StartupCode.release()
        let bar = ProgressBar()
        let summary = try pipeline.runOnce { done, total in bar.update(done: done, total: total) }
        bar.finish()
        if options.json {
            print(SummaryText.json(summary, store: pipeline.store))
        } else {
            print(SummaryText.render(summary, config: config, store: pipeline.store))
        }
        if summary.exitCode != 0 { throw ExitCode(summary.exitCode) }
    }
}
