/// A check run inside every write transaction of a `PostgresStoreBackend` (docs/POSTGRES.md "Running
/// several nodes"): `begin` is the transaction's first statement (the fencing check of the node's
/// claims), `end` its last (the claims of drops the transaction finished are removed), and
/// `committed` is told which claims went once the commit succeeded.
public protocol WriteFence: AnyObject, Sendable {
    func begin(_ session: PostgresSession) throws
    func end(_ session: PostgresSession) throws -> [String]
    func committed(finished: [String])
}
