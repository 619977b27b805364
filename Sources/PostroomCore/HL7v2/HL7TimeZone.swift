import Foundation

/// A channel's time zone, applied to v2 times that carry no offset.
public struct HL7TimeZone: Sendable {
    let zone: TimeZone
    /// Offsets already computed, by local hour (zone lookups are slow; times cluster).
    let cache = Cache()

    final class Cache: Sendable {
        let offsets = HL7Locked<[Int: Int]>([:])
    }

    /// The zone of an IANA identifier (Europe/London when unknown).
    public init(identifier: String) {
        zone = TimeZone(identifier: identifier) ?? TimeZone(identifier: "Europe/London") ?? .gmt
    }

    /// The zone's IANA identifier (`init(identifier:)` of it gives this zone again).
    var identifier: String { zone.identifier }

    /// UTC, for values that need no zone.
    static let utc = HL7TimeZone(identifier: "UTC")

    static let registry = HL7Locked<[String: HL7TimeZone]>([:])

    /// A zone shared by every decode that names it, so its offset cache stays warm.
    static func shared(_ identifier: String) -> HL7TimeZone {
        if let z = registry.withLock({ $0[identifier] }) { return z }
        let z = HL7TimeZone(identifier: identifier)
        registry.withLock { r in
            if r.count > 64 { r.removeAll() }
            r[identifier] = z
        }
        return z
    }

    /// The offset from UTC, in minutes, of a local wall-clock time in this zone.
    func offsetMinutes(year: Int, month: Int, day: Int, hour: Int, minute: Int) -> Int {
        let key = ((year * 100 + month) * 100 + day) * 100 + hour
        // Zone transitions happen on the hour or half hour: cache per local half hour.
        let slot = key * 2 + (minute >= 30 ? 1 : 0)
        if let hit = cache.offsets.withLock({ $0[slot] }) { return hit }
        let local = Double(CivilDate.days(year: year, month: month, day: day) * 86_400 + hour * 3600 + minute * 60)
        let first = zone.secondsFromGMT(for: Date(timeIntervalSince1970: local))
        let second = zone.secondsFromGMT(for: Date(timeIntervalSince1970: local - Double(first)))
        let offset = second / 60
        cache.offsets.withLock { offsets in
            if offsets.count > 8192 { offsets.removeAll(keepingCapacity: true) }
            offsets[slot] = offset
        }
        return offset
    }
}
