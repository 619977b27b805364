import Foundation
import PostroomCore
import PostroomStore

extension Pipeline {
    /// After the keys were re-derived (namespaces added or changed, or an older database), results
    /// held for a request that is already stored — spelt another way before — are linked now, as if
    /// their request had just arrived: patient guard, link, Task moves, the request's message named
    /// as the cause. Held results that still match nothing stay held.
    func relinkHeldAfterRekey() throws {
        guard store.rekeyed else { return }
        let now = StoreTime.string(Date())
        var linked = 0
        try store.write { w in
            for report in try w.reader.reports(state: .held) where report.note == nil {
                let matches = try w.reader.requestMatches(keys: report.requestKeys)
                guard matches.count == 1, let request = matches.first?.request,
                      let channel = config.channel(named: request.channel) else { continue }
                let applier = Applier(writer: w, channel: channel, messageID: request.messageID, now: now, ids: ids, original: [],
                                      taskIdentifierSystem: config.taskIdentifierSystem)
                _ = try applier.linkHeldReports(requestID: request.id, keys: try w.reader.requestKeys(requestID: request.id))
                linked += 1
            }
        }
        if linked > 0 {
            logger.info("held results linked after the identity keys were re-derived", metadata: ["reports": .stringConvertible(linked)])
        }
    }
}
