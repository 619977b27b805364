import ArgumentParser
import Foundation
import PostroomConfig
import PostroomCore
import PostroomPipeline
import PostroomStore

/// Parses `--since` / `--older-than` values: `90d`, `12h`, `30m`, or a date `2026-11-01`.
enum TimeArgument {
    static func cutoff(_ text: String, now: Date = Date()) -> String? {
        if let last = text.last, let n = Double(text.dropLast()) {
            let seconds: Double? = switch last {
            case "d": n * 86400
            case "h": n * 3600
            case "m": n * 60
            default: nil
            }
            if let seconds { return StoreTime.string(now.addingTimeInterval(-seconds)) }
        }
        if text.count == 10, StoreTime.date(text + "T00:00:00.000Z") != nil { return text + "T00:00:00.000Z" }
        return StoreTime.date(text).map(StoreTime.string)
    }
}

func printJSON(_ v: JSONValue) { print(JSONWriter(pretty: true).string(v), terminator: "") }

/// `postroom messages`: list messages, e.g. the failed ones.
struct Messages: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List messages (newest first), e.g. --state failed.")

    @Option(name: .long, help: "accepted, held, rejected (or failed), duplicate.")
    var state: String?

    @Option(name: .long, help: "Only this channel.")
    var channel: String?

    @Option(name: .long, help: "Only since: 24h, 7d, or a date 2026-11-01.")
    var since: String?

    @Option(name: .long, help: "At most this many.")
    var limit: Int = 200

    @OptionGroup var options: ReadOptions

    func run() throws {
        let store = try options.open().store
        let disposition = state == "failed" ? "rejected" : state
        if let d = disposition, MessageResult.Disposition(rawValue: d) == nil {
            printError("postroom: --state must be accepted, held, rejected, failed or duplicate")
            throw ExitCode(Postroom.Exit.usage)
        }
        var cutoff: String?
        if let since {
            guard let c = TimeArgument.cutoff(since) else {
                printError("postroom: --since must look like 24h, 7d or 2026-11-01")
                throw ExitCode(Postroom.Exit.usage)
            }
            cutoff = c
        }
        let rows = try store.read { try $0.messageListing(disposition: disposition, channel: channel, since: cutoff, limit: limit) }
        if options.json {
            printJSON(.array(rows.map { r in .object(JSONObject([
                "id": .string(r.message.id), "drop": .string(r.message.dropID), "channel": .string(r.channel),
                "file": .string(r.dropName), "receivedAt": .string(r.receivedAt), "type": .string(r.message.type),
                "disposition": .string(r.message.disposition.rawValue), "issues": .array(r.message.issues.map(\.json)),
            ])) }))
            return
        }
        var table = [["message", "received", "channel", "type", "state", "file", "first issue"]]
        for r in rows {
            let first = r.message.issues.first { $0.severity >= .warning }.map { "\($0.code)" } ?? ""
            table.append([r.message.id, r.receivedAt, r.channel, r.message.type, r.message.disposition.rawValue, r.dropName, first])
        }
        print(Table.render(table))
    }
}

/// `postroom requests`: the worklist of requests with their reports and Task status.
struct Requests: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Requests with identifiers, status, linked reports and Task status (--open: still outstanding).")

    @Flag(name: .long, help: "Only requests still outstanding.")
    var open = false

    @Option(name: .long, help: "Only this patient's requests (NHS number).")
    var patient: String?

    @OptionGroup var options: ReadOptions

    /// One link of a request: the report, the key it was found by, when.
    static func link(_ l: (reportID: String, requestID: String, via: String, at: String), reports: [ReportRecord]) -> JSONValue {
        let kind = reports.first { $0.id == l.reportID }?.kind ?? "DiagnosticReport"
        return .object(JSONObject(["report": .string(kind + "/" + l.reportID), "via": .string(l.via), "at": .string(l.at)]))
    }

    func run() throws {
        let store = try options.open().store
        var patientKey: String?
        if let patient {
            guard case .valid(let nhs) = NHSNumber.check(patient) else {
                printError("postroom: --patient must be a valid NHS number")
                throw ExitCode(Postroom.Exit.usage)
            }
            patientKey = "nhs|" + nhs
        }
        let now = Date()
        let rows = try store.read { r in
            try r.requests(openOnly: open, patientKey: patientKey).map { rq in
                (rq, try r.requestKeys(requestID: rq.id), try r.reports(requestID: rq.id), try r.tasks(focusRequestID: rq.id),
                 try r.links(requestID: rq.id))
            }
        }
        let prescriptions = try store.read { try PrescriptionRow.load($0, openOnly: open, patientKey: patientKey) }
        if options.json {
            printJSON(.array(rows.map { rq, keys, reports, tasks, links in .object(JSONObject([
                "id": .string("ServiceRequest/" + rq.id), "status": .string(rq.status), "channel": .string(rq.channel),
                "referral": .bool(rq.isReferral), "created": .string(rq.createdAt), "identifiers": .array(keys.map { .string($0) }),
                "reports": .array(reports.map { .object(JSONObject(["id": .string($0.kind + "/" + $0.id), "status": .string($0.status)])) }),
                "links": .array(links.map { Self.link($0, reports: reports) }),
                "tasks": .array(tasks.map { .object(JSONObject(["id": .string("Task/" + $0.id), "status": .string($0.status.rawValue)])) }),
            ])) } + prescriptions.map(\.json)))
            return
        }
        var table = [["request", "age", "status", "task", "reports", "identifiers"]]
        for (rq, keys, reports, tasks, _) in rows {
            table.append(["ServiceRequest/" + rq.id, Age.text(since: rq.createdAt, now: now), rq.status,
                          tasks.map(\.status.rawValue).joined(separator: ","), reports.map { "\($0.kind)(\($0.status))" }.joined(separator: ","),
                          keys.filter { !$0.hasPrefix("ref|") }.joined(separator: " ")])
        }
        print(Table.render(table))
        if !prescriptions.isEmpty {
            print("")
            print(PrescriptionRow.table(prescriptions, now: now))
        }
    }
}

