import Foundation
import Logging
import PostroomCore

/// A swift-log handler that writes one JSON object per line to standard error.
///
/// Postroom logs ids, hashes, codes and counts only, never names, NHS numbers or content.
public struct JSONLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level = .info
    let label: String

    public init(label: String) { self.label = label }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var o = JSONObject([
            "ts": .string(StoreTimeText.now()),
            "level": .string(event.level.rawValue),
            "msg": .string(event.message.description),
        ])
        for (k, v) in metadata.merging(event.metadata ?? [:], uniquingKeysWith: { $1 }).sorted(by: { $0.key < $1.key }) {
            o[k] = Self.json(v)
        }
        var line = JSONWriter().bytes(.object(o))
        line.append(0x0A)
        line.withUnsafeBytes { _ = write(2, $0.baseAddress, $0.count) }
    }

    static func json(_ v: Logger.MetadataValue) -> JSONValue {
        switch v {
        case .string(let s): .string(s)
        case .stringConvertible(let c): .string(c.description)
        case .array(let a): .array(a.map(json))
        case .dictionary(let d): .object(JSONObject(d.sorted { $0.key < $1.key }.map { JSONObject.Member($0.key, json($0.value)) }))
        }
    }
}

import PostroomStore

enum StoreTimeText {
    static func now() -> String { StoreTime.string(Date()) }
}
