import PostroomCore

extension PipelineConfig {
    /// The business-identifier system of Postroom's Tasks when `taskIdentifierSystem` is not set:
    /// `<endpoint>/Id/task` for an http(s) endpoint, `<endpoint>:task` for a URN.
    public static func defaultTaskIdentifierSystem(endpoint: String) -> String {
        var base = endpoint
        while base.hasSuffix("/") { base.removeLast() }
        return base.hasPrefix("urn:") ? base + ":task" : base + "/Id/task"
    }

    /// Reads `namespaces`: `[{ "name": …, "v2": […], "fhir": […], "oid": […] }]` (README "Identity across formats").
    static func namespaces(_ list: [JSONValue]?) throws(ConfigError) -> IdentityNamespaces {
        var out: [IdentityNamespaces.Namespace] = []
        for (i, entry) in (list ?? []).enumerated() {
            let key = "namespaces[\(i)]"
            guard entry.object != nil else { throw ConfigError(key: key, message: "must be an object") }
            let r = ConfigReader(entry, key: key)
            try r.only(["name", "v2", "fhir", "oid"])
            guard let name = try r.string("name") else { throw ConfigError(key: key + ".name", message: "is required") }
            out.append(.init(name: name, v2: try strings(r, "v2"), fhir: try strings(r, "fhir"), oid: try strings(r, "oid")))
        }
        do {
            return try IdentityNamespaces(out)
        } catch {
            throw describe(error)
        }
    }

    static func strings(_ r: ConfigReader, _ k: String) throws(ConfigError) -> [String] {
        var out: [String] = []
        for (i, v) in (try r.array(k) ?? []).enumerated() {
            guard let s = v.string, !s.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw ConfigError(key: r.path(k) + "[\(i)]", message: "must be a non-empty string")
            }
            out.append(s)
        }
        return out
    }

    static func describe(_ p: IdentityNamespaces.Problem) -> ConfigError {
        switch p {
        case .badName(let i):
            return ConfigError(key: "namespaces[\(i)].name", message: "must be a non-empty name without \"|\" or \":\"")
        case .duplicateName(let i, let name):
            return ConfigError(key: "namespaces[\(i)].name", message: "\"\(name)\" names another namespace too")
        case .noSpelling(let i):
            return ConfigError(key: "namespaces[\(i)]", message: "needs at least one of v2, fhir, oid")
        case .badOID(let i, let oid):
            return ConfigError(key: "namespaces[\(i)].oid", message: "\"\(oid)\" is not an OID (digits separated by dots)")
        case .sharedSpelling(let i, let field, let spelling, let other):
            return ConfigError(key: "namespaces[\(i)].\(field)", message: "\"\(spelling)\" already belongs to namespace \"\(other)\"")
        }
    }
}
