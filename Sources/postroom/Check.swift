import ArgumentParser
import Foundation
import PostroomConfig
import PostroomCore
import PostroomPipeline
import PostroomPostgres
import PostroomStore

/// `postroom check`: whether every expected file came (`expect`, `maxSilenceHours`), for a
/// monitoring system: exit 0 when all are met (or not yet due), 1 when something was missed.
struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check the channels' expected files: exit 0 when all are met or not yet due, 1 when one was missed.")

    @OptionGroup var options: ReadOptions

    @Option(name: .long, help: "Evaluate as at this instant (ISO 8601, e.g. 2026-03-30T07:30:00Z) instead of now.")
    var at: String?

    func run() throws {
        let config = try options.config.load()
        let list = try ExpectationReading.evaluate(config, at: at)
        if options.json {
            printJSON(Expectations.json(list))
        } else if list.isEmpty {
            print("No expectations configured (channels[].expect, channels[].maxSilenceHours).")
        } else {
            print(Table.render(ExpectationReading.rows(list)))
        }
        if list.contains(where: { $0.state.isMissed }) { throw ExitCode(1) }
    }
}

/// The expectations as the commands read them (with no database yet, nothing has come).
enum ExpectationReading {
    static func evaluate(_ config: PipelineConfig, at: String?) throws -> [ExpectationStatus] {
        var now = Date()
        if let at {
            guard let d = ISO8601DateFormatter().date(from: at) else {
                printError("postroom: --at must be an instant such as 2026-03-30T07:30:00Z")
                throw ExitCode(Postroom.Exit.usage)
            }
            now = d
        }
        guard config.storeExists else {
            return try Expectations.evaluate(config, now: now, count: { _, _, _ in 0 }, last: { _ in nil })
        }
        let store = try config.openStore(readOnly: true)
        return try store.read { try Expectations.evaluate(config, reader: $0, now: now) }
    }

    static func rows(_ list: [ExpectationStatus]) -> [[String]] {
        [["channel", "expectation", "state", "due (UTC)", "received", "last file"]]
            + list.map { [$0.channel, $0.name, $0.state.rawValue, $0.due ?? "", "\($0.count)/\($0.atLeast)", $0.lastFile ?? "never"] }
    }
}
