import PostgresNIO

/// The named prepared statements of one session (one connection): the server parses and plans each
/// `.cached` text once per connection instead of once per call.
///
/// A statement is named by its text and the types of its arguments (a NULL argument is sent untyped,
/// so the server takes the column's type, and a later non-NULL argument must not meet a statement
/// prepared for another type): `p1`, `p2`… in the order first used. PostgresNIO prepares a name the
/// first time it is executed on the connection and remembers it — also when the preparation failed
/// (a text run first in a transaction already aborted, a table not there yet). So a name whose
/// preparation may have failed, or whose statement the server no longer has or can no longer run as
/// prepared (`26000`, `0A000` "cached plan must not change result type" after a schema change), is
/// dropped, and the text is prepared again under a new name the next time.
struct PreparedStatements {
    /// The store's text (SQLite's dialect, as the store writes it) and its arguments' types.
    struct Key: Hashable {
        let text: String
        let types: [UInt8]
    }

    struct Entry {
        let name: String
        /// The text in PostgreSQL's dialect.
        let sql: String
        var ready: Bool
    }

    private var entries: [Key: Entry] = [:]
    private var count = 0

    /// The entry to run `key` under (a new name when it has none yet; `translate` gives the text in
    /// PostgreSQL's dialect, kept with it).
    mutating func entry(for key: Key, translate: (String) -> String) -> Entry {
        if let entry = entries[key] { return entry }
        count += 1
        let entry = Entry(name: "p\(count)", sql: Self.countingChanges(translate(key.text)), ready: false)
        entries[key] = entry
        return entry
    }

    /// The text, with `RETURNING 1` added to an INSERT, UPDATE or DELETE that has no RETURNING: its
    /// rows then count the rows it changed. (PostgresNIO gives a prepared statement's rows or its
    /// command tag, and in this version reading the tag alone fails on a statement that sends rows; so
    /// every prepared statement is run for its rows.) A RETURNING inside a quoted literal only leaves
    /// the count at 0, as for a SELECT.
    static func countingChanges(_ sql: String) -> String {
        var text = Substring(sql)
        while let last = text.last, last.isWhitespace || last == ";" { text = text.dropLast() }
        let start = text.drop(while: { $0.isWhitespace || $0 == "(" }).prefix(7).uppercased()
        guard start.hasPrefix("INSERT") || start.hasPrefix("UPDATE") || start.hasPrefix("DELETE"),
              !text.uppercased().contains("RETURNING") else { return sql }
        return text + " RETURNING 1"
    }

    /// The statement ran: it is prepared on the connection.
    mutating func succeeded(_ key: Key) {
        if entries[key]?.ready == false { entries[key]?.ready = true }
    }

    /// The statement failed: forget its name when the preparation may be what failed, or when the
    /// server cannot run the prepared statement any more.
    mutating func failed(_ key: Key, sqlState: String?) {
        guard let entry = entries[key] else { return }
        if !entry.ready || sqlState == "26000" || sqlState == "0A000" { entries[key] = nil }
    }

    /// How many texts (with their argument types) have a name on this connection.
    var names: Int { entries.count }
}
