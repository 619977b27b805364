import ArgumentParser
import Foundation
import PostroomCore
import PostroomPipeline
import PostroomStore

/// `postroom show <id>`: one drop or message with its issues, links, Task history and where its file is.
struct Show: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Show a drop (or message): issues, links, Task history, where the file is.")

    @Argument(help: "A drop id, or a message id (<drop id>.<n>).")
    var id: String

    @OptionGroup var options: ConfigOption

    func run() throws {
        let config = try options.load()
        let store = try Store(path: config.database, readOnly: true)
        let dropID = id.split(separator: ".").first.map(String.init) ?? id
        guard let drop = try store.read({ try $0.drop(id: dropID) }) else {
            printError("postroom: no drop or message \(id)")
            throw ExitCode(Postroom.Exit.dataError)
        }
        print("Drop \(drop.id)  channel \(drop.channel)  file \(drop.name)")
        print("  received \(drop.receivedAt)  \(drop.size) bytes  sha256 \(drop.sha256)")
        print("  outcome \(drop.outcome?.rawValue ?? drop.state.rawValue)" + (drop.duplicateOf.map { "  duplicate of \($0)" } ?? ""))
        if let a = drop.archivePath { print("  original: \(SummaryText.relative(a)) member \(drop.archiveMember ?? "")") }
        if let e = drop.errorPath { print("  original: \(SummaryText.relative(e)) (reason in \(SummaryText.relative(e)).error.json)") }
        if let ack = drop.ackName, let ch = config.channel(named: drop.channel) {
            print("  acknowledgement: \(SummaryText.relative(ch.outbox + "/" + ack))")
        }
        for i in drop.issues { print("  issue: \(IssueText.line(i))") }
        let messages = try store.read { try $0.messages(dropID: drop.id) }
        for m in messages where m.id == id || id == drop.id {
            print("\nMessage \(m.id)  \(m.type)  \(m.disposition.rawValue)" + (m.duplicateOf.map { " (duplicate of \($0))" } ?? ""))
            for i in m.issues { print("  issue: \(IssueText.line(i))") }
            let (requests, reports, history) = try store.read { r in
                (try r.requests(messageID: m.id), try r.reports(messageID: m.id), try r.taskHistory(messageID: m.id))
            }
            for rq in requests {
                print("  request ServiceRequest/\(rq.id) status \(rq.status)" + (rq.isReferral ? " (referral)" : ""))
                for t in try store.read({ try $0.tasks(focusRequestID: rq.id) }) { try printTask(t, store: store) }
            }
            for rp in reports {
                let link = rp.requestID.map { "linked to ServiceRequest/\($0)" } ?? rp.state
                print("  report \(rp.kind)/\(rp.id) status \(rp.status) version \(rp.version): \(link)")
                if let s = rp.supersededBy { print("    superseded by \(rp.kind)/\(s)") }
                if let r = rp.replaces { print("    replaces \(r)") }
                if let rid = rp.requestID { for t in try store.read({ try $0.tasks(focusRequestID: rid) }) { try printTask(t, store: store) } }
            }
            for h in history {
                print("  task transition Task/\(h.taskID): \(h.from ?? "(new)") → \(h.to)  (\(h.reason))")
            }
        }
    }

    func printTask(_ t: TaskRecord, store: Store) throws {
        print("    Task/\(t.id) status \(t.status.rawValue)")
        for h in try store.read({ try $0.taskHistory(taskID: t.id) }) {
            print("      \(h.at)  \(h.from ?? "(new)") → \(h.to)  by message \(h.messageID ?? "-")  (\(h.reason))")
        }
    }
}

enum IssueText {
    static func line(_ i: Issue) -> String {
        "\(i.severity.rawValue) \(i.code)" + (i.location.map { " at \($0)" } ?? "") + ": \(i.text)"
    }
}
