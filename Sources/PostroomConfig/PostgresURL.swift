import Foundation

/// Parses `store.url`: `postgres://user@host:port/database` (or `postgresql://`), an IPv6 host in
/// brackets, and libpq's socket forms — `postgres://user@/database?host=/run/postgresql` or the folder
/// percent-encoded as the host (`postgres://user@%2Frun%2Fpostgresql/database`). Query parameters:
/// `host`, `port`, `sslmode` (disable | prefer | require | verify-full). A password in the URL is
/// refused: it would be printed wherever the URL is; `passwordEnv` / `passwordFile` carry it.
/// Error messages never repeat the URL.
enum PostgresURL {
    static let defaultPort = 5432

    static func parse(_ text: String, key: String) throws(ConfigError) -> PostgresLocation {
        func fail(_ message: String) -> ConfigError { ConfigError(key: key, message: message) }
        guard let rest = ["postgres://", "postgresql://"].lazy.compactMap({ text.hasPrefix($0) ? String(text.dropFirst($0.count)) : nil }).first else {
            throw fail("must start with postgres:// or postgresql://")
        }
        let (beforeQuery, query) = split(rest, at: "?")
        let (authority, path) = split(beforeQuery, at: "/")
        let params = try parameters(query ?? "", fail: fail)
        guard let userPart = authority.range(of: "@", options: .backwards).map({ String(authority[..<$0.lowerBound]) }),
              !userPart.isEmpty else {
            throw fail("must name the user: postgres://USER@host/database")
        }
        guard !userPart.contains(":") else {
            throw fail("must not hold a password: name it in store.passwordEnv or store.passwordFile")
        }
        let hostPort = String(authority[authority.range(of: "@", options: .backwards)!.upperBound...])
        guard let user = userPart.removingPercentEncoding, let database = (path ?? "").removingPercentEncoding,
              !database.isEmpty, !database.contains("/") else {
            throw fail("must name the database: postgres://user@host/DATABASE")
        }
        var (host, port) = try hostAndPort(hostPort, fail: fail)
        if let p = params["port"] {
            guard let n = Int(p), (1...65535).contains(n) else { throw fail("port must be between 1 and 65535") }
            port = n
        }
        if let h = params["host"] { host = h }
        let tls = try tlsMode(params["sslmode"], fail: fail)
        let endpoint: PostgresLocation.Endpoint
        if host.hasPrefix("/") {
            endpoint = .socket(directory: host, port: port ?? defaultPort)
        } else if host.isEmpty {
            throw fail("must name a host, or a socket folder with ?host=/path")
        } else {
            endpoint = .tcp(host: host, port: port ?? defaultPort)
        }
        return PostgresLocation(endpoint: endpoint, user: user, database: database, tls: tls)
    }

    static func split(_ s: String, at c: Character) -> (String, String?) {
        guard let i = s.firstIndex(of: c) else { return (s, nil) }
        return (String(s[..<i]), String(s[s.index(after: i)...]))
    }

    static func parameters(_ query: String, fail: (String) -> ConfigError) throws(ConfigError) -> [String: String] {
        var out: [String: String] = [:]
        for pair in query.split(separator: "&") where !pair.isEmpty {
            let (name, value) = split(String(pair), at: "=")
            guard ["host", "port", "sslmode"].contains(name) else {
                throw fail("unknown parameter \"\(name)\" (allowed: host, port, sslmode)")
            }
            guard let v = value?.removingPercentEncoding, !v.isEmpty else { throw fail("parameter \(name) needs a value") }
            out[name] = v
        }
        return out
    }

    static func hostAndPort(_ s: String, fail: (String) -> ConfigError) throws(ConfigError) -> (String, Int?) {
        var host = s
        var portText: String?
        if s.hasPrefix("[") {
            guard let close = s.firstIndex(of: "]") else { throw fail("an IPv6 host needs its closing ]") }
            host = String(s[s.index(after: s.startIndex)..<close])
            let after = s[s.index(after: close)...]
            if after.hasPrefix(":") { portText = String(after.dropFirst()) } else if !after.isEmpty { throw fail("cannot read the host") }
        } else if let colon = s.lastIndex(of: ":") {
            host = String(s[..<colon])
            portText = String(s[s.index(after: colon)...])
        }
        var port: Int?
        if let portText {
            guard let n = Int(portText), (1...65535).contains(n) else { throw fail("port must be between 1 and 65535") }
            port = n
        }
        guard let decoded = host.removingPercentEncoding else { throw fail("cannot read the host") }
        return (decoded, port)
    }

    static func tlsMode(_ text: String?, fail: (String) -> ConfigError) throws(ConfigError) -> PostgresLocation.TLSMode {
        guard let text else { return .prefer }
        guard let mode = PostgresLocation.TLSMode(rawValue: text) else {
            throw fail("sslmode must be \(PostgresLocation.TLSMode.allCases.map(\.rawValue).joined(separator: ", ")), not \"\(text)\"")
        }
        return mode
    }
}
