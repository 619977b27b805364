import Foundation
import PostroomStore

/// Minimal HTML building: every piece of text goes through `escape`.
enum HTML {
    /// Escapes text for element content and quoted attribute values.
    static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for c in s.unicodeScalars {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }

    /// A table with a header row; cells are already HTML.
    static func table(_ header: [String], _ rows: [[String]], empty: String = "None.") -> String {
        guard !rows.isEmpty else { return "<p class=\"muted\">\(escape(empty))</p>" }
        var out = "<table><thead><tr>" + header.map { "<th>\(escape($0))</th>" }.joined() + "</tr></thead><tbody>"
        for r in rows { out += "<tr>" + r.map { "<td>\($0)</td>" }.joined() + "</tr>" }
        return out + "</tbody></table>"
    }

    /// A two-column table of labels and values (values already HTML).
    static func facts(_ rows: [(String, String)]) -> String {
        "<table class=\"facts\"><tbody>" + rows.map { "<tr><th>\(escape($0.0))</th><td>\($0.1)</td></tr>" }.joined() + "</tbody></table>"
    }

    /// A link with escaped target and text.
    static func link(_ href: String, _ text: String) -> String {
        "<a href=\"\(escape(href))\">\(escape(text))</a>"
    }

    /// A status pill (class from a fixed set, text escaped).
    static func pill(_ text: String) -> String {
        let cls: String
        switch text {
        case "accepted", "completed", "linked", "finished", "done", "final", "met", "alive": cls = "ok"
        case "rejected", "failed", "mismatch", "crashed", "refused", "cancelled", "entered-in-error", "error", "fatal", "missed": cls = "bad"
        case "partial", "held", "pending", "on-hold", "running", "in-flight", "warning", "late", "silent": cls = "warn"
        default: cls = "info"
        }
        return "<span class=\"pill \(cls)\">\(escape(text))</span>"
    }

    /// How long ago a stored time was, in words (`3 h 12 min`).
    static func age(_ stored: String, now: Date) -> String {
        guard let d = StoreTime.date(stored) else { return "?" }
        let s = max(0, Int(now.timeIntervalSince(d)))
        if s < 60 { return "\(s) s" }
        if s < 3600 { return "\(s / 60) min" }
        if s < 86400 { return "\(s / 3600) h \((s % 3600) / 60) min" }
        return "\(s / 86400) d \((s % 86400) / 3600) h"
    }

    /// A stored UTC time shown to the second (`2026-11-20 09:30:00 UTC`).
    static func time(_ stored: String?) -> String {
        guard let stored else { return "" }
        return escape(stored.prefix(19).replacingOccurrences(of: "T", with: " ") + " UTC")
    }

    static let style = """
        body{font-family:system-ui,sans-serif;margin:0;color:#1d2327;background:#f6f7f7}
        header{background:#005eb8;color:#fff;padding:.6rem 1.2rem;display:flex;gap:1.2rem;align-items:center;flex-wrap:wrap}
        header a{color:#fff;text-decoration:none;font-weight:600}header .brand{font-size:1.15rem;margin-right:1rem}
        header form{margin-left:auto}main{padding:1rem 1.2rem;max-width:1200px}
        table{border-collapse:collapse;background:#fff;margin:.5rem 0 1.2rem;width:100%}
        th,td{border:1px solid #dcdcde;padding:.3rem .5rem;text-align:left;vertical-align:top;font-size:.9rem}
        th{background:#f0f0f1}.muted{color:#646970}.pill{border-radius:.6rem;padding:0 .45rem;font-size:.8rem;white-space:nowrap}
        .ok{background:#d1e7dd}.bad{background:#f8d7da}.warn{background:#fff3cd}.info{background:#e2e3e5}
        .board{display:flex;gap:.6rem;overflow-x:auto}.column{flex:1 1 0;background:#fff;border:1px solid #dcdcde;min-width:11rem;padding:.4rem}
        .facts th{width:10rem;background:#f6f7f7}
        .card{border:1px solid #dcdcde;border-radius:.3rem;padding:.3rem;margin:.3rem 0;font-size:.85rem;background:#fafafa}
        .notice{background:#d1e7dd;border:1px solid #0f5132;padding:.6rem;margin:.5rem 0}
        .error{background:#f8d7da;border:1px solid #842029;padding:.6rem;margin:.5rem 0}
        button{cursor:pointer}code{font-size:.85rem}
        """

    /// A whole page with the navigation; `body` is already HTML.
    ///
    /// - Parameter signOut: the CSRF token for the sign-out button (nil: no button, e.g. anonymous or bearer access).
    static func page(title: String, body: String, signOut: String?) -> String {
        let logout = signOut.map {
            "<form method=\"post\" action=\"/ui/logout\"><input type=\"hidden\" name=\"csrf\" value=\"\(escape($0))\"><button>Sign out</button></form>"
        } ?? ""
        return """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(escape(title)) · Postroom</title><style>\(style)</style></head>
            <body><header><span class="brand">Postroom</span>
            <a href="/ui">Overview</a><a href="/ui/failed">Failed drops</a><a href="/ui/held">Held &amp; outstanding</a>
            <a href="/ui/tasks">Tasks</a><a href="/metadata">FHIR API</a>\(logout)</header>
            <main><h1>\(escape(title))</h1>
            \(body)
            </main></body></html>
            """
    }
}
