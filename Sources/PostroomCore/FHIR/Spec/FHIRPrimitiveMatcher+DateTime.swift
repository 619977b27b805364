extension FHIRPrimitiveMatcher {
    /// Matches `date`, `dateTime` and `instant` (read by `FHIRDateTime`): a year (not 0000), optional
    /// month and day (a real calendar day), then for date-times `T`, a time with seconds and a time
    /// zone (`Z`, or ±hh:mm with hh 00–13 and any minutes, or 14:00).
    func dateTime(allowTime: Bool, requireTime: Bool) -> String? {
        let what = requireTime ? "an instant (YYYY-MM-DDThh:mm:ss with a time zone)"
            : allowTime ? "a dateTime (YYYY, YYYY-MM, YYYY-MM-DD or YYYY-MM-DDThh:mm:ss with a time zone)"
            : "a date (YYYY, YYYY-MM or YYYY-MM-DD)"
        let value: FHIRDateTime
        switch FHIRDateTime.parse(bytes: bytes, grammar: .fhir) {
        case .success(let v): value = v
        case .failure(.notACalendarDay): return "is not a calendar date"
        case .failure(.syntax): return "is not \(what)"
        }
        guard value.hour != nil else { return requireTime ? "is not \(what)" : nil }
        guard allowTime, value.second != nil, let offset = value.offsetMinutes else { return "is not \(what)" }
        let zone = abs(offset)
        return zone / 60 <= 13 || zone == 14 * 60 ? nil : "is not \(what)"
    }

    /// Reads exactly `count` digits at `i`.
    func digits(_ i: inout Int, _ count: Int) -> Int? {
        guard i + count <= bytes.count else { return nil }
        var v = 0
        for k in 0..<count {
            let b = bytes[i + k]
            guard Self.isDigit(b) else { return nil }
            v = v * 10 + Int(b - 0x30)
        }
        i += count
        return v
    }

    /// `hh:mm:ss(.f+)?` with hh 00–23, mm 00–59, ss 00–60.
    func time(_ i: inout Int) -> Bool {
        guard let h = digits(&i, 2), h <= 23, i < bytes.count, bytes[i] == UInt8(ascii: ":") else { return false }
        i += 1
        guard let m = digits(&i, 2), m <= 59, i < bytes.count, bytes[i] == UInt8(ascii: ":") else { return false }
        i += 1
        guard let s = digits(&i, 2), s <= 60 else { return false }
        if i < bytes.count, bytes[i] == UInt8(ascii: ".") {
            i += 1
            let start = i
            while i < bytes.count, Self.isDigit(bytes[i]) { i += 1 }
            if i == start { return false }
        }
        return true
    }
}
