import Foundation
import PostroomCore

/// The `serve` object of `pipeline.json`: where `postroom serve` listens and who may use it.
public struct ServeConfig: Sendable, Equatable {
    /// A bearer token, stored as the SHA-256 of its clear text.
    public struct Token: Sendable, Equatable {
        /// Who holds the token (shown in logs and the audit trail).
        public var name: String
        /// Lower-case hex SHA-256 of the token's clear text.
        public var sha256: String

        /// A token from its name and hash.
        public init(name: String, sha256: String) {
            self.name = name
            self.sha256 = sha256
        }
    }

    /// The address to bind (default `127.0.0.1`).
    public var address: String = "127.0.0.1"
    /// The TCP port (default 8080; 0 picks a free one).
    public var port: Int = 8080
    /// Whether requests without credentials are allowed (default false).
    public var anonymous: Bool = false
    /// The accepted bearer tokens.
    public var tokens: [Token] = []
    /// Whether `/metrics` is served without a token (default: the same rule as everything else).
    public var openMetrics: Bool = false
    /// Where `postroom watch` serves `/metrics` beside its polling (nil: it does not).
    public var watchMetricsPort: Int?
    /// How long a web page session lasts (hours, default 8).
    public var sessionHours: Double = 8
    /// Whether the session cookie is marked `Secure` (behind a TLS-terminating proxy).
    public var secureCookies: Bool = false

    /// The defaults: 127.0.0.1:8080, no anonymous access, no tokens.
    public init() {}

    /// A configuration from its parts.
    public init(address: String = "127.0.0.1", port: Int = 8080, anonymous: Bool = false, tokens: [Token] = [], openMetrics: Bool = false) {
        self.address = address
        self.port = port
        self.anonymous = anonymous
        self.tokens = tokens
        self.openMetrics = openMetrics
    }
}

extension ServeConfig {
    /// Reads the raw `serve` object (nil: all defaults); every problem names its key.
    public static func parse(_ json: JSONValue?) throws(ServeConfigError) -> ServeConfig {
        var c = ServeConfig()
        guard let json else { return c }
        guard let o = json.object else { throw ServeConfigError(key: "serve", message: "must be an object") }
        let allowed = ["address", "port", "anonymous", "tokens", "metrics", "watchMetricsPort", "sessionHours", "secureCookies"]
        for k in o.keys where !allowed.contains(k) {
            throw ServeConfigError(key: "serve.\(k)", message: "unknown key (allowed: \(allowed.sorted().joined(separator: ", ")))")
        }
        if let v = o["address"] {
            guard let s = v.string, !s.isEmpty, s.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || ".:-".contains($0)) }) else {
                throw ServeConfigError(key: "serve.address", message: "must be an IP address or host name such as \"127.0.0.1\"")
            }
            c.address = s
        }
        if let v = o["port"] {
            guard case .number(let n) = v, let p = Int(n) else { throw ServeConfigError(key: "serve.port", message: "must be a whole number") }
            guard (0...65535).contains(p) else { throw ServeConfigError(key: "serve.port", message: "must be between 0 and 65535") }
            c.port = p
        }
        if let v = o["watchMetricsPort"] {
            guard case .number(let n) = v, let p = Int(n), (0...65535).contains(p) else {
                throw ServeConfigError(key: "serve.watchMetricsPort", message: "must be a port number between 0 and 65535")
            }
            c.watchMetricsPort = p
        }
        if let v = o["sessionHours"] {
            guard case .number(let n) = v, let h = Double(n), h > 0, h <= 24 * 30 else {
                throw ServeConfigError(key: "serve.sessionHours", message: "must be a number of hours above 0 (at most 720)")
            }
            c.sessionHours = h
        }
        if let v = o["secureCookies"] {
            guard let b = v.bool else { throw ServeConfigError(key: "serve.secureCookies", message: "must be true or false") }
            c.secureCookies = b
        }
        if let v = o["anonymous"] {
            guard let b = v.bool else { throw ServeConfigError(key: "serve.anonymous", message: "must be true or false") }
            c.anonymous = b
        }
        if let v = o["metrics"] {
            guard let b = v.bool else {
                throw ServeConfigError(key: "serve.metrics", message: "must be true (served without a token) or false")
            }
            c.openMetrics = b
        }
        if let v = o["tokens"] {
            guard let list = v.array else { throw ServeConfigError(key: "serve.tokens", message: "must be a list") }
            for (i, t) in list.enumerated() {
                c.tokens.append(try token(t, key: "serve.tokens[\(i)]", taken: c.tokens))
            }
        }
        if !c.anonymous && c.tokens.isEmpty {
            throw ServeConfigError(key: "serve.tokens", message: "at least one token is required unless serve.anonymous is true")
        }
        return c
    }

    static func token(_ t: JSONValue, key: String, taken: [Token]) throws(ServeConfigError) -> Token {
        guard let o = t.object else {
            throw ServeConfigError(key: key, message: "must be an object with \"name\" and \"sha256\"")
        }
        for k in o.keys where k != "name" && k != "sha256" {
            throw ServeConfigError(key: "\(key).\(k)", message: "unknown key (allowed: name, sha256)")
        }
        guard let name = o["name"]?.string, !name.isEmpty else { throw ServeConfigError(key: key + ".name", message: "is required") }
        guard name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-_.@".contains($0)) }) else {
            throw ServeConfigError(key: key + ".name", message: "must be letters, digits, -, _, . and @ only")
        }
        guard !taken.contains(where: { $0.name == name }) else {
            throw ServeConfigError(key: key + ".name", message: "\"\(name)\" is used by another token")
        }
        guard let hash = o["sha256"]?.string else {
            throw ServeConfigError(key: key + ".sha256", message: "is required: the hex SHA-256 of the token (printf %s TOKEN | sha256sum)")
        }
        let lower = hash.lowercased()
        guard lower.utf8.count == 64, lower.allSatisfy({ $0.isHexDigit }) else {
            throw ServeConfigError(key: key + ".sha256", message: "must be 64 hex digits (printf %s TOKEN | sha256sum)")
        }
        return Token(name: name, sha256: lower)
    }
}
