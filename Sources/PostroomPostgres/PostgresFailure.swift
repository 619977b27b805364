import PostgresNIO
import PostroomConfig

/// A PostgreSQL failure with a message fit to print: the server's SQLSTATE and message, or why the
/// connection failed — never the password, never the statement's parameters (they can hold patient data).
public struct PostgresFailure: Error, CustomStringConvertible, Sendable {
    public enum Kind: Sendable, Equatable {
        case connect, statement, schema
    }

    public var kind: Kind
    /// The server's SQLSTATE (e.g. `40001` serialization failure, `40P01` deadlock), when it sent one.
    public var sqlState: String?
    public var message: String

    public var description: String { message }

    public init(kind: Kind, sqlState: String? = nil, message: String) {
        self.kind = kind
        self.sqlState = sqlState
        self.message = message
    }

    /// A transaction that lost a race and may simply be run again: serialization failure or deadlock.
    public var isRetryable: Bool { sqlState == "40001" || sqlState == "40P01" }

    static func cannotConnect(location: PostgresLocation, _ error: any Error) -> PostgresFailure {
        let (state, reason) = explain(error)
        return PostgresFailure(kind: .connect, sqlState: state, message: "cannot connect to PostgreSQL at \(location): \(reason)")
    }

    static func statement(_ error: any Error) -> PostgresFailure {
        if let already = error as? PostgresFailure { return already }
        let (state, reason) = explain(error)
        return PostgresFailure(kind: .statement, sqlState: state, message: "PostgreSQL: \(reason)")
    }

    /// SQLSTATE and a printable reason. `PSQLError`'s own description is deliberately vague and its
    /// reflection holds the statement's binds, so the parts are taken one by one.
    static func explain(_ error: any Error) -> (String?, String) {
        guard let e = error as? PSQLError else { return (nil, "\(error)") }
        if let info = e.serverInfo {
            let state = info[.sqlState]
            var text = (info[.message] ?? "server error") + (state.map { " (SQLSTATE \($0))" } ?? "")
            if let detail = info[.detail] { text += ": " + detail }
            return (state, text)
        }
        if let underlying = e.underlying { return (nil, "\(e.code): \(underlying)") }
        return (nil, "\(e.code)")
    }
}
