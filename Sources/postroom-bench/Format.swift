import Foundation

/// Number formatting for the table and the log lines.
enum Format {
    /// `value` with `digits` decimals.
    static func fixed(_ value: Double, _ digits: Int) -> String {
        String(format: "%.\(digits)f", value)
    }

    /// A rate with thousands separators and no decimals (`12,345`), or one decimal below 100.
    static func rate(_ value: Double) -> String {
        guard value.isFinite else { return "-" }
        return value < 100 ? fixed(value, 1) : count(Int(value.rounded()))
    }

    /// A count with thousands separators (`20,000`).
    static func count(_ value: Int) -> String {
        let text = String(value.magnitude)
        var out = value < 0 ? "-" : ""
        for (i, c) in text.enumerated() {
            if i > 0 && (text.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return out
    }

    /// Bytes as megabytes (10^6) with one decimal.
    static func megabytes(_ bytes: Int64) -> String {
        fixed(Double(bytes) / 1e6, 1)
    }

    /// A duration in seconds with two decimals.
    static func seconds(_ d: Duration) -> String {
        fixed(seconds(of: d), 2)
    }

    /// A duration in seconds.
    static func seconds(of d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }
}
