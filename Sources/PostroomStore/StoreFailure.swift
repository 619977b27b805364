import GRDB

extension Store.Failure {
    /// `error` said in `context`, still known as a newer build's database when it was one.
    init(_ context: String, wrapping error: any Error) {
        self.init(description: "\(context): \(error)", newerSchema: (error as? Store.Failure)?.newerSchema ?? false)
    }
}

extension Store {
    /// A search asked of a view that does not yet hold every stored version (see `ViewJournal`).
    public struct ViewNotMaterialised: Error, CustomStringConvertible, Sendable {
        public var description: String { "resource versions wait in the view journal; materialise the view before searching" }
    }

    /// What kind of failure a store error is, for the exit code (sysexits): 74 (`EX_IOERR`) when the
    /// database cannot be written (disk full, I/O error, read-only, cannot open, permission), 75
    /// (`EX_TEMPFAIL`) when it is busy or locked; nil for anything else.
    public static func exitCode(for error: any Error) -> Int32? {
        if let failure = error as? Failure { return failure.description.contains("cannot open") ? 74 : nil }
        if let failure = error as? any StoreBackendError { return failure.storeExitCode }
        guard let db = error as? DatabaseError else { return nil }
        switch db.resultCode.primaryResultCode {
        case .SQLITE_FULL, .SQLITE_IOERR, .SQLITE_READONLY, .SQLITE_CANTOPEN, .SQLITE_PERM: return 74
        case .SQLITE_BUSY, .SQLITE_LOCKED: return 75
        default: return nil
        }
    }
}
