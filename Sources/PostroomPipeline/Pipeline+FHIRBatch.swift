import Foundation
import PostroomCore
import PostroomStore

extension Pipeline {
    /// Applies a FHIR `transaction` (all or nothing) or `batch` (entry by entry) Bundle and
    /// returns a result carrying one entry result per request entry, in order (DOMAIN.md §4.6).
    /// Conditional references (`Task?identifier=…`) must match exactly one stored resource.
    func applyFHIRBatch(_ m: InboundMessage, _ batch: FHIRBatchContext, applier: Applier) throws -> MessageResult {
        let locations = EntryLocations()
        var applier = applier
        applier.locations = locations
        let unresolved = try conditionalReferenceIssues(batch, reader: applier.reader)
        switch batch.kind {
        case .transaction:
            let issues = m.issues + unresolved.values.flatMap { $0 }
            if issues.hasErrors {
                return MessageResult(disposition: .rejected, issues: issues)
            }
            var result = MessageResult(disposition: .rejected, issues: [])
            try applier.writer.savepoint({
                result = try applier.apply(m)
                if result.disposition == .rejected { throw RollbackSavepoint() }
                if let unstored = Self.unstoredEntries(batch.entries, locations), !unstored.isEmpty {
                    // Never a success answer for something not kept: the whole transaction is refused.
                    result = MessageResult(disposition: .rejected, issues: unstored)
                    throw RollbackSavepoint()
                }
            }, onRollback: {})
            guard result.disposition != .rejected else { return result }
            result.entryResults = batch.entries.map { .success(method: $0.method, location: locations.byEntry[$0.index]) }
            return result
        case .batch:
            return try applyBatchEntries(m, batch, unresolved: unresolved, applier: applier, locations: locations)
        }
    }

    /// A `batch` Bundle: each entry applied on its own in a savepoint; the message held when one entry is,
    /// rejected when none applied.
    func applyBatchEntries(_ m: InboundMessage, _ batch: FHIRBatchContext, unresolved: [Int: [Issue]], applier: Applier,
                           locations: EntryLocations) throws -> MessageResult {
        var entryResults: [FHIRBundleEntryResult] = []
        var issues: [Issue] = batch.bundleIssues
        var anyApplied = false
        var held = false
        for entry in batch.entries {
            let entryIssues = entry.issues + (unresolved[entry.index] ?? [])
            if entryIssues.hasErrors || batch.bundleIssues.hasErrors {
                entryResults.append(.failure(entryIssues.isEmpty ? batch.bundleIssues : entryIssues))
                continue
            }
            var sub = m
            sub.issues = entryIssues
            sub.requests = m.requests.filter { $0.entryIndex == entry.index }
            sub.reports = m.reports.filter { $0.entryIndex == entry.index }
            sub.tasks = m.tasks.filter { $0.entryIndex == entry.index }
            sub.otherResources = m.otherResources.filter { $0.entryIndex == entry.index }
            var r = MessageResult(disposition: .rejected, issues: [])
            let entryLog = RoutingLog()
            var entryApplier = applier
            entryApplier.routing = entryLog
            try applier.writer.savepoint({
                r = try entryApplier.apply(sub)
                if r.disposition == .rejected { throw RollbackSavepoint() }
            }, onRollback: {})
            if r.disposition != .rejected { applier.routing.files += entryLog.files }
            if r.disposition == .rejected {
                entryResults.append(.failure(r.issues, code: r.issues.contains { $0.type == "not-found" } ? 404 : 422))
            } else if let unstored = Self.unstoredEntries([entry], locations), !unstored.isEmpty {
                entryResults.append(.failure(unstored, code: 422))
            } else {
                anyApplied = true
                held = held || r.disposition == .held
                entryResults.append(.success(method: entry.method, location: locations.byEntry[entry.index]))
            }
            issues += r.issues.map { i in
                var i = i
                if i.location == nil { i.location = "Bundle.entry[\(entry.index)]" }
                return i
            }
        }
        let disposition: MessageResult.Disposition = anyApplied ? (held ? .held : .accepted) : .rejected
        return MessageResult(disposition: disposition, issues: issues, entryResults: entryResults)
    }

    /// Entries that carried a resource but left nothing stored (a MessageHeader has nothing to store).
    static func unstoredEntries(_ entries: [FHIRBatchContext.Entry], _ locations: EntryLocations) -> [Issue]? {
        entries.filter { e in
            guard let type = e.resourceType, type != "MessageHeader", ["POST", "PUT"].contains(e.method) else { return false }
            return locations.byEntry[e.index] == nil
        }.map { .error(.entryNotStored, type: "not-supported", at: "Bundle.entry[\($0.index)]",
                       "Postroom does not keep this entry's resource, so it is refused rather than answered as created") }
    }

    /// For each entry, issues about conditional references that match no stored resource or several.
    func conditionalReferenceIssues(_ batch: FHIRBatchContext, reader: StoreReader) throws -> [Int: [Issue]] {
        var out: [Int: [Issue]] = [:]
        for entry in batch.entries {
            for use in entry.conditionalReferences {
                let keys = use.reference.identifierKeys
                var matches = Set(try reader.requestMatches(keys: keys).map { "ServiceRequest/" + $0.request.id })
                if let t = try reader.task(keys: keys) { matches.insert("Task/" + t.id) }
                if matches.count == 1 { continue }
                let issue: Issue = matches.isEmpty
                    ? .error(.conditionalReferenceUnresolved, type: "not-found", at: use.location,
                             "The conditional reference matches no stored resource")
                    : .error(.conditionalReferenceAmbiguous, type: "multiple-matches", at: use.location,
                             "The conditional reference matches \(matches.count) stored resources")
                out[entry.index, default: []].append(issue)
            }
        }
        return out
    }
}
