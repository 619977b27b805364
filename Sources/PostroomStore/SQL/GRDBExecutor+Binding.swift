import GRDB
import GRDBSQLite

/// Arguments bound and values read straight on the `sqlite3_stmt` (see `GRDBExecutor`).
extension GRDBExecutor {
    /// SQLite copies a value bound with this destructor before the call returns.
    static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    /// Resets `s` and binds `arguments` to its parameters, in order (`?NNN` parameters count up to
    /// the highest number used). A count that does not match is an error, as with GRDB.
    @inline(__always)
    func bind(_ s: SQLiteStatement, _ arguments: [SQLArgument], _ sql: SQL) throws {
        sqlite3_reset(s)
        guard Int(sqlite3_bind_parameter_count(s)) == arguments.count else {
            throw DatabaseError(resultCode: .SQLITE_MISUSE, message: "wrong number of statement arguments: \(arguments.count)",
                                sql: sql.text)
        }
        var index: CInt = 1
        for argument in arguments {
            let code = Self.bind(argument?.sqlValue ?? .null, to: s, at: index)
            guard code == SQLITE_OK else { throw failure(code, sql) }
            index += 1
        }
    }

    @inline(__always)
    static func bind(_ value: SQLValue, to s: SQLiteStatement, at index: CInt) -> CInt {
        switch value {
        case .null:
            return sqlite3_bind_null(s, index)
        case .int(let i):
            return sqlite3_bind_int64(s, index, i)
        case .double(let d):
            return sqlite3_bind_double(s, index, d)
        case .text(var text):
            return text.withUTF8 { p in
                // An empty buffer may have no address, which SQLite would bind as NULL.
                guard let base = p.baseAddress else { return sqlite3_bind_text(s, index, "", 0, transient) }
                return sqlite3_bind_text(s, index, UnsafeRawPointer(base).assumingMemoryBound(to: CChar.self), CInt(p.count), transient)
            }
        case .blob(let bytes):
            return bytes.withUnsafeBytes { p in
                guard let base = p.baseAddress, !p.isEmpty else { return sqlite3_bind_zeroblob(s, index, 0) }
                return sqlite3_bind_blob(s, index, base, CInt(p.count), transient)
            }
        }
    }

    /// Leaves a statement reset and without bindings (no read lock held, no copy of an argument kept).
    @inline(__always)
    static func release(_ s: SQLiteStatement) {
        sqlite3_reset(s)
        sqlite3_clear_bindings(s)
    }

    static func values(_ s: SQLiteStatement, count: CInt) -> [SQLValue] {
        var out: [SQLValue] = []
        out.reserveCapacity(Int(count))
        var i: CInt = 0
        while i < count {
            out.append(value(s, i))
            i += 1
        }
        return out
    }

    @inline(__always)
    static func value(_ s: SQLiteStatement, _ index: CInt) -> SQLValue {
        switch sqlite3_column_type(s, index) {
        case SQLITE_NULL:
            return .null
        case SQLITE_INTEGER:
            return .int(sqlite3_column_int64(s, index))
        case SQLITE_FLOAT:
            return .double(sqlite3_column_double(s, index))
        case SQLITE_TEXT:
            guard let p = sqlite3_column_text(s, index) else { return .text("") }
            return .text(String(decoding: UnsafeBufferPointer(start: p, count: Int(sqlite3_column_bytes(s, index))), as: UTF8.self))
        default:
            guard let p = sqlite3_column_blob(s, index) else { return .blob([]) }
            return .blob([UInt8](UnsafeRawBufferPointer(start: p, count: Int(sqlite3_column_bytes(s, index)))))
        }
    }
}
