import Foundation
import PostroomCore

extension StoreReader {
    /// Resources of `type` matching every criterion, ordered by id, `offset`/`limit` paged.
    public func search(type: String, criteria: [SearchCriterion], offset: Int, limit: Int) throws -> SearchPage {
        try search(type: type, criteria: criteria, start: .offset(offset), limit: limit, total: .accurate)
    }

    /// Resources of `type` matching every criterion, ordered by id: `limit` of them from `start`,
    /// counted as `total` asks. The next page starts after the last id of this one.
    ///
    /// Throws `Store.ViewNotMaterialised` while resource versions wait in the view journal: a search
    /// answers from the whole view or not at all (`Store.materialiseView` first).
    public func search(type: String, criteria: [SearchCriterion], start: SearchStart, limit: Int, total: SearchTotal) throws -> SearchPage {
        guard try viewIsMaterialised() else { throw Store.ViewNotMaterialised() }
        var sql = "FROM resource r WHERE r.type = ?"
        var args: [SQLArgument] = [type]
        for c in criteria {
            let (fragment, a) = identityCondition(c, type: type) ?? Self.condition(c, type: type)
            sql += " AND r.id IN (\(fragment))"
            args += a
        }
        if let driver = drivingCondition(criteria, type: type) {
            return try search(type: type, driver: driver, start: start, limit: limit, total: total)
        }
        let counted = try count(sql, args, total)
        guard limit > 0 else { return SearchPage(total: counted, resources: []) }
        var page = sql
        var pageArgs = args
        var offset = 0
        switch start {
        case .after(let id): page += " AND r.id > ?"; pageArgs.append(id)
        case .offset(let n): offset = n
        }
        if let counted, offset >= counted { return SearchPage(total: counted, resources: []) }
        let rows = try db.rows(SQL("SELECT r.id, r.json " + page + " ORDER BY r.id LIMIT ? OFFSET ?"), pageArgs + [limit + 1, offset])
        let more = rows.count > limit
        let shown = rows.prefix(limit)
        return SearchPage(total: counted, resources: shown.compactMap { try? JSONParser().parse($0[1] as [UInt8]) },
                          nextAfter: more ? shown.last?[0] : nil)
    }

    /// The count of a search as `total` asks (nil: not counted, or more than the bound).
    func count(_ sql: String, _ args: [SQLArgument], _ total: SearchTotal) throws -> Int? {
        switch total {
        case .none:
            return nil
        case .accurate:
            return try db.value(Int.self, SQL("SELECT COUNT(*) " + sql), args) ?? 0
        case .bounded(let bound):
            let n = try db.value(Int.self, SQL("SELECT COUNT(*) FROM (SELECT 1 " + sql + " LIMIT ?)"), args + [bound + 1]) ?? 0
            return n > bound ? nil : n
        }
    }

