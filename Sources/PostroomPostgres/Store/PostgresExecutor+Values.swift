import Foundation
import NIOCore
import PostgresNIO
import PostroomStore

/// Arguments bound and values read (see `PostgresExecutor`).
extension PostgresExecutor {
    static func bind(_ value: SQLValue, into binds: inout PostgresBindings) {
        switch value {
        case .null: binds.appendNull()
        case .int(let i): binds.append(i)
        case .double(let d): binds.append(d)
        case .text(let s): binds.append(s)
        case .blob(let b): binds.append(ByteBuffer(bytes: b))
        }
    }

    /// The kind of a bound argument, which names a prepared statement's variant (NULL is sent untyped).
    static func typeCode(_ value: SQLValue) -> UInt8 {
        switch value {
        case .null: 0
        case .int: 1
        case .double: 2
        case .text: 3
        case .blob: 4
        }
    }

    /// One cell as the SQLite executor would give it.
    static func value(_ cell: PostgresCell) throws -> SQLValue {
        guard var bytes = cell.bytes else { return .null }
        switch cell.dataType {
        case .int2, .int4, .int8, .oid:
            return .int(try cell.decode(Int64.self))
        case .bool:
            return .int(try cell.decode(Bool.self) ? 1 : 0)
        case .float4, .float8:
            return .double(try cell.decode(Double.self))
        case .numeric:
            let d = try cell.decode(Decimal.self)
            if let i = Int64(exactly: NSDecimalNumber(decimal: d).doubleValue), Decimal(i) == d { return .int(i) }
            return .double(NSDecimalNumber(decimal: d).doubleValue)
        case .bytea:
            return .blob(bytes.readBytes(length: bytes.readableBytes) ?? [])
        default:
            return .text(try cell.decode(String.self))
        }
    }
}
