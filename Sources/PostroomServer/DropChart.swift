import Foundation
import PostroomStore

/// An inline SVG chart: drops per hour by outcome over the last 48 hours, stacked bars.
enum DropChart {
    static let outcomes: [(name: String, color: String)] = [
        ("accepted", "#2e7d32"), ("duplicate", "#9e9e9e"), ("partial", "#f9a825"), ("rejected", "#c62828"), ("in-flight", "#1565c0"),
    ]
    static let hours = 48

    /// The hour keys (`YYYY-MM-DDThh`, UTC) of the chart, oldest first, ending with the current hour.
    static func hourKeys(now: Date) -> [String] {
        let top = (now.timeIntervalSince1970 / 3600).rounded(.down) * 3600
        return (0..<hours).reversed().map { String(StoreTime.string(Date(timeIntervalSince1970: top - Double($0) * 3600)).prefix(13)) }
    }

    /// The first instant the chart covers, as stored text (for the query).
    static func since(now: Date) -> String { (hourKeys(now: now).first ?? "") + ":00:00.000Z" }

    /// The SVG for counts per (hour, outcome).
    static func svg(_ rows: [(hour: String, outcome: String, count: Int)], now: Date) -> String {
        let keys = hourKeys(now: now)
        var counts: [String: [String: Int]] = [:]
        for r in rows { counts[r.hour, default: [:]][r.outcome, default: 0] += r.count }
        let maxTotal = max(1, keys.map { counts[$0]?.values.reduce(0, +) ?? 0 }.max() ?? 1)
        let top = niceCeiling(maxTotal)
        let left = 36.0, bar = 14.0, gap = 2.0, height = 150.0, base = 170.0
        let width = left + Double(hours) * (bar + gap) + 10
        let total = rows.reduce(0) { $0 + $1.count }
        var out = """
            <svg xmlns="http://www.w3.org/2000/svg" class="chart" width="\(Int(width))" height="230" viewBox="0 0 \(Int(width)) 230" \
            role="img" aria-label="Drops per hour by outcome, last 48 hours: \(total) drops">
            <title>Drops per hour by outcome, last 48 hours (UTC)</title>
            """
        for i in 0...4 {
            let v = top * i / 4
            let y = base - height * Double(v) / Double(top)
            out += "<line x1=\"\(left - 4)\" y1=\"\(f(y))\" x2=\"\(f(width - 10))\" y2=\"\(f(y))\" stroke=\"#dcdcde\"/>"
            out += "<text x=\"\(left - 6)\" y=\"\(f(y + 4))\" font-size=\"10\" text-anchor=\"end\">\(v)</text>"
        }
        for (i, key) in keys.enumerated() {
            let x = left + Double(i) * (bar + gap)
            var y = base
            for o in outcomes {
                guard let n = counts[key]?[o.name], n > 0 else { continue }
                let h = height * Double(n) / Double(top)
                y -= h
                out += "<rect class=\"bar \(o.name)\" x=\"\(f(x))\" y=\"\(f(y))\" width=\"\(f(bar))\" height=\"\(f(h))\" fill=\"\(o.color)\">"
                out += "<title>\(HTML.escape(key.replacingOccurrences(of: "T", with: " "))):00 UTC: \(n) \(o.name)</title></rect>"
            }
            if key.hasSuffix("T00") || key.hasSuffix("T06") || key.hasSuffix("T12") || key.hasSuffix("T18") {
                let label = key.hasSuffix("T00") ? String(key.dropFirst(5).prefix(5)) : String(key.suffix(2)) + ":00"
                out += "<text x=\"\(f(x + bar / 2))\" y=\"\(f(base + 14))\" font-size=\"10\" text-anchor=\"middle\">\(HTML.escape(label))</text>"
            }
        }
        out += "<line x1=\"\(left - 4)\" y1=\"\(f(base))\" x2=\"\(f(width - 10))\" y2=\"\(f(base))\" stroke=\"#646970\"/>"
        var lx = left
        for o in outcomes {
            out += "<rect x=\"\(f(lx))\" y=\"200\" width=\"10\" height=\"10\" fill=\"\(o.color)\"/>"
            out += "<text x=\"\(f(lx + 14))\" y=\"209\" font-size=\"11\">\(o.name)</text>"
            lx += 90
        }
        return out + "</svg>"
    }

    /// The smallest 4 × (1, 2, 3, 5, 10, 20, 30, 50, ...) at or above `n`, so the four grid steps are round.
    static func niceCeiling(_ n: Int) -> Int {
        var scale = 1
        while true {
            for m in [1, 2, 3, 5] where 4 * m * scale >= n { return 4 * m * scale }
            scale *= 10
        }
    }

    static func f(_ d: Double) -> String { String(format: "%.1f", d) }
}
