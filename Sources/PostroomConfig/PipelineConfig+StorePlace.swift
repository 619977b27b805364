import Foundation

extension PipelineConfig {
    /// Whether the store has anything to read yet: the SQLite file exists; a PostgreSQL database is
    /// always there to ask (opening it creates the schema when it is new).
    public var storeExists: Bool {
        if case .postgres = store { return true }
        return FileManager.default.fileExists(atPath: database)
    }

    /// Where the state is, for messages: the SQLite file, or the PostgreSQL server and database (never a password).
    public var storeName: String {
        if case .postgres(let location) = store { return "postgres \(location)" }
        return database
    }

    /// A path on the file system whose `syncfs` makes the store's committed state durable before an
    /// acknowledgement is placed: the SQLite file's. PostgreSQL's commit is durable on its own server,
    /// so the data folder stands in (its sync is then about the pipeline's own files only).
    public var durableStorePath: String {
        if case .postgres = store { return dataFolder }
        return database
    }
}
