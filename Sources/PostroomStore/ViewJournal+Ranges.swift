import Foundation

/// Range keys: one `view_key` row for all the first versions of one type that a record holds under
/// ids Postroom generated (ULIDs), instead of one row each (SQLite only).
///
/// A result message stores a DiagnosticReport and about ten Observations under ids generated in
/// order, one after the other; their per-version keys were most of the message's `view_key` rows.
/// A range key names the record and the ids' span: its `id` is `~` + the highest id + the lowest id
/// (a FHIR id holds no `~`, so range keys sort after every ordinary key of the type), its `version`
/// the number of versions it covers.
///
/// Reads by id look for the id's own key first; an id of the generated shape that has none is looked
/// up in the first range whose highest id is not below it. That answer is exact because the ranges of
/// a type never overlap: a range is written only when its lowest id is above every range key of the
/// type already there (ULIDs only grow within a process; when they do not — a clock set back, another
/// process — the versions get keys of their own as before). The record then says whether it holds the id.
extension ViewJournal {
    /// Fewer versions than this in a record keep their own keys (a range costs a row too).
    static let rangeMinimum = 2

    /// Whether `id` has the shape of an id Postroom generates: a ULID in lower case.
    static func isGeneratedShape(_ id: String) -> Bool {
        id.utf8.count == 26 && id.utf8.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x7A) }
    }

    /// The range key of the span `lo`…`hi`.
    static func rangeKey(lo: String, hi: String) -> String { "~" + hi + lo }

    /// The lowest id of a range key.
    static func rangeLow(_ key: String) -> Substring { key.suffix(26) }

    /// The highest id of a range key.
    static func rangeHigh(_ key: String) -> Substring { key.dropFirst().prefix(26) }

    /// Writes the keys of one record on SQLite: a range key per type for the generated first versions
    /// (where the ranges stay apart), a key of its own for every other version.
    func insertKeys(_ slice: ArraySlice<JournalEntry>, seq: Int64, _ db: any SQLExecutor) throws {
        // By type: the positions of the generated first versions (a message stores a handful of types).
        var ranged: [(type: String, at: [Int])] = []
        for i in slice.indices where slice[i].generated && slice[i].version == 1 && Self.isGeneratedShape(slice[i].id) {
            if let k = ranged.firstIndex(where: { $0.type == slice[i].type }) { ranged[k].at.append(i) } else { ranged.append((slice[i].type, [i])) }
        }
        var covered = [Bool](repeating: false, count: slice.count)
        for (type, at) in ranged where at.count >= Self.rangeMinimum {
            let ids = at.map { slice[$0].id }
            guard let lo = ids.min(), let hi = ids.max(), try lo > highestRange(type, db) else { continue }
            try db.execute(.cached("INSERT INTO view_key (type, id, version, record) VALUES (?, ?, ?, ?)"),
                           [type, Self.rangeKey(lo: lo, hi: hi), ids.count, seq])
            rangeHighs[type] = hi
            for i in at { covered[i - slice.startIndex] = true }
        }
        // The other keys in statements of several rows each (SQLite applies the rows in order, as one a statement would).
        try Self.keyInsert.execute(slice.indices.filter { !covered[$0 - slice.startIndex] }, on: db) { i, row in
            row.append(slice[i].type)
            row.append(slice[i].id)
            row.append(slice[i].version)
            row.append(seq)
            row.append(slice[i].contentHash)
        }
    }

    static let keyInsert = MultiRowSQL("INSERT OR REPLACE INTO view_key (type, id, version, record, content_hash) VALUES ", width: 5)

    /// The highest id any range key of `type` covers (stale ones included), read once per transaction.
    private func highestRange(_ type: String, _ db: any SQLExecutor) throws -> String {
        if let known = rangeHighs[type] { return known }
        let key = try db.value(String.self, .cached("SELECT MAX(id) FROM view_key WHERE type = ? AND id > '~'"), [type])
        let high = key.map { String(Self.rangeHigh($0)) } ?? ""
        rangeHighs[type] = high
        return high
    }
}

extension StoreReader {
    /// The first version of a generated id, from the range key that covers it (journalled, not yet materialised).
    func rangedEntry(type: String, id: String) throws -> ViewEntry? {
        guard db.dialect == .sqlite, ViewJournal.isGeneratedShape(id) else { return nil }
        guard let row = try db.row(.cached("""
            SELECT id, record FROM view_key WHERE type = ? AND id >= ? AND id < '~~' AND record >= \(ViewJournal.oldestRecord)
            ORDER BY id LIMIT 1
            """), [type, "~" + id]) else { return nil }
        let key: String = row[0]
        guard ViewJournal.rangeLow(key) <= id else { return nil }
        return try journalEntry(type: type, id: id, version: 1, record: row[1])
    }

    /// The ids of `type` the range keys of waiting records cover.
    func rangedIDs(type: String) throws -> Set<String> {
        guard db.dialect == .sqlite else { return [] }
        var out = Set<String>()
        let rows = try db.rows(.cached("""
            SELECT id, record FROM view_key WHERE type = ? AND id > '~' AND record >= \(ViewJournal.oldestRecord)
            """), [type])
        for r in rows {
            let key: String = r[0]
            let lo = ViewJournal.rangeLow(key), hi = ViewJournal.rangeHigh(key)
            for e in try recordEntries(r[1], matching: { $0 == type && $2 == 1 && $1 >= lo && $1 <= hi }) {
                out.insert(e.id)
            }
        }
        return out
    }
}
