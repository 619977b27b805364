import ArgumentParser
import Foundation
import PostroomCore
import PostroomPipeline

/// `postroom validate <file>…`: a dry run that stores nothing and prints the issues.
struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Check files without storing anything; prints each file's issues.")

    @Argument(help: "Files to check.")
    var files: [String]

    @Option(name: .long, help: "Time zone for timestamps without an offset (default: the channel's, else Europe/London).")
    var timeZone: String?

    @Option(name: .long, help: "Check as this channel of the configuration would: its formats and time zone.")
    var channel: String?

    @Option(name: .long, help: "The pipeline configuration file (read when --channel is given).")
    var config: String = "pipeline.json"

    @Flag(name: .long, help: "Print JSON.")
    var json = false

    /// The formats and decoding options: a channel's own when `--channel` names one.
    func rules() throws -> (formats: Set<PayloadFormat>, options: DecodeOptions) {
        guard let channel else { return (Set(PayloadFormat.allCases), DecodeOptions(timeZone: timeZone ?? "Europe/London")) }
        let loaded = try ConfigOption.parse(["--config", config]).load()
        guard let ch = loaded.channel(named: channel) else {
            printError("postroom: no channel named \(channel) in \(config)")
            throw ExitCode(Postroom.Exit.usage)
        }
        return (ch.formats, DecodeOptions(timeZone: timeZone ?? ch.timeZone))
    }

    func run() throws {
        var anyError = false
        var out: [JSONValue] = []
        let (formats, options) = try rules()
        for path in files {
            guard let data = FileManager.default.contents(atPath: path) else {
                printError("postroom: cannot read \(path)")
                anyError = true
                continue
            }
            let drop = Decoder.decode([UInt8](data), accepting: formats, options: options)
            let issues = drop.issues + drop.messages.flatMap(\.issues)
            let ok = !issues.hasErrors && !drop.messages.isEmpty
            anyError = anyError || !ok
            if json {
                out.append(.object(JSONObject([
                    "file": .string(path), "format": drop.format.map { .string($0.rawValue) } ?? .null, "valid": .bool(ok),
                    "messages": .array(drop.messages.map { m in .object(JSONObject([
                        "index": .number("\(m.index)"), "type": .string(m.type), "issues": .array(m.issues.map(\.json)),
                    ])) }),
                    "issues": .array(drop.issues.map(\.json)),
                ])))
            } else {
                print("\(path): \(drop.format?.rawValue ?? "unknown format"), \(drop.messages.count) message(s): \(ok ? "valid" : "INVALID")")
                for i in drop.issues { print("  \(IssueText.line(i))") }
                for m in drop.messages {
                    if drop.messages.count > 1 || !m.issues.isEmpty { print("  message \(m.index) \(m.type)") }
                    for i in m.issues { print("    \(IssueText.line(i))") }
                }
            }
        }
        if json { print(JSONWriter(pretty: true).string(.array(out)), terminator: "") }
        if anyError { throw ExitCode(Postroom.Exit.dataError) }
    }
}