/// `postroom held`: results waiting for their request.
struct Held: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Results waiting for their request, and for how long (and those parked for a patient mismatch).")

    @OptionGroup var options: ReadOptions

    func run() throws {
        let store = try options.open().store
        let rows = try store.read { r in try r.reports(state: .held) + r.reports(state: .mismatch) }
        let now = Date()
        if options.json {
            printJSON(.array(rows.map { rp in .object(JSONObject([
                "id": .string(rp.kind + "/" + rp.id), "state": .string(rp.state.rawValue), "status": .string(rp.status),
                "received": .string(rp.receivedAt), "ageSeconds": .number(String(Int(Age.seconds(since: rp.receivedAt, now: now)))),
                "waitingFor": .array(rp.requestKeys.map { .string($0) }), "message": .string(rp.messageID),
            ])) }))
            return
        }
        if rows.isEmpty { print("No held results."); return }
        var table = [["report", "state", "age", "waiting for", "message"]]
        for rp in rows {
            table.append([rp.kind + "/" + rp.id, rp.state.rawValue, Age.text(since: rp.receivedAt, now: now),
                          rp.requestKeys.joined(separator: " "), rp.messageID])
        }
        print(Table.render(table))
    }
}

/// `postroom prune --older-than 90d`: remove old archives, error files and intake rows; reclaim space.
struct Prune: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Remove archives, error files and intake records older than a cutoff, then reclaim the space.")

    @Option(name: .long, help: "Age: 90d, 12h, or a date 2026-01-01.")
    var olderThan: String

    @OptionGroup var options: PipelineOptions

    func run() throws {
        guard let cutoff = TimeArgument.cutoff(olderThan) else {
            printError("postroom: --older-than must look like 90d, 12h or 2026-01-01")
            throw ExitCode(Postroom.Exit.usage)
        }
        let pipeline = try options.open().pipeline
        defer { pipeline.close() }
        let result = try pipeline.prune(before: cutoff, actor: ProcessInfo.processInfo.environment["USER"] ?? "operator")
        if options.json {
            printJSON(.object(JSONObject([
                "cutoff": .string(cutoff), "archives": .number("\(result.archives)"), "errorFiles": .number("\(result.errorFiles)"),
                "drops": .number("\(result.rows.drops)"), "messages": .number("\(result.rows.messages)"),
                "runs": .number("\(result.rows.runs)"), "resourceVersions": .number("\(result.rows.resourceVersions)"),
                "outbound": .number("\(result.rows.outbound)"), "reprocessRequests": .number("\(result.rows.reprocessRequests)"),
                "bytesReclaimed": .number("\(result.bytesReclaimed)"),
            ])))
            return
        }
        print("""
            Pruned everything before \(cutoff):
              archives removed: \(result.archives)   error files removed: \(result.errorFiles)
              drops: \(result.rows.drops)   messages: \(result.rows.messages)   runs: \(result.rows.runs)   old resource versions: \(result.rows.resourceVersions)
              sent files: \(result.rows.outbound)   reprocess requests: \(result.rows.reprocessRequests)
              bytes reclaimed: \(result.bytesReclaimed)
            """)
    }
}

enum Age {
    static func seconds(since: String, now: Date) -> Double {
        StoreTime.date(since).map { now.timeIntervalSince($0) } ?? 0
    }

    static func text(since: String, now: Date) -> String {
        let s = Int(seconds(since: since, now: now))
        if s < 120 { return "\(s)s" }
        if s < 7200 { return "\(s / 60)m" }
        if s < 172_800 { return "\(s / 3600)h" }
        return "\(s / 86400)d"
    }
}
