/// Where Postroom keeps its state (`store` in `pipeline.json`): the embedded SQLite file (the default,
/// today's behaviour) or a PostgreSQL database shared by several nodes (docs/POSTGRES.md).
public enum StoreConfig: Sendable, Equatable, CustomStringConvertible {
    /// The SQLite file at `PipelineConfig.database`.
    case sqlite
    /// A PostgreSQL database.
    case postgres(PostgresLocation)

    /// The value of `store.kind`.
    public var kind: String {
        switch self {
        case .sqlite: "sqlite"
        case .postgres: "postgres"
        }
    }

    public var description: String {
        switch self {
        case .sqlite: "sqlite"
        case .postgres(let location): "postgres \(location)"
        }
    }
}

/// A PostgreSQL server and database, parsed from `store.url`; the password comes from `store.passwordEnv`
/// or `store.passwordFile` and is held as a `Secret` that never prints.
public struct PostgresLocation: Sendable, Equatable, CustomStringConvertible {
    /// How the server is reached.
    public enum Endpoint: Sendable, Equatable {
        /// TCP to `host:port`.
        case tcp(host: String, port: Int)
        /// The Unix socket `<directory>/.s.PGSQL.<port>`.
        case socket(directory: String, port: Int)
    }

    /// TLS over TCP, as libpq's `sslmode` names it (a Unix socket never uses TLS).
    public enum TLSMode: String, Sendable, Equatable, CaseIterable {
        /// Plain TCP.
        case disable
        /// TLS when the server offers it, without checking its certificate; plain otherwise (libpq's default).
        case prefer
        /// TLS always, without checking the certificate.
        case require
        /// TLS always, the certificate checked against the system's roots and the host name.
        case verifyFull = "verify-full"
    }

    public var endpoint: Endpoint
    public var user: String
    public var database: String
    public var tls: TLSMode
    /// The password, when one is configured.
    public var password: Secret?
    /// Where the password came from (`env NAME` or `file PATH`), for messages; never the password.
    public var passwordSource: String?

    public init(endpoint: Endpoint, user: String, database: String, tls: TLSMode = .prefer,
                password: Secret? = nil, passwordSource: String? = nil) {
        self.endpoint = endpoint
        self.user = user
        self.database = database
        self.tls = tls
        self.password = password
        self.passwordSource = passwordSource
    }

    /// The socket file of a `.socket` endpoint.
    public var socketPath: String? {
        guard case .socket(let directory, let port) = endpoint else { return nil }
        return directory + "/.s.PGSQL.\(port)"
    }

    /// `postgres://user@host:port/db` (or `?host=<socket folder>`) with the password's source, never the password.
    public var description: String {
        let place: String = switch endpoint {
        case .tcp(let host, let port): "postgres://\(user)@\(host.contains(":") ? "[\(host)]" : host):\(port)/\(database)"
        case .socket(let directory, let port): "postgres://\(user)@/\(database)?host=\(directory)&port=\(port)"
        }
        return place + (passwordSource.map { " (password from \($0))" } ?? "")
    }
}

/// A password held in memory: its description, debug description and mirror show `<redacted>`, so
/// printing, logging, `dump` or string interpolation of a configuration never reveal it.
public struct Secret: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    private let value: String

    public init(_ value: String) { self.value = value }

    /// The password itself, for the one place that hands it to the database driver.
    public var revealed: String { value }

    public var description: String { "<redacted>" }
    public var debugDescription: String { "<redacted>" }
    public var customMirror: Mirror { Mirror(self, children: [], displayStyle: .struct) }
}
