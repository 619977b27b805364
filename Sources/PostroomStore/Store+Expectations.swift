import PostroomCore

extension StoreReader {
    /// Drops a channel received in `[from, to)` (UTC instants as the store writes them).
    public func dropCount(channel: String, from: String, to: String) throws -> Int {
        try db.value(Int.self, .cached("""
            SELECT COUNT(*) FROM drop_file WHERE channel = ? AND received_at >= ? AND received_at < ? AND parent_drop IS NULL
            """), [channel, from, to]) ?? 0
    }

    /// When the channel last received a drop, or nil when it never did.
    public func lastDrop(channel: String) throws -> String? {
        try db.value(String.self, .cached("SELECT MAX(received_at) FROM drop_file WHERE channel = ? AND parent_drop IS NULL"), [channel])
    }

    /// A setting (`setting` table), e.g. which misses have been logged.
    public func setting(_ name: String) throws -> String? {
        try db.value(String.self, .cached("SELECT value FROM setting WHERE name = ?"), [name])
    }
}

extension StoreWriter {
    /// Records a setting.
    public func setSetting(_ name: String, _ value: String) throws {
        try db.execute(.cached("INSERT OR REPLACE INTO setting (name, value) VALUES (?, ?)"), [name, value])
    }
}

extension StoreReader {
    /// Durations of the most recent finished runs (seconds).
    func recentRunSeconds(limit: Int) throws -> [Double] {
        try db.rows(.cached("""
            SELECT started_at, finished_at FROM run WHERE finished_at IS NOT NULL ORDER BY started_at DESC LIMIT ?
            """), [limit]).compactMap { row in
            guard let start = StoreTime.date(row[0]), let end = (row[1] as String?).flatMap(StoreTime.date) else { return nil }
            return max(0, end.timeIntervalSince(start))
        }
    }

    /// For the most recent drops: from the claim (`received_at`) to the decision on its first message (`at`), seconds.
    ///
    /// "Most recent" by id, not by `received_at`: drop ids begin with their creation time (`IDGenerator`),
    /// so the primary key is walked backwards and the query stops after `limit` drops; sorting by
    /// `received_at`, which no index leads with, read and sorted the whole table (0.5 s for 1,000,000 drops).
    func recentDropLatencies(limit: Int) throws -> [Double] {
        // SQLite works out each latency itself, in whole milliseconds as the store keeps instants
        // (parsing 20,000 instants in Swift was most of the time `run --once` took for its metrics).
        if db.dialect == .sqlite {
            return try db.rows(.cached("""
                SELECT CAST(ROUND((julianday(x.at) - julianday(x.received_at)) * 86400000.0) AS INTEGER) FROM (
                    SELECT d.received_at, (SELECT m.at FROM message m WHERE m.drop_id = d.id ORDER BY m.idx LIMIT 1) AS at
                    FROM drop_file d WHERE d.state = 'done' ORDER BY d.id DESC LIMIT ?) x
                """), [limit]).compactMap { row in (row[0] as Int?).map { Double(max(0, $0)) / 1000 } }
        }
        return try db.rows(.cached("""
            SELECT d.received_at, (SELECT m.at FROM message m WHERE m.drop_id = d.id ORDER BY m.idx LIMIT 1)
            FROM drop_file d WHERE d.state = 'done' ORDER BY d.id DESC LIMIT ?
            """), [limit]).compactMap { row in
            guard let start = StoreTime.date(row[0]), let end = (row[1] as String?).flatMap(StoreTime.date) else { return nil }
            return max(0, end.timeIntervalSince(start))
        }
    }
}
