/// The token-level rewrites of `PostgresDialect.translate`, on the statement's UTF-8 bytes (quoted
/// text is copied unchanged).
extension PostgresDialect {
    static func isWordByte(_ b: UInt8) -> Bool {
        (b >= 0x61 && b <= 0x7A) || (b >= 0x41 && b <= 0x5A) || (b >= 0x30 && b <= 0x39) || b == 0x5F
    }

    static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }

    /// The index just past the quoted text starting at `i` (a `'` or `"`; doubled quotes stay inside).
    static func skipQuoted(_ s: [UInt8], _ i: Int) -> Int {
        let quote = s[i]
        var j = i + 1
        while j < s.count {
            if s[j] == quote {
                if j + 1 < s.count, s[j + 1] == quote { j += 2; continue }
                return j + 1
            }
            j += 1
        }
        return j
    }

    /// Placeholders, `rowid`, `temp.`, `WHERE 1` / `WHERE 0`.
    static func rewriteTokens(_ sql: String) -> String {
        let s = Array(sql.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(s.count + 16)
        var next = 1
        var i = 0
        while i < s.count {
            let b = s[i]
            if b == 0x27 || b == 0x22 {                       // ' or "
                let end = skipQuoted(s, i)
                out += s[i..<end]
                i = end
            } else if b == 0x3F {                             // ?
                var j = i + 1
                while j < s.count, isDigit(s[j]) { j += 1 }
                out.append(0x24)                              // $
                if j > i + 1 { out += s[(i + 1)..<j] } else { out += Array(String(next).utf8); next += 1 }
                i = j
            } else if isWordByte(b), i == 0 || !isWordByte(s[i - 1]) {
                var j = i
                while j < s.count, isWordByte(s[j]) { j += 1 }
                let word = String(decoding: s[i..<j], as: UTF8.self)
                i = rewriteWord(word, s, j, &out)
            } else {
                out.append(b)
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends `word` (which ends at `end`) or its PostgreSQL form; returns where to go on.
    static func rewriteWord(_ word: String, _ s: [UInt8], _ end: Int, _ out: inout [UInt8]) -> Int {
        switch word.lowercased() {
        case "rowid":
            out += Array("seq".utf8)
        case "temp" where end < s.count && s[end] == 0x2E:    // temp.
            out += Array("pg_temp".utf8)
        case "where":
            out += Array(word.utf8)
            var j = end
            while j < s.count, s[j] == 0x20 || s[j] == 0x0A { j += 1 }
            guard j < s.count, s[j] == 0x31 || s[j] == 0x30 else { return end }   // 1 or 0
            var k = j + 1
            while k < s.count, s[k] == 0x20 || s[k] == 0x0A { k += 1 }
            // Only the literal condition `WHERE 1` (then AND …, ORDER …, the end or `)`), not `WHERE 1 = x`.
            guard j + 1 == s.count || !isWordByte(s[j + 1]), k == s.count || isWordByte(s[k]) || s[k] == 0x29 else { return end }
            out += Array((s[j] == 0x31 ? " true" : " false").utf8)
            return j + 1
        default:
            out += Array(word.utf8)
        }
        return end
    }

    /// Words after which a subquery in `FROM (…)` has no alias.
    static let notAnAlias: Set<String> = ["limit", "order", "where", "group", "union", "having", "offset", "except", "intersect",
                                           "join", "left", "inner", "cross", "window", "on"]

    /// `FROM (…)` followed by no alias gets ` AS _s1`, ` AS _s2`…
    static func aliasSubqueries(_ sql: String) -> String {
        var s = Array(sql.utf8)
        var n = 0
        var i = 0
        while i < s.count {
            if s[i] == 0x27 || s[i] == 0x22 { i = skipQuoted(s, i); continue }
            guard isWordByte(s[i]), i == 0 || !isWordByte(s[i - 1]), i + 4 <= s.count,
                  String(decoding: s[i..<(i + 4)], as: UTF8.self).lowercased() == "from" else { i += 1; continue }
            var j = i + 4
            while j < s.count, s[j] == 0x20 || s[j] == 0x0A { j += 1 }
            guard j < s.count, s[j] == 0x28, let close = matchingParen(s, j) else { i += 4; continue }
            var k = close + 1
            while k < s.count, s[k] == 0x20 || s[k] == 0x0A { k += 1 }
            var e = k
            while e < s.count, isWordByte(s[e]) { e += 1 }
            let following = String(decoding: s[k..<e], as: UTF8.self).lowercased()
            if e == k || notAnAlias.contains(following) {
                n += 1
                s.insert(contentsOf: Array(" AS _s\(n)".utf8), at: close + 1)
            }
            i = j + 1
        }
        return String(decoding: s, as: UTF8.self)
    }

    static func matchingParen(_ s: [UInt8], _ open: Int) -> Int? {
        var depth = 0
        var i = open
        while i < s.count {
            switch s[i] {
            case 0x27, 0x22: i = skipQuoted(s, i); continue
            case 0x28: depth += 1
            case 0x29:
                depth -= 1
                if depth == 0 { return i }
            default: break
            }
            i += 1
        }
        return nil
    }
}
