import Foundation
import PostroomCore

extension PipelineConfig {
    /// Reads `store`: `{ "kind": "sqlite" }` (the default) or `{ "kind": "postgres", "url": "postgres://…",
    /// "passwordEnv": "NAME" | "passwordFile": "path" }`. The password is read here, so a missing
    /// variable or an unreadable file is a configuration error naming its key; no message holds it.
    static func store(_ r: ConfigReader, base: String) throws(ConfigError) -> StoreConfig {
        guard let object = try r.object("store") else { return .sqlite }
        let s = ConfigReader(object, key: "store")
        try s.only(["kind", "url", "passwordEnv", "passwordFile"])
        let kind = try s.string("kind") ?? "sqlite"
        switch kind {
        case "sqlite":
            for k in ["url", "passwordEnv", "passwordFile"] where s.has(k) {
                throw ConfigError(key: s.path(k), message: "applies to store kind postgres only")
            }
            return .sqlite
        case "postgres":
            guard let url = try s.string("url") else {
                throw ConfigError(key: "store.url", message: "is required for store kind postgres: postgres://user@host:port/database")
            }
            var location = try PostgresURL.parse(url, key: "store.url")
            let (password, source) = try storePassword(s, base: base)
            location.password = password
            location.passwordSource = source
            return .postgres(location)
        default:
            throw ConfigError(key: "store.kind", message: "must be sqlite or postgres, not \"\(kind)\"")
        }
    }

    /// The password from `passwordEnv` or `passwordFile` (its first line), or none.
    static func storePassword(_ s: ConfigReader, base: String) throws(ConfigError) -> (Secret?, String?) {
        let env = try s.string("passwordEnv")
        let file = try s.string("passwordFile")
        switch (env, file) {
        case (nil, nil):
            return (nil, nil)
        case (_?, _?):
            throw ConfigError(key: "store.passwordFile", message: "give passwordEnv or passwordFile, not both")
        case (let name?, nil):
            guard !name.isEmpty, name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }) else {
                throw ConfigError(key: "store.passwordEnv", message: "must be the name of an environment variable")
            }
            guard let value = ProcessInfo.processInfo.environment[name], !value.isEmpty else {
                throw ConfigError(key: "store.passwordEnv", message: "the environment variable \(name) is not set or empty")
            }
            return (Secret(value), "env \(name)")
        case (nil, let path?):
            let full = resolve(path, base)
            guard let data = FileManager.default.contents(atPath: full) else {
                throw ConfigError(key: "store.passwordFile", message: "cannot read \(full)")
            }
            let text = String(decoding: data, as: UTF8.self)
            let line = text.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
            let password = line.hasSuffix("\r") ? String(line.dropLast()) : line
            guard !password.isEmpty else {
                throw ConfigError(key: "store.passwordFile", message: "\(full) holds no password on its first line")
            }
            return (Secret(password), "file \(full)")
        }
    }
}

extension ConfigReader {
    /// Whether the object has the key at all.
    func has(_ k: String) -> Bool { object[k] != nil }
}
