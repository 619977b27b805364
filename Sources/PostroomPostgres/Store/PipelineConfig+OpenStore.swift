import PostroomConfig
import PostroomStore

extension PipelineConfig {
    /// The configured store: the SQLite file at `database`, or PostgreSQL (`store.kind` postgres, one
    /// node), its schema migrated on first use.
    ///
    /// - Parameter readOnly: SQLite: open for reading only (the file must exist). PostgreSQL: reads take
    ///   their own read-only transactions whatever this says.
    public func openStore(readOnly: Bool = false) throws -> Store {
        switch store {
        case .sqlite:
            return try Store(path: database, readOnly: readOnly, identity: identity)
        case .postgres(let location):
            return try Store(backend: PostgresStoreBackend(location), identity: identity)
        }
    }
}
