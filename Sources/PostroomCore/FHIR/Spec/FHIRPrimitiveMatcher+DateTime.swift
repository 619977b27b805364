extension FHIRPrimitiveMatcher {
    /// Matches `date`, `dateTime` and `instant`: a year (not 0000), optional month and day
    /// (a real calendar day), then for date-times `T`, a time with seconds and a time zone.
    func dateTime(allowTime: Bool, requireTime: Bool) -> String? {
        let what = requireTime ? "an instant (YYYY-MM-DDThh:mm:ss with a time zone)"
            : allowTime ? "a dateTime (YYYY, YYYY-MM, YYYY-MM-DD or YYYY-MM-DDThh:mm:ss with a time zone)"
            : "a date (YYYY, YYYY-MM or YYYY-MM-DD)"
        var i = 0
        guard let year = digits(&i, 4), year > 0 else { return "is not \(what)" }
        if i == bytes.count { return requireTime ? "is not \(what)" : nil }
        guard bytes[i] == UInt8(ascii: "-") else { return "is not \(what)" }
        i += 1
        guard let month = digits(&i, 2), (1...12).contains(month) else { return "is not \(what)" }
        if i == bytes.count { return requireTime ? "is not \(what)" : nil }
        guard bytes[i] == UInt8(ascii: "-") else { return "is not \(what)" }
        i += 1
        guard let day = digits(&i, 2), day >= 1 else { return "is not \(what)" }
        guard day <= CivilDate.daysIn(month: month, year: year) else { return "is not a calendar date" }
        if i == bytes.count { return requireTime ? "is not \(what)" : nil }
        guard allowTime, bytes[i] == UInt8(ascii: "T") else { return "is not \(what)" }
        i += 1
        guard time(&i), timeZone(&i), i == bytes.count else {
            return "is not \(what)"
        }
        return nil
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

    /// `Z` or `±hh:mm` with hh 00–13 (any minutes) or 14:00.
    func timeZone(_ i: inout Int) -> Bool {
        guard i < bytes.count else { return false }
        if bytes[i] == UInt8(ascii: "Z") { i += 1; return true }
        guard bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") else { return false }
        i += 1
        guard let h = digits(&i, 2), i < bytes.count, bytes[i] == UInt8(ascii: ":") else { return false }
        i += 1
        guard let m = digits(&i, 2), m <= 59 else { return false }
        return h <= 13 || (h == 14 && m == 0)
    }
}
