import Dispatch
import PostgresNIO

/// What a prepared statement gave: its rows (when they were asked for) and the rows it changed.
struct PreparedResult: Sendable {
    var rows: [PostgresRow]
    var changes: Int
}

extension PostgresSession {
    /// Runs `text` (the store's SQL; `translate` turns it into PostgreSQL's dialect the first time) as a named prepared statement of this
    /// session (`PreparedStatements`): parsed and planned by the server the first time, only bound and
    /// executed afterwards. `types` tells the arguments' types apart (one code each, NULL its own), as
    /// the statement is prepared with the types of its first arguments. The rows it changed are the
    /// rows it gives (`PreparedStatements.countingChanges`).
    func prepared(_ text: String, _ bindings: PostgresBindings, types: [UInt8],
                  translate: (String) -> String) throws(PostgresFailure) -> PreparedResult {
        let key = PreparedStatements.Key(text: text, types: types)
        let entry = statements.entry(for: key, translate: translate)
        let current = PreparedText.Current(name: entry.name, sql: entry.sql)
        let connection = self.connection
        let logger = self.logger
        let outcome = Self.blocking(on: taskExecutor) { () async throws -> PreparedResult in
            try await PreparedText.$current.withValue(current) {
                var rows: [PostgresRow] = []
                for try await row in try await connection.execute(PreparedStatement(bindings: bindings), logger: logger) {
                    rows.append(row)
                }
                return PreparedResult(rows: rows, changes: rows.count)
            }
        }
        switch outcome {
        case .success(let result):
            statements.succeeded(key)
            try settle()
            return result
        case .failure(let error):
            let failure = PostgresFailure.statement(error)
            statements.failed(key, sqlState: failure.sqlState)
            try settle()  // a statement sent before it failed first: that is the cause
            throw failure
        }
    }

    /// How many texts this session has prepared (with their argument types).
    public var preparedStatementCount: Int { statements.names }

    /// Runs `body` as a task on the connection's event loop and blocks the calling thread (never an
    /// event loop thread) until it has finished.
    static func blocking<T: Sendable>(on executor: EventLoopTaskExecutor,
                                      _ body: @escaping @Sendable () async throws -> T) -> Result<T, any Error> {
        let box = BlockingResult<T>()
        Task(executorPreference: executor) {
            do { box.result = .success(try await body()) } catch { box.result = .failure(error) }
            box.done.signal()
        }
        box.done.wait()
        return box.result ?? .failure(CancellationError())
    }
}

/// The result a blocked thread waits for; written once by the task before it signals.
private final class BlockingResult<T>: @unchecked Sendable {
    var result: Result<T, any Error>?
    let done = DispatchSemaphore(value: 0)
}
