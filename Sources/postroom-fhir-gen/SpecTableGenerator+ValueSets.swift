import Foundation

extension SpecTableGenerator {
    /// The codes of a value set by code system, in the order they were found.
    struct Expansion {
        var systems: [String] = []
        var codes: [String: [String]] = [:]

        mutating func add(system: String, code: String) {
            if codes[system] == nil {
                systems.append(system)
                codes[system] = []
            }
            if codes[system]?.contains(code) == false { codes[system]?.append(code) }
        }

        mutating func remove(system: String, code: String) {
            codes[system]?.removeAll { $0 == code }
        }

        mutating func merge(_ other: Expansion) {
            for system in other.systems {
                for code in other.codes[system] ?? [] { add(system: system, code: code) }
            }
        }
    }

    /// Why a value set cannot be expanded from the package (it is then "not checked").
    struct Unexpandable: Error {
        var reason: String
    }

    /// The `V`/`S` lines of every value set used by a required binding.
    func valueSetLines() -> [String] {
        var lines: [String] = []
        for (i, url) in valueSetOrder.enumerated() {
            do {
                var seen: Set<String> = []
                let expansion = try expand(url, seen: &seen)
                lines.append("V \(i) \(url) c")
                for system in expansion.systems {
                    let codes = expansion.codes[system] ?? []
                    lines.append("S \(system) " + codes.map(escape).joined(separator: " "))
                }
            } catch {
                lines.append("V \(i) \(url) x \(error.reason)")
            }
        }
        return lines
    }

    /// Codes may contain single spaces: written with `%20` (and `%` as `%25`).
    func escape(_ code: String) -> String {
        code.replacingOccurrences(of: "%", with: "%25").replacingOccurrences(of: " ", with: "%20")
    }

    func expand(_ url: String, seen: inout Set<String>) throws(Unexpandable) -> Expansion {
        let bare = url.components(separatedBy: "|").first ?? url
        guard seen.insert(bare).inserted else { throw Unexpandable(reason: "circular value set \(bare)") }
        guard let vs = valueSets[bare] else { throw Unexpandable(reason: "value set not in the package") }
        var result = Expansion()
        guard let compose = vs["compose"] as? [String: Any] else {
            // Fall back to a stored expansion.
            let contains = (vs["expansion"] as? [String: Any])?["contains"] as? [[String: Any]] ?? []
            guard !contains.isEmpty else { throw Unexpandable(reason: "no compose or expansion") }
            for c in flattenContains(contains) { result.add(system: c.0, code: c.1) }
            return result
        }
        for include in compose["include"] as? [[String: Any]] ?? [] {
            result.merge(try expandInclude(include, seen: &seen))
        }
        for exclude in compose["exclude"] as? [[String: Any]] ?? [] {
            let removed = try expandInclude(exclude, seen: &seen)
            for system in removed.systems {
                for code in removed.codes[system] ?? [] { result.remove(system: system, code: code) }
            }
        }
        return result
    }

    func flattenContains(_ contains: [[String: Any]]) -> [(String, String)] {
        var out: [(String, String)] = []
        for c in contains {
            if let s = c["system"] as? String, let code = c["code"] as? String { out.append((s, code)) }
            out.append(contentsOf: flattenContains(c["contains"] as? [[String: Any]] ?? []))
        }
        return out
    }

    func expandInclude(_ include: [String: Any], seen: inout Set<String>) throws(Unexpandable) -> Expansion {
        var result = Expansion()
        var fromValueSets: Expansion?
        for url in include["valueSet"] as? [String] ?? [] {
            var nested = seen
            let e = try expand(url, seen: &nested)
            if var acc = fromValueSets { acc.merge(e); fromValueSets = acc } else { fromValueSets = e }
        }
        guard let system = include["system"] as? String else {
            guard let fromValueSets else { throw Unexpandable(reason: "include without system or value set") }
            return fromValueSets
        }
        if let concepts = include["concept"] as? [[String: Any]] {
            for c in concepts { if let code = c["code"] as? String { result.add(system: system, code: code) } }
        } else {
            guard let cs = codeSystems[system] else { throw Unexpandable(reason: "external code system \(system)") }
            let content = cs["content"] as? String ?? "complete"
            guard content == "complete" else { throw Unexpandable(reason: "code system \(system) is \(content) in the package") }
            let all = flatten(cs["concept"] as? [[String: Any]] ?? [])
            if let filters = include["filter"] as? [[String: Any]], !filters.isEmpty {
                for code in try filtered(cs, filters: filters) { result.add(system: system, code: code) }
            } else {
                for (code, _) in all { result.add(system: system, code: code) }
            }
        }
        if let fromValueSets {
            // A system and value sets together: the intersection.
            var both = Expansion()
            for code in result.codes[system] ?? [] where fromValueSets.codes[system]?.contains(code) == true {
                both.add(system: system, code: code)
            }
            return both
        }
        return result
    }

    /// Codes of a code system with their ancestors (nested `concept` lists flattened).
    func flatten(_ concepts: [[String: Any]], ancestors: [String] = []) -> [(String, [String])] {
        var out: [(String, [String])] = []
        for c in concepts {
            guard let code = c["code"] as? String else { continue }
            out.append((code, ancestors))
            out.append(contentsOf: flatten(c["concept"] as? [[String: Any]] ?? [], ancestors: ancestors + [code]))
        }
        return out
    }

    /// Supports the hierarchy filters `concept is-a X` and `concept descendent-of X`.
    func filtered(_ cs: [String: Any], filters: [[String: Any]]) throws(Unexpandable) -> [String] {
        var codes = flatten(cs["concept"] as? [[String: Any]] ?? [])
        for f in filters {
            let property = f["property"] as? String ?? ""
            let op = f["op"] as? String ?? ""
            let value = f["value"] as? String ?? ""
            guard property == "concept", op == "is-a" || op == "descendent-of" else {
                throw Unexpandable(reason: "filter \(property) \(op) not supported")
            }
            codes = codes.filter { code, ancestors in
                ancestors.contains(value) || (op == "is-a" && code == value)
            }
        }
        return codes.map(\.0)
    }
}
