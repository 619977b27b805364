import Foundation

/// A file to send: a routed Task or a status notification (Option H).
public struct OutboundFile: Sendable, Equatable {
    public var seq: Int64
    public var dropID: String
    public var channel: String
    public var name: String
    public var bytes: [UInt8]
    public var written: Bool
}

extension StoreWriter {
    /// Queues a file for a channel's outbox; it is written after the transaction commits.
    public func queueOutbound(dropID: String, channel: String, name: String, bytes: [UInt8]) throws {
        try db.execute("INSERT INTO outbound (drop_id, channel, name, bytes) VALUES (?, ?, ?, ?)", [dropID, channel, name, bytes])
    }

    /// Notes that queued files are in place.
    public func markOutboundWritten(_ seqs: [Int64]) throws {
        let stmt: SQL = .cached("UPDATE outbound SET written = 1 WHERE seq = ?")
        for s in seqs { try db.execute(stmt, [s]) }
    }
}

extension StoreReader {
    /// Files not yet written (all of them, or those of some drops).
    public func pendingOutbound(dropIDs: [String]? = nil) throws -> [OutboundFile] {
        let rows: [SQLRow]
        if let dropIDs {
            guard !dropIDs.isEmpty else { return [] }
            rows = try db.rows("""
                SELECT seq, drop_id, channel, name, bytes, written FROM outbound
                WHERE written = 0 AND drop_id IN (\(db.placeholders(dropIDs.count))) ORDER BY seq
                """, dropIDs)
        } else {
            rows = try db.rows("SELECT seq, drop_id, channel, name, bytes, written FROM outbound WHERE written = 0 ORDER BY seq")
        }
        return rows.map { OutboundFile(seq: $0[0], dropID: $0[1], channel: $0[2], name: $0[3], bytes: $0[4] as [UInt8], written: $0[5]) }
    }

    /// Every file sent because of a drop.
    public func outbound(dropID: String) throws -> [OutboundFile] {
        try db.rows("SELECT seq, drop_id, channel, name, bytes, written FROM outbound WHERE drop_id = ? ORDER BY seq", [dropID])
            .map { OutboundFile(seq: $0[0], dropID: $0[1], channel: $0[2], name: $0[3], bytes: $0[4] as [UInt8], written: $0[5]) }
    }
}