    /// The SQL (a subquery selecting ids) and arguments of one criterion.
    static func condition(_ c: SearchCriterion, type: String) -> (String, [SQLArgument]) {
        var args: [SQLArgument] = []
        func tokens(_ list: [SearchCriterion.Token], codeOnly: Bool) -> String {
            let alternatives = list.map { t -> String in
                var parts: [String] = []
                if let code = t.code {
                    parts.append("value = ?")
                    args.append(code)
                }
                if !codeOnly {
                    switch t.system {
                    case .any: break
                    case .none: parts.append("system IS NULL")
                    case .exact(let s):
                        parts.append("system = ?")
                        args.append(s)
                    }
                }
                return "(" + (parts.isEmpty ? "1" : parts.joined(separator: " AND ")) + ")"
            }
            return "(" + alternatives.joined(separator: " OR ") + ")"
        }
        switch c.match {
        case .token(let list, let codeOnly):
            args += [type, c.name]
            let where_ = tokens(list, codeOnly: codeOnly)
            return ("SELECT id FROM search_param WHERE type = ? AND name = ? AND " + where_, args)
        case .reference(let refs):
            args += [type, c.name] + refs.map { $0 as SQLArgument }
            let marks = refs.map { _ in "?" }.joined(separator: ", ")
            return ("SELECT id FROM search_param WHERE type = ? AND name = ? AND value IN (\(marks))", args)
        case .date(let bounds):
            args += [type, c.name]
            let alternatives = bounds.map { b -> String in
                switch b.prefix {
                case .eq: args += [b.lo, b.hi]; return "(lo >= ? AND hi <= ?)"
                case .ne: args += [b.lo, b.hi]; return "NOT (lo >= ? AND hi <= ?)"
                case .lt: args += [b.lo]; return "(lo < ?)"
                case .le: args += [b.hi]; return "(lo < ?)"
                case .gt: args += [b.hi]; return "(hi > ?)"
                case .ge: args += [b.lo]; return "(hi > ?)"
                }
            }
            return ("SELECT id FROM search_param WHERE type = ? AND name = ? AND lo IS NOT NULL AND ("
                    + alternatives.joined(separator: " OR ") + ")", args)
        case .requestIdentifier:
            return ("SELECT NULL WHERE 0", args)
        case .subjectIdentifier(let list):
            args += [type, c.name]
            let direct = "SELECT id FROM search_param WHERE type = ? AND name = ? AND " + tokens(list, codeOnly: false)
            args += [type]
            let viaPatient = """
                SELECT id FROM search_param WHERE type = ? AND name = 'subject' AND value IN
                (SELECT 'Patient/' || id FROM search_param WHERE type = 'Patient' AND name = 'identifier' AND \(tokens(list, codeOnly: false)))
                """
            return (direct + " UNION " + viaPatient, args)
        }
    }

    /// The current versions of the resources named by `references` (`Type/id`), in the order given; unknown ones are left out.
    public func resources(references: [String]) throws -> [(reference: String, resource: JSONValue)] {
        var out: [(String, JSONValue)] = []
        for ref in references {
            let parts = ref.split(separator: "/", omittingEmptySubsequences: false)
            guard parts.count == 2, let r = try resource(type: String(parts[0]), id: String(parts[1])) else { continue }
            out.append((ref, r))
        }
        return out
    }

    /// Every version of a resource with its version number and time, newest first.
    public func resourceVersions(type: String, id: String) throws -> [ResourceVersion] {
        try journalledVersions(type: type, id: id).compactMap { e in
            e.resource.map { ResourceVersion(version: e.version, lastUpdated: e.lastUpdated, resource: $0) }
        } + db.rows("""
            SELECT version, last_updated, json FROM resource WHERE type = ?1 AND id = ?2
            UNION ALL SELECT version, last_updated, json FROM resource_history WHERE type = ?1 AND id = ?2
            ORDER BY version DESC
            """, [type, id]).compactMap { row in
            guard let v = try? JSONParser().parse(row[2] as [UInt8]) else { return nil }
            return ResourceVersion(version: row[0], lastUpdated: row[1], resource: v)
        }
    }

    /// One version of a resource.
    public func resourceVersion(type: String, id: String, version: Int) throws -> ResourceVersion? {
        if let e = try journalledVersions(type: type, id: id).first(where: { $0.version == version }),
           let v = e.resource {
            return ResourceVersion(version: e.version, lastUpdated: e.lastUpdated, resource: v)
        }
        return try db.row("""
            SELECT version, last_updated, json FROM resource WHERE type = ?1 AND id = ?2 AND version = ?3
            UNION ALL SELECT version, last_updated, json FROM resource_history WHERE type = ?1 AND id = ?2 AND version = ?3
            """, [type, id, version]).flatMap { row in
            guard let v = try? JSONParser().parse(row[2] as [UInt8]) else { return nil }
            return ResourceVersion(version: row[0], lastUpdated: row[1], resource: v)
        }
    }

    /// The current version number and time of a resource.
    public func resourceMeta(type: String, id: String) throws -> (version: Int, lastUpdated: String)? {
        if let e = try journalled(type: type, id: id) { return (e.version, e.lastUpdated) }
        return try db.row("SELECT version, last_updated FROM resource WHERE type = ? AND id = ?", [type, id])
            .map { ($0[0], $0[1]) }
    }
}
