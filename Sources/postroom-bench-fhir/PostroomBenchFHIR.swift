import Foundation
import PostroomCore

@main enum PostroomBenchFHIR {
    static func main() {
        for path in CommandLine.arguments.dropFirst() {
            guard let data = FileManager.default.contents(atPath: path) else { continue }
            let name = (path as NSString).lastPathComponent
            let drop = Decoder.decode(Array(data), accepting: [.fhir])
            print("== \(name): drop issues \(drop.issues.map { $0.code })")
            for m in drop.messages {
                print("  type=\(m.type) dedupe=\(m.dedupeKeys) answer=\(m.answer)")
                print("  issues: \(m.issues.map { "\($0.code)@\($0.location ?? "")" }.prefix(6))")
                if let p = m.patient { print("  patient nhs=\(p.nhsNumber ?? "-") keys=\(p.keys.sorted())") }
                for r in m.requests { print("  REQ \(r.event) referral=\(r.isReferral) keys=\(r.keys) e=\(r.entryIndex ?? -1)") }
                for r in m.reports { print("  REP \(r.kind) \(r.status) id=\(r.identity) req=\(r.requestKeys) obs=\(r.observations.count) repl=\(r.replaces ?? "-")") }
                for t in m.tasks { print("  TASK \(t.status) keys=\(t.keys) focus=\(t.focusKeys) partOf=\(t.partOfKeys) owner=\(t.ownerODS ?? "-") req=\(t.requesterODS ?? "-")") }
                if let b = m.fhirBatch { print("  BATCH \(b.kind) entries=\(b.entries.map { "\($0.method) \($0.url) \($0.issues.count) \($0.conditionalReferences.count)" })") }
            }
        }
    }
}
