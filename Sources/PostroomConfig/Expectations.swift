import Foundation
import PostroomCore
import PostroomStore

/// How one expectation of a channel stands: a scheduled file (`expect`) or "no file at all for N hours"
/// (`maxSilenceHours`).
public struct ExpectationStatus: Sendable, Equatable {
    public var channel: String
    public var name: String
    public var state: ExpectationState
    /// When the file is (or was) due today (UTC), for a schedule that applies today.
    public var due: String?
    /// Drops received in time today (schedules), or since the silence limit (silence).
    public var count: Int
    public var atLeast: Int
    /// The channel's last drop (UTC), if any.
    public var lastFile: String?
}

/// Evaluates every channel's expectations against the store at a moment (`status`, `check`,
/// `metrics.prom`, `/metrics`, the operator page and the run's log all use this one evaluation).
public enum Expectations {
    public static func evaluate(_ config: PipelineConfig, reader: StoreReader, now: Date = Date()) throws -> [ExpectationStatus] {
        try evaluate(config, now: now, count: { try reader.dropCount(channel: $0, from: $1, to: $2) }, last: { try reader.lastDrop(channel: $0) })
    }

    /// The evaluation over any source of drop counts (`count(channel, from, to)`, `last(channel)`);
    /// with no database yet, every count is 0.
    public static func evaluate(_ config: PipelineConfig, now: Date, count: (String, String, String) throws -> Int,
                                last lastDrop: (String) throws -> String?) throws -> [ExpectationStatus] {
        var out: [ExpectationStatus] = []
        let nowText = StoreTime.string(now)
        for ch in config.channels where !ch.expectations.isEmpty || ch.maxSilenceHours != nil {
            let last = try lastDrop(ch.name)
            let clock = ExpectationClock(zone: TimeZone(identifier: ch.timeZone) ?? TimeZone(identifier: "UTC")!, holidays: config.holidays)
            for e in ch.expectations {
                let window = clock.window(e, at: now)
                var inTime = 0, afterwards = 0
                if let window {
                    let start = StoreTime.string(window.start), by = StoreTime.string(window.by)
                    inTime = try count(ch.name, start, now < window.by ? nowText + "~" : by)
                    if now >= window.by { afterwards = try count(ch.name, by, nowText + "~") }
                }
                let state = ExpectationClock.state(e, window: window, now: now, inTime: inTime, afterwards: afterwards)
                out.append(ExpectationStatus(channel: ch.name, name: e.name, state: state, due: window.map { StoreTime.string($0.by) },
                                             count: inTime, atLeast: e.atLeast, lastFile: last))
            }
            if let hours = ch.maxSilenceHours {
                let since = StoreTime.string(now.addingTimeInterval(-hours * 3600))
                let recent = try count(ch.name, since, nowText + "~")
                out.append(ExpectationStatus(channel: ch.name, name: silenceName(hours), state: recent > 0 ? .met : .missed, due: nil,
                                             count: recent, atLeast: 1, lastFile: last))
            }
        }
        return out
    }

    /// The name of a channel's silence expectation, e.g. `no file for 6 h`.
    public static func silenceName(_ hours: Double) -> String {
        "no file for \(hours == hours.rounded() ? String(Int(hours)) : String(hours)) h"
    }

    public static func json(_ list: [ExpectationStatus]) -> JSONValue {
        .array(list.map { s in
            .object(JSONObject([
                "channel": .string(s.channel), "name": .string(s.name), "state": .string(s.state.rawValue),
                "missed": .bool(s.state.isMissed), "due": s.due.map { .string($0) } ?? .null, "count": .number(String(s.count)),
                "atLeast": .number(String(s.atLeast)), "lastFile": s.lastFile.map { .string($0) } ?? .null,
            ]))
        })
    }

    /// The gauges `postroom_expectation_missed{channel,name}` (1 missed, 0 otherwise) and
    /// `postroom_channel_last_file_timestamp_seconds{channel}` for every channel that has received a file.
    public static func gauges(_ list: [ExpectationStatus], lastFiles: [(channel: String, at: String)]) -> [MetricsText.Gauge] {
        var out = list.map {
            MetricsText.Gauge(name: "postroom_expectation_missed", help: "1 when an expected file did not come (expect / maxSilenceHours), else 0.",
                              labels: [("channel", $0.channel), ("name", $0.name)], value: $0.state.isMissed ? 1 : 0)
        }
        for (channel, at) in lastFiles {
            guard let date = StoreTime.date(at) else { continue }
            out.append(MetricsText.Gauge(name: "postroom_channel_last_file_timestamp_seconds", help: "When the channel last received a file (Unix time).",
                                         labels: [("channel", channel)], value: date.timeIntervalSince1970.rounded(.down)))
        }
        return out
    }

    /// The expectation gauges of `config` now.
    public static func metricGauges(_ config: PipelineConfig, reader: StoreReader, now: Date = Date()) throws -> [MetricsText.Gauge] {
        let list = try evaluate(config, reader: reader, now: now)
        var lastFiles: [(String, String)] = []
        for ch in config.channels { if let at = try reader.lastDrop(channel: ch.name) { lastFiles.append((ch.name, at)) } }
        return gauges(list, lastFiles: lastFiles)
    }
}
