import Foundation
import PostroomStore

extension Pipeline {
    /// Brings the FHIR view up to date with the view journal (see `ViewJournal` in PostroomStore) at
    /// the end of a run, once every acknowledgement of the run is placed: everything with `view:
    /// afterRun`; with `view: deferred`, what earlier runs left (`before`, the journal's mark at the
    /// run's start), or everything when the run found nothing to do (a watcher's idle time). Logs
    /// counts only.
    func finishView(before mark: Int64, idle: Bool) throws {
        let last: Int64 = config.view == .afterRun || idle ? .max : mark
        guard last > 0 else { return }
        try materialiseView(when: config.view == .afterRun ? "after-run" : idle ? "idle" : "earlier-runs", upTo: last)
    }

    func materialiseView(when: String, upTo last: Int64 = .max) throws {
        checkpoint("view-materialise")
        let started = Date()
        let records = try store.materialiseView(upTo: last, batch: materialiseBatch) { checkpoint("view-batch") }
        guard records > 0 else { return }
        logger.info("view materialised", metadata: [
            "when": .string(when), "records": .stringConvertible(records),
            "seconds": .string(String(format: "%.3f", Date().timeIntervalSince(started))),
        ])
    }

    /// Records per materialisation transaction; debug builds take `POSTROOM_VIEW_BATCH` so that the
    /// crash tests can interrupt a materialisation between two of its transactions.
    var materialiseBatch: Int {
        #if DEBUG
        if let n = ProcessInfo.processInfo.environment["POSTROOM_VIEW_BATCH"].flatMap(Int.init), n > 0 { return n }
        #endif
        return Store.materialiseBatch
    }
}
