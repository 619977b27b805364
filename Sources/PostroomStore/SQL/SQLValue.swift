import Foundation

/// One value as a SQL database stores it: what an executor binds and what it reads back. Our own
/// type, so that the store's logic does not depend on one database library (see `SQLExecutor`).
public enum SQLValue: Sendable, Hashable {
    case null
    case int(Int64)
    case double(Double)
    case text(String)
    /// Bytes, as the store holds them (JSON, compressed records, acknowledgements): bound and read
    /// without a conversion through `Data`.
    case blob([UInt8])
}

/// A Swift value that can be bound as a statement argument.
public protocol SQLValueConvertible {
    var sqlValue: SQLValue { get }
}

/// One statement argument (nil binds NULL).
public typealias SQLArgument = (any SQLValueConvertible)?

/// A Swift value that can be read from a column. `decode` returns nil for NULL and for a value of
/// a storage class it cannot take (the conversions are GRDB's: an integer from an exact double, a
/// Bool from any number, text from a UTF-8 blob, bytes from text).
public protocol SQLDecodable {
    static func decode(_ value: SQLValue) -> Self?
}

extension SQLValue: SQLValueConvertible {
    public var sqlValue: SQLValue { self }
}

extension Int64: SQLValueConvertible, SQLDecodable {
    public var sqlValue: SQLValue { .int(self) }
    public static func decode(_ value: SQLValue) -> Int64? {
        switch value {
        case .int(let i): return i
        case .double(let d): return Int64(exactly: d)
        default: return nil
        }
    }
}

extension Int: SQLValueConvertible, SQLDecodable {
    public var sqlValue: SQLValue { .int(Int64(self)) }
    public static func decode(_ value: SQLValue) -> Int? { Int64.decode(value).flatMap { Int(exactly: $0) } }
}

extension Int32: SQLValueConvertible, SQLDecodable {
    public var sqlValue: SQLValue { .int(Int64(self)) }
    public static func decode(_ value: SQLValue) -> Int32? { Int64.decode(value).flatMap { Int32(exactly: $0) } }
}

extension Double: SQLValueConvertible, SQLDecodable {
    public var sqlValue: SQLValue { .double(self) }
    public static func decode(_ value: SQLValue) -> Double? {
        switch value {
        case .int(let i): return Double(i)
        case .double(let d): return d
        default: return nil
        }
    }
}

/// Stored as the integers 0 and 1.
extension Bool: SQLValueConvertible, SQLDecodable {
    public var sqlValue: SQLValue { .int(self ? 1 : 0) }
    public static func decode(_ value: SQLValue) -> Bool? {
        switch value {
        case .int(let i): return i != 0
        case .double(let d): return d != 0
        default: return nil
        }
    }
}

extension String: SQLValueConvertible, SQLDecodable {
    public var sqlValue: SQLValue { .text(self) }
    public static func decode(_ value: SQLValue) -> String? {
        switch value {
        case .text(let s): return s
        case .blob(let b): return String(bytes: b, encoding: .utf8)
        default: return nil
        }
    }
}

extension Data: SQLValueConvertible, SQLDecodable {
    public var sqlValue: SQLValue { .blob([UInt8](self)) }
    public static func decode(_ value: SQLValue) -> Data? { [UInt8].decode(value).map { Data($0) } }
}

extension Array: SQLValueConvertible where Element == UInt8 {
    public var sqlValue: SQLValue { .blob(self) }
}

extension Array: SQLDecodable where Element == UInt8 {
    public static func decode(_ value: SQLValue) -> [UInt8]? {
        switch value {
        case .blob(let b): return b
        case .text(let s): return Array(s.utf8)
        default: return nil
        }
    }
}
