import GRDB

/// The SQLite schema, as GRDB migrations: one function a migration, each in its own file under
/// `Migrations/` with a comment saying what it does. Migrations only ever append: a new one gets a
/// new name and goes at the end of `migrations`; the names and SQL of the old ones never change.
enum Schema {
    /// Every migration, oldest first.
    static let migrations: [(name: String, migrate: @Sendable (Database) throws -> Void)] = [
        ("v1-drops-and-workflow", v1DropsAndWorkflow),
        ("v2-reprocess-requests", v2ReprocessRequests),
        ("v3-outbound", v3Outbound),
        ("v3-search-index", v3SearchIndex),
        ("v4-search-index-by-writer", v4SearchIndexByWriter),
        ("v5-history-without-current", v5HistoryWithoutCurrent),
        ("v6-lighter-search-index", v6LighterSearchIndex),
        ("v7-resources-in-rowid-tables", v7ResourcesInRowidTables),
        ("v8-ack-files", v8AckFiles),
        ("v9-search-index-only-searched-parameters", v9SearchIndexOnlySearchedParameters),
        ("v10-canonical-identity-keys", v10CanonicalIdentityKeys),
        ("v11-view-journal", v11ViewJournal),
        ("v12-prescriptions", v12Prescriptions),
        ("v13-appointment-search", v13AppointmentSearch),
        ("v14-drop-tally", v14DropTally),
        ("v15-run-order", v15RunOrder),
        ("v16-content-hash-prefix", v16ContentHashPrefix),
        ("v17-lighter-rows", v17LighterRows),
        ("v18-view-key-content-hash", v18ViewKeyContentHash),
    ]

    static var migrator: DatabaseMigrator {
        var m = DatabaseMigrator()
        for migration in migrations {
            m.registerMigration(migration.name, migrate: migration.migrate)
        }
        return m
    }
}
