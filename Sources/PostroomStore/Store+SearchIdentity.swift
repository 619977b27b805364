import PostroomCore

extension StoreReader {
    /// Searches that go through the canonical identity keys rather than the search index:
    /// `ServiceRequest?identifier=system|value` also finds a request that came in another format
    /// (its identifier spelt another way), and `DiagnosticReport?based-on:identifier=` /
    /// `DocumentReference?related:identifier=` find the reports linked to such a request.
    /// Nil when the criterion is the search index's alone.
    func identityCondition(_ c: SearchCriterion, type: String) -> (String, [SQLArgument])? {
        switch c.match {
        case .token(let list, false) where type == "ServiceRequest" && c.name == "identifier":
            let keys = canonicalKeys(list)
            guard !keys.isEmpty else { return nil }
            var (sql, args) = Self.condition(c, type: type)
            sql += " UNION SELECT request_id FROM request_key WHERE key IN (\(marks(keys.count)))"
            args += keys.map { $0 as SQLArgument }
            return (sql, args)
        case .requestIdentifier(let list):
            let keys = canonicalKeys(list)
            guard !keys.isEmpty else { return ("SELECT NULL WHERE 0", []) }
            if let base = c.name.split(separator: ":").first, type == "Appointment" || type == "Task" {
                // `Appointment?based-on:identifier=`, `Task?focus:identifier=`: what references a request those identifiers name.
                let args: [SQLArgument] = [type, String(base)] + keys.map { $0 as SQLArgument }
                return ("""
                    SELECT id FROM search_param WHERE type = ? AND name = ? AND value IN
                    (SELECT 'ServiceRequest/' || request_id FROM request_key WHERE key IN (\(marks(keys.count))))
                    """, args)
            }
            let args: [SQLArgument] = [type] + keys.map { $0 as SQLArgument }
            return ("SELECT id FROM report WHERE kind = ? AND request_id IN (SELECT request_id FROM request_key WHERE key IN (\(marks(keys.count))))",
                    args)
        default:
            return nil
        }
    }

    /// The canonical keys of `system|value` tokens (those without both parts name no identity).
    func canonicalKeys(_ tokens: [SearchCriterion.Token]) -> [String] {
        var keys: [String] = []
        for t in tokens {
            guard case .exact(let system) = t.system, let code = t.code else { continue }
            for kind in ["id", "plac", "fill"] {
                let k = identity.canonical(kind + "|" + CorrelationKey.normalize(system) + "|" + code)
                if !keys.contains(k) { keys.append(k) }
            }
        }
        return keys
    }

    func marks(_ n: Int) -> String { Array(repeating: "?", count: n).joined(separator: ", ") }
}
