import PostroomCore

extension StoreWriter {
    /// Re-derives every indexed key from the literal keys when the namespaces differ from those
    /// the keys were made with (a database from before canonical keys, or a changed `namespaces`
    /// configuration). Returns whether anything was re-derived.
    @discardableResult
    public func rekeyIfNeeded() throws -> Bool {
        let current = identity.fingerprint
        let stored = try reader.setting("identity")
        guard stored != current else { return false }
        try rekey(table: "request_key", owner: "request_id")
        try rekey(table: "task_key", owner: "task_id")
        try rekeyHeld()
        try setSetting("identity", current)
        return true
    }

    /// Rewrites `table`'s keys to the canonical form of their literal; a key whose canonical form
    /// another owner already holds stays as it was (the first owner keeps it, as on insert).
    func rekey(table: String, owner: String) throws {
        let rows = try db.rows("SELECT key, \(owner), literal FROM \(table)")
        let delete: SQL = .cached("DELETE FROM \(table) WHERE key = ?")
        let insert: SQL = .cached("INSERT OR IGNORE INTO \(table) (key, \(owner), literal) VALUES (?, ?, ?)")
        for row in rows {
            let key: String = row[0], ownerID: String = row[1]
            let literal: String = row[2] ?? key
            let canonical = identity.canonical(literal)
            guard canonical != key else { continue }
            try db.execute(delete, [key])
            try db.execute(insert, [canonical, ownerID, canonical == literal ? nil : literal])
            if db.changes == 0 {
                try db.execute(insert, [key, ownerID, literal == key ? nil : literal])
            }
        }
    }

    /// Rebuilds the held index from the held reports' literal request keys.
    func rekeyHeld() throws {
        try db.execute("DELETE FROM held_key")
        for report in try reader.reports(state: .held) {
            if report.note == "awaiting-replaced-document", let parent = report.replaces {
                try addHeldKeys([parent], reportID: report.id)
            } else {
                try addHeldKeys(report.requestKeys, reportID: report.id)
            }
        }
    }
}
