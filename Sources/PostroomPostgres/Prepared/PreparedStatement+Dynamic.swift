import PostgresNIO

/// PostgresNIO's prepared statements take their name and text from static members of a type; the
/// store's texts are known only at run time, so `PreparedStatement` reads them from a task-local value,
/// bound around each call (`PostgresSession.prepared`).
enum PreparedText {
    struct Current: Sendable {
        var name = ""
        var sql = ""
    }

    @TaskLocal static var current = Current()
}

/// A prepared statement of the store, run for its rows.
struct PreparedStatement: PostgresPreparedStatement {
    typealias Row = PostgresRow
    static var name: String { PreparedText.current.name }
    static var sql: String { PreparedText.current.sql }
    let bindings: PostgresBindings

    func makeBindings() -> PostgresBindings { bindings }
    func decodeRow(_ row: PostgresRow) -> PostgresRow { row }
}
