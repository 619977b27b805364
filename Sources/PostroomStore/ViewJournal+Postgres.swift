/// On PostgreSQL a record's view keys go in with one statement: the keys as one JSON array
/// (`json_to_recordset`), as `SearchRowBatch+Postgres` does for search rows. One round trip per
/// record (one message's resources) instead of one per resource.
extension ViewJournal {
    static let postgresKeys: SQL = .cached("""
        INSERT INTO view_key (type, id, version, record)
            SELECT type, id, version, ? FROM json_to_recordset(CAST(? AS json)) AS k(type TEXT, id TEXT, version BIGINT)
            ON CONFLICT (type, id, version) DO UPDATE SET record = excluded.record
        """)

    /// Writes the keys of `entries` for record `seq`; a key given twice is written once (the last
    /// wins, as with SQLite's `INSERT OR REPLACE` one at a time: the record is the same).
    static func insertKeysAsJSON(_ entries: [JournalEntry], seq: Int64, _ db: any SQLExecutor) throws {
        var seen = Set<String>()
        var json: [UInt8] = [UInt8(ascii: "[")]
        for e in entries.reversed() where seen.insert(e.type + "/" + e.id + "/\(e.version)").inserted {
            if json.count > 1 { json.append(UInt8(ascii: ",")) }
            SearchRowBatch.appendObject([("type", e.type), ("id", e.id), ("version", String(e.version))], to: &json)
        }
        json.append(UInt8(ascii: "]"))
        try db.execute(postgresKeys, [seq, String(decoding: json, as: UTF8.self)])
    }
}
