import Foundation

extension HL7Timestamp {
    /// The FHIR `date` form (`YYYY`, `YYYY-MM`, `YYYY-MM-DD`).
    public var fhirDate: String { render(offset: nil, zulu: false) }

    /// The v2 mapping's FHIR `dateTime`: a date alone, or a time with an offset (the value's own, or
    /// the channel zone's at that local time, daylight saving included; `Z` when that is UTC).
    public func fhirDateTime(zone: HL7TimeZone) -> String {
        guard let month, let day, let hour else { return fhirDate }
        let offset = offsetMinutes ?? zone.offsetMinutes(year: year, month: month, day: day, hour: hour, minute: minute ?? 0)
        return render(offset: offset, zulu: offsetMinutes == nil && offset == 0)
    }

    /// The CDA mapping's FHIR `instant` (`YYYY-MM-DDThh:mm:ss[.fff]±hh:mm`) when the value is
    /// precise to the hour or better (missing minutes and seconds are written as zero); `zone` (an
    /// IANA name) gives the offset of values that carry none, as for v2 times (`HL7TimeZone`).
    public func fhirInstant(defaultZone zone: String) -> String? {
        guard let month, let day, let hour else { return nil }
        let offset = offsetMinutes ?? localOffset(zone: zone, month: month, day: day, hour: hour)
        return render(offset: offset, zulu: false)
    }

    /// The CDA mapping's FHIR `dateTime`: partial dates stay partial (`2014`, `2014-09`,
    /// `2014-09-01`); times are written as for `fhirInstant`.
    public func fhirDateTime(defaultZone zone: String) -> String {
        fhirInstant(defaultZone: zone) ?? fhirDate
    }

    /// The date, then (with an offset, when the value has an hour) `Thh:mm:ss[.f]` and the offset.
    private func render(offset: Int?, zulu: Bool) -> String {
        String(unsafeUninitializedCapacity: 40) { out in
            var n = 0
            func put(_ b: UInt8) { out[n] = b; n += 1 }
            func put2(_ v: Int) { put(UInt8(0x30 + v / 10 % 10)); put(UInt8(0x30 + v % 10)) }
            put2(year / 100)
            put2(year % 100)
            if let month { put(0x2D); put2(month) }
            if month != nil, let day { put(0x2D); put2(day) }
            guard let offset, let hour else { return n }
            put(0x54)
            put2(hour)
            put(0x3A)
            put2(minute ?? 0)
            put(0x3A)
            put2(second ?? 0)
            if let fraction {
                put(0x2E)
                for b in fraction.utf8.prefix(4) { put(b) }
            }
            if zulu { put(0x5A); return n }
            let a = abs(offset)
            put(offset < 0 ? 0x2D : 0x2B)
            put2(a / 60)
            put(0x3A)
            put2(a % 60)
            return n
        }
    }

    /// The offset of this local time in `zone`, as v2 times are resolved (`HL7TimeZone`): a local time
    /// means the same instant whichever format carried it, in the changeover hours too.
    private func localOffset(zone: String, month: Int, day: Int, hour: Int) -> Int {
        HL7TimeZone.shared(zone).offsetMinutes(year: year, month: month, day: day, hour: hour, minute: minute ?? 0)
    }
}
