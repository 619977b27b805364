/// One row of a result: its values in column order, readable by index or by column name.
///
/// Reading NULL or a value of the wrong kind into a non-optional type is a programming error and
/// stops the process, as with GRDB's rows; read into an optional where NULL is possible.
public struct SQLRow: Sendable, Hashable {
    /// The column names of the result (one array shared by all its rows).
    public let columns: [String]
    public let values: [SQLValue]

    public init(columns: [String], values: [SQLValue]) {
        self.columns = columns
        self.values = values
    }

    public var count: Int { values.count }

    /// The index of a column (exact name first, then case-insensitively as SQL does).
    public func index(of column: String) -> Int? {
        columns.firstIndex(of: column) ?? columns.firstIndex { $0.lowercased() == column.lowercased() }
    }

    public subscript<T: SQLDecodable>(_ index: Int) -> T? {
        T.decode(values[index])
    }

    public subscript<T: SQLDecodable>(_ index: Int) -> T {
        guard let v = T.decode(values[index]) else {
            preconditionFailure("column \(index) (\(columns.indices.contains(index) ? columns[index] : "?")) holds \(values[index]), not a \(T.self)")
        }
        return v
    }

    public subscript<T: SQLDecodable>(_ column: String) -> T? {
        guard let i = index(of: column) else { preconditionFailure("no column \(column) in \(columns)") }
        return self[i]
    }

    public subscript<T: SQLDecodable>(_ column: String) -> T {
        guard let i = index(of: column) else { preconditionFailure("no column \(column) in \(columns)") }
        return self[i]
    }
}
