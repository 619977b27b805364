/// The programs measured side by side on the same loads.
enum Program: String, Sendable, CaseIterable {
    /// `postroom run --once` on a fresh data folder.
    case postroom
    /// The I/O floor in C from `../shared/bench` (claim, read, hash, one row, an ACK file, tar.gz; no parsing).
    case floor
    /// The Python peer from `../shared/bench` (python-hl7, fhir.resources, lxml, sqlite3, tarfile; 2 workers).
    case peer
}
