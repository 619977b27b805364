import Foundation
import PostroomCore

extension StoreReader {
    /// A search of one value of one parameter (`status=active`, `based-on=ServiceRequest/1`,
    /// `identifier=system|value`): its matches come in id order straight from the index
    /// `search_param(type, name, value, system, id)`, so a page — the first, or one after a cursor —
    /// reads only its own rows, and a bounded count stops at the bound, however many match.
    func drivingCondition(_ criteria: [SearchCriterion], type: String) -> (sql: String, args: [SQLArgument])? {
        guard criteria.count == 1, let c = criteria.first else { return nil }
        var base = "SELECT id FROM search_param WHERE type = ? AND name = ? AND value = ?"
        // Rows another resource produced (a DiagnosticReport's Observations) may name a resource never
        // stored: only stored ones count, and only they take a place on a page.
        if SearchIndexer.producedByOthers.contains(type) {
            base += " AND EXISTS (SELECT 1 FROM resource s WHERE s.type = search_param.type AND s.id = search_param.id)"
        }
        switch c.match {
        case .token(let list, let codeOnly) where list.count == 1:
            // An identifier of a ServiceRequest also matches its other spellings (Store+SearchIdentity).
            guard let code = list[0].code, !(type == "ServiceRequest" && c.name == "identifier") else { return nil }
            if codeOnly { return (base + " AND system IS NULL", [type, c.name, code]) }
            switch list[0].system {
            case .exact(let system): return (base + " AND system = ?", [type, c.name, code, system])
            case .none: return (base + " AND system IS NULL", [type, c.name, code])
            case .any: return nil
            }
        case .reference(let refs) where refs.count == 1:
            return (base + " AND system IS NULL", [type, c.name, refs[0]])
        default:
            return nil
        }
    }

    /// The page and count of a one-value search (see `drivingCondition`).
    func search(type: String, driver: (sql: String, args: [SQLArgument]), start: SearchStart, limit: Int,
                total: SearchTotal) throws -> SearchPage {
        let counted: Int?
        switch total {
        case .none: counted = nil
        case .accurate:
            counted = try db.value(Int.self, "SELECT COUNT(DISTINCT id) FROM (\(driver.sql))", driver.args)
        case .bounded(let bound):
            let n = try db.value(Int.self, "SELECT COUNT(*) FROM (SELECT DISTINCT id FROM (\(driver.sql)) LIMIT ?)", driver.args + [bound + 1]) ?? 0
            counted = n > bound ? nil : n
        }
        guard limit > 0 else { return SearchPage(total: counted, resources: []) }
        var ids = driver.sql
        var args = driver.args
        var offset = 0
        switch start {
        case .after(let id): ids += " AND id > ?"; args.append(id)
        case .offset(let n): offset = n
        }
        let page = "SELECT DISTINCT id FROM (\(ids)) ORDER BY id LIMIT ? OFFSET ?"
        let rows = try db.rows("""
            SELECT r.id, r.json FROM resource r WHERE r.type = ? AND r.id IN (\(page)) ORDER BY r.id
            """, [type] + args + [limit + 1, offset])
        let more = rows.count > limit
        let shown = rows.prefix(limit)
        return SearchPage(total: counted, resources: shown.compactMap { try? JSONParser().parse($0[1] as [UInt8]) },
                          nextAfter: more ? shown.last?[0] : nil)
    }
}
