import PostroomConfig

/// Which stores this build's commands can open. PostgreSQL (docs/POSTGRES.md) has its schema and node
/// coordination in PostroomPostgres, but the pipeline, `serve` and the reading commands still run on
/// SQLite only: until they use the store interface (phase 2), `store.kind` postgres is refused with
/// exit 78 rather than quietly running on the SQLite file.
enum StoreAvailability {
    /// Why the configured store cannot be used, or nil when it can.
    static func refusal(for store: StoreConfig) -> ConfigError? {
        switch store {
        case .sqlite:
            return nil
        case .postgres:
            return ConfigError(key: "store.kind", message: "store kind postgres is not available in this build yet: "
                + "the pipeline, serve and the reading commands still run on SQLite only (docs/POSTGRES.md); "
                + "remove \"store\" or set \"kind\": \"sqlite\"")
        }
    }
}
