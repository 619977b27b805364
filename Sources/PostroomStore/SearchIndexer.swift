import Foundation
import PostroomCore

/// Computes the FHIR search index rows of a resource from its parsed JSON (no re-parsing in SQLite).
///
/// One row per search parameter value: identifier, status, subject, subject:identifier, authored,
/// focus, part-of, owner:identifier, requester:identifier, modified, based-on, result, related —
/// and, for a DiagnosticReport, `based-on` rows for the Observations it lists as results (they are
/// based on what the report is based on). Dates become UTC periods `[lo, hi)` so partial dates compare.
enum SearchIndexer {
    struct Row: Equatable {
        var type: String
        var id: String
        var name: String
        var system: String?
        var value: String?
        var lo: String?
        var hi: String?
    }

    static let subjectTypes: Set<String> = ["ServiceRequest", "DiagnosticReport", "Observation", "DocumentReference"]
    /// Types with rows that another resource's JSON produced (`based-on` of the Observations a
    /// DiagnosticReport lists): such a row may name a resource that was never stored.
    static let producedByOthers: Set<String> = ["Observation"]

    static func rows(type: String, id: String, resource r: JSONValue) -> [Row] {
        guard SearchIndex.types.contains(type) else { return [] }
        var out: [Row] = []
        func token(_ name: String, _ v: JSONValue?) {
            for e in each(v) {
                guard let value = e["value"]?.string else { continue }
                out.append(Row(type: type, id: id, name: name, system: e["system"]?.string, value: value))
            }
        }
        func reference(_ name: String, _ v: JSONValue?) {
            for e in each(v) {
                guard let ref = e["reference"]?.string else { continue }
                out.append(Row(type: type, id: id, name: name, value: ref))
            }
        }
        func date(_ name: String, _ v: JSONValue?) {
            guard let text = v?.string else { return }
            let p = period(text)
            out.append(Row(type: type, id: id, name: name, value: text, lo: p?.lo, hi: p?.hi))
        }
        // Only what `postroom serve` searches (each row costs a write on every resource stored).
        if type == "ServiceRequest" || type == "Patient" || type == "Appointment" { token("identifier", r["identifier"]) }
        if type == "ServiceRequest" || type == "Task" || type == "DiagnosticReport" || type == "Appointment", let s = r["status"]?.string {
            out.append(Row(type: type, id: id, name: "status", value: s))
        }
        if subjectTypes.contains(type) {
            reference("subject", r["subject"])
            token("subject:identifier", r["subject"]?["identifier"])
        }
        switch type {
        case "ServiceRequest":
            date("authored", r["authoredOn"])
        case "Task":
            reference("focus", r["focus"])
            reference("part-of", r["partOf"])
            token("owner:identifier", r["owner"]?["identifier"])
            token("requester:identifier", r["requester"]?["identifier"])
            date("modified", r["lastModified"])
        case "DiagnosticReport":
            reference("based-on", r["basedOn"])
            reference("result", r["result"])
            if let results = r["result"]?.array, let basedOn = r["basedOn"]?.array {
                for o in results {
                    guard let ref = o["reference"]?.string, ref.hasPrefix("Observation/"), ref.count > 12 else { continue }
                    for b in basedOn {
                        guard let target = b["reference"]?.string else { continue }
                        out.append(Row(type: "Observation", id: String(ref.dropFirst(12)), name: "based-on", value: target))
                    }
                }
            }
        case "Observation":
            reference("based-on", r["basedOn"])
        case "DocumentReference":
            reference("related", r["context"]?["related"])
        case "Appointment":
            reference("based-on", r["basedOn"])
        default:
            break
        }
        return out
    }

    /// A single element or the elements of a repeating one.
    static func each(_ v: JSONValue?) -> [JSONValue] {
        guard let v else { return [] }
        if case .array(let a) = v { return a }
        if case .null = v { return [] }
        return [v]
    }

    /// `[lo, hi)` of a FHIR date, dateTime or instant as sortable UTC text, or nil when it is not one.
    static func period(_ text: String) -> (lo: String, hi: String)? {
        let c = Array(text.utf8)
        func num(_ from: Int, _ count: Int) -> Int? {
            guard from + count <= c.count else { return nil }
            var n = 0
            for i in from..<(from + count) {
                guard c[i] >= 48 && c[i] <= 57 else { return nil }
                n = n * 10 + Int(c[i] - 48)
            }
            return n
        }
        guard let year = num(0, 4) else { return nil }
        switch c.count {
        case 4:
            return (utc(days(year, 1, 1) * 86_400_000), utc(days(year + 1, 1, 1) * 86_400_000))
        case 7:
            guard c[4] == 45, let month = num(5, 2), (1...12).contains(month) else { return nil }
            let next = month == 12 ? (year + 1, 1) : (year, month + 1)
            return (utc(days(year, month, 1) * 86_400_000), utc(days(next.0, next.1, 1) * 86_400_000))
        default:
            guard c.count >= 10, c[4] == 45, c[7] == 45, let month = num(5, 2), let day = num(8, 2),
                  (1...12).contains(month), (1...31).contains(day) else { return nil }
            let start = days(year, month, day) * 86_400_000
            if c.count == 10 { return (utc(start), utc(start + 86_400_000)) }
            guard c[10] == 84 || c[10] == 32, let hh = num(11, 2), c.count > 13, c[13] == 58, let mm = num(14, 2) else { return nil }
            var i = 16
            var ss = 0, ms = 0, fractional = false
            if i < c.count, c[i] == 58 {
                guard let s = num(i + 1, 2) else { return nil }
                ss = s
                i += 3
                if i < c.count, c[i] == 46 {
                    fractional = true
                    i += 1
                    var digits = 0
                    while i < c.count, c[i] >= 48 && c[i] <= 57 {
                        if digits < 3 { ms = ms * 10 + Int(c[i] - 48) }
                        digits += 1
                        i += 1
                    }
                    guard digits > 0 else { return nil }
                    for _ in digits..<3 where digits < 3 { ms *= 10 }
                }
            }
            var offset = 0
            if i < c.count {
                if c[i] == 90, i == c.count - 1 {
                    offset = 0
                } else if c[i] == 43 || c[i] == 45, let oh = num(i + 1, 2), i + 3 < c.count, c[i + 3] == 58, let om = num(i + 4, 2),
                          i + 6 == c.count {
                    offset = (c[i] == 43 ? 1 : -1) * (oh * 60 + om) * 60_000
                } else {
                    return nil
                }
            }
            let lo = start + ((hh * 60 + mm) * 60 + ss) * 1000 + ms - offset
            return (utc(lo), utc(lo + (fractional ? 1 : 1000)))
        }
    }

    /// Days since 1970-01-01 of a civil date (proleptic Gregorian).
    static func days(_ y: Int, _ m: Int, _ d: Int) -> Int { CivilDate.days(year: y, month: m, day: d) }

    /// `YYYY-MM-DDThh:mm:ss.sssZ` of milliseconds since the epoch.
    static func utc(_ ms: Int) -> String {
        let day = ms >= 0 ? ms / 86_400_000 : (ms - 86_399_999) / 86_400_000
        let rest = ms - day * 86_400_000
        let (y, m, d) = CivilDate.date(days: day)
        let s = rest / 1000, msec = rest % 1000
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", y, m, d, s / 3600, (s / 60) % 60, s % 60, msec)
    }
}
