import Foundation

/// The store's SQL, written once for SQLite, in PostgreSQL's dialect (docs/STORE-SEAM.md's
/// checklist). The store's statements follow the seam's rules — `?`/`?N` placeholders, no `?` inside
/// a literal — so a small rewrite covers every difference:
///
/// - `?` → `$1, $2…` in order; `?N` → `$N`;
/// - `INSERT OR IGNORE INTO …` → `INSERT INTO … ON CONFLICT DO NOTHING`;
/// - `INSERT OR REPLACE INTO t (cols) …` → `INSERT INTO t (cols) … ON CONFLICT (t's key) DO UPDATE SET`
///   every other column `= excluded.` column (the keys are in `replaceKeys`);
/// - `WHERE 1` / `WHERE 0` → `WHERE true` / `WHERE false`;
/// - `rowid` → `seq` (the identity column PostgreSQL's tables have where SQLite reads in rowid order);
/// - `temp.` → `pg_temp.`;
/// - a subquery in `FROM (…)` without an alias gets one (PostgreSQL before 16 requires it).
///
/// Text in single or double quotes is copied unchanged.
public enum PostgresDialect {
    /// The conflict target of each table the store writes with `INSERT OR REPLACE`.
    static let replaceKeys: [String: [String]] = [
        "setting": ["name"],
        "view_key": ["type", "id", "version"],
        "dispense_item": ["notification_id", "dispense_id"],
    ]

    public static func translate(_ sql: String) -> String {
        var text = sql
        if let r = text.range(of: "INSERT OR IGNORE INTO ") {
            text.replaceSubrange(r, with: "INSERT INTO ")
            text = trimmedEnd(text) + " ON CONFLICT DO NOTHING"
        } else if let r = text.range(of: "INSERT OR REPLACE INTO ") {
            text.replaceSubrange(r, with: "INSERT INTO ")
            text = trimmedEnd(text) + upsertClause(text)
        }
        return aliasSubqueries(rewriteTokens(text))
    }

    static func trimmedEnd(_ s: String) -> String {
        var s = s
        while let last = s.last, last.isWhitespace || last == ";" { s.removeLast() }
        return s
    }

    /// ` ON CONFLICT (key) DO UPDATE SET c = excluded.c, …` for `INSERT INTO table (columns) …`.
    static func upsertClause(_ insert: String) -> String {
        let afterInto = insert[insert.range(of: "INSERT INTO ")!.upperBound...]
        let table = String(afterInto.prefix { $0.isLetter || $0.isNumber || $0 == "_" })
        guard let keys = replaceKeys[table], let open = afterInto.firstIndex(of: "("), let close = afterInto.firstIndex(of: ")") else {
            preconditionFailure("INSERT OR REPLACE into \(table): its key is not in PostgresDialect.replaceKeys")
        }
        let columns = afterInto[afterInto.index(after: open)..<close].split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        let sets = columns.filter { !keys.contains($0) }.map { "\($0) = excluded.\($0)" }
        if sets.isEmpty { return " ON CONFLICT (\(keys.joined(separator: ", "))) DO NOTHING" }
        return " ON CONFLICT (\(keys.joined(separator: ", "))) DO UPDATE SET \(sets.joined(separator: ", "))"
    }
}
