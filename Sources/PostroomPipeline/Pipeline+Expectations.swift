import Foundation
import PostroomConfig
import PostroomCore
import PostroomStore

extension Pipeline {
    /// Evaluates the channels' expectations at the end of a run: each miss is logged once (per
    /// channel, expectation and local day, or per silence), and whether any state changed since the
    /// last run is returned (so an idle `watch` rewrites `metrics.prom` only then).
    func noteExpectations(now: Date = Date()) throws -> Bool {
        guard config.channels.contains(where: { !$0.expectations.isEmpty || $0.maxSilenceHours != nil }) else { return false }
        return try store.write { w in
            let list = try Expectations.evaluate(config, reader: w.reader, now: now)
            for s in list where s.state.isMissed {
                let day = s.due.map { String($0.prefix(10)) } ?? "silence|" + (s.lastFile ?? "never")
                let key = "expect-logged|\(s.channel)|\(s.name)|\(day)"
                guard try w.reader.setting(key) == nil else { continue }
                try w.setSetting(key, StoreTime.string(now))
                logger.warning("expected file missing", metadata: [
                    "channel": .string(s.channel), "expectation": .string(s.name), "due": .string(s.due ?? ""),
                    "received": .stringConvertible(s.count), "atLeast": .stringConvertible(s.atLeast), "lastFile": .string(s.lastFile ?? "never"),
                ])
            }
            let states = list.map { "\($0.channel)|\($0.name)|\($0.state.rawValue)" }.joined(separator: "\n")
            guard try w.reader.setting("expect-states") != states else { return false }
            try w.setSetting("expect-states", states)
            return true
        }
    }
}
