import PostroomCore

/// On PostgreSQL a materialisation batch's search rows go into `search_param` in one statement: the
/// rows as one JSON array (`json_to_recordset`), inserted in the index's order as SQLite's temporary
/// table does. One round trip (and one prepared statement) per batch instead of one per row plus four.
extension SearchRowBatch {
    static let postgresInsert: SQL = .cached("""
        INSERT INTO search_param (src_type, src_id, type, id, name, system, value, lo, hi)
            SELECT src_type, src_id, type, id, name, system, value, lo, hi
            FROM json_to_recordset(CAST(? AS json)) AS r(src_type TEXT, src_id TEXT, type TEXT, id TEXT, name TEXT,
                system TEXT, value TEXT, lo TEXT, hi TEXT)
            ORDER BY type, name, value, system, id
        """)

    func insertAsJSON(_ db: any SQLExecutor) throws {
        var json: [UInt8] = [UInt8(ascii: "[")]
        for (_, s) in bySource {
            for r in s.rows {
                if json.count > 1 { json.append(UInt8(ascii: ",")) }
                Self.appendObject([("src_type", s.type), ("src_id", s.id), ("type", r.type), ("id", r.id), ("name", r.name),
                                   ("system", r.system), ("value", r.value), ("lo", r.lo), ("hi", r.hi)], to: &json)
            }
        }
        json.append(UInt8(ascii: "]"))
        try db.execute(Self.postgresInsert, [String(decoding: json, as: UTF8.self)])
    }

    /// A JSON object of string (or null) members, written with `JSONWriter`'s string escaping.
    static func appendObject(_ members: [(String, String?)], to json: inout [UInt8]) {
        json.append(UInt8(ascii: "{"))
        for (i, (key, value)) in members.enumerated() {
            if i > 0 { json.append(UInt8(ascii: ",")) }
            JSONWriter.writeString(key, into: &json)
            json.append(UInt8(ascii: ":"))
            if let value { JSONWriter.writeString(value, into: &json) } else { json += "null".utf8 }
        }
        json.append(UInt8(ascii: "}"))
    }
}
