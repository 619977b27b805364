/// A strict, lossless JSON parser over UTF-8 bytes (RFC 8259).
///
/// It rejects what FHIR JSON forbids and lenient parsers let through: duplicate member
/// names, invalid UTF-8, trailing content, nesting deeper than `maxDepth`.
public struct JSONParser {
    /// Why a document could not be parsed, with where (1-based line and column).
    public struct Failure: Error, Sendable, Equatable, CustomStringConvertible {
        public var message: String
        public var line: Int
        public var column: Int
        public var description: String { "\(message) at line \(line), column \(column)" }
    }

    public var maxDepth: Int

    public init(maxDepth: Int = 200) { self.maxDepth = maxDepth }

    /// Parses one JSON document; a UTF-8 byte order mark is skipped.
    public func parse<Bytes: Collection<UInt8>>(_ bytes: Bytes) throws(Failure) -> JSONValue {
        let array = Array(bytes)
        let result: Result<JSONValue, Failure> = array.withUnsafeBufferPointer { buf in
            var reader = Reader(buf: buf, maxDepth: maxDepth)
            do throws(Failure) {
                return .success(try reader.document())
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    /// Parses a JSON document held in a string.
    public func parse(_ text: String) throws(Failure) -> JSONValue {
        try parse(Array(text.utf8))
    }
}

private struct Reader {
    let buf: UnsafeBufferPointer<UInt8>
    let maxDepth: Int
    var pos = 0
    var depth = 0

    init(buf: UnsafeBufferPointer<UInt8>, maxDepth: Int) {
        self.buf = buf
        self.maxDepth = maxDepth
    }

    func fail(_ message: String, at offset: Int? = nil) -> JSONParser.Failure {
        let end = min(offset ?? pos, buf.count)
        var line = 1
        var column = 1
        for i in 0..<end {
            if buf[i] == 0x0A { line += 1; column = 1 } else if buf[i] & 0xC0 != 0x80 { column += 1 }
        }
        return JSONParser.Failure(message: message, line: line, column: column)
    }

    mutating func document() throws(JSONParser.Failure) -> JSONValue {
        if buf.count >= 3, buf[0] == 0xEF, buf[1] == 0xBB, buf[2] == 0xBF { pos = 3 }
        skipSpace()
        guard pos < buf.count else { throw fail("empty document") }
        let v = try value()
        skipSpace()
        if pos < buf.count { throw fail("unexpected content after the JSON value") }
        return v
    }

    @inline(__always) mutating func skipSpace() {
        while pos < buf.count {
            switch buf[pos] {
            case 0x20, 0x0A, 0x0D, 0x09: pos += 1
            default: return
            }
        }
    }

    mutating func value() throws(JSONParser.Failure) -> JSONValue {
        guard pos < buf.count else { throw fail("unexpected end of document") }
        switch buf[pos] {
        case UInt8(ascii: "{"): return try object()
        case UInt8(ascii: "["): return try array()
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try number())
        default: throw fail("unexpected character")
        }
    }

    mutating func literal(_ word: StaticString) throws(JSONParser.Failure) {
        let n = word.utf8CodeUnitCount
        guard pos + n <= buf.count else { throw fail("unexpected end of document") }
        let p = word.utf8Start
        for i in 0..<n where buf[pos + i] != p[i] { throw fail("invalid literal") }
        pos += n
    }

    mutating func enter() throws(JSONParser.Failure) {
        depth += 1
        if depth > maxDepth { throw fail("nesting deeper than \(maxDepth) levels") }
    }

    mutating func object() throws(JSONParser.Failure) -> JSONValue {
        try enter()
        pos += 1
        var members: [JSONObject.Member] = []
        skipSpace()
        if pos < buf.count, buf[pos] == UInt8(ascii: "}") {
            pos += 1
            depth -= 1
            return .object(JSONObject(members))
        }
        while true {
            skipSpace()
            guard pos < buf.count, buf[pos] == UInt8(ascii: "\"") else { throw fail("expected a member name") }
            let keyStart = pos
            let key = try string()
            for m in members where m.key == key {
                throw fail("duplicate member name \"\(key)\"", at: keyStart)
            }
            skipSpace()
            guard pos < buf.count, buf[pos] == UInt8(ascii: ":") else { throw fail("expected ':'") }
            pos += 1
            skipSpace()
            let v = try value()
            members.append(JSONObject.Member(key, v))
            skipSpace()
            guard pos < buf.count else { throw fail("unexpected end of document in an object") }
            if buf[pos] == UInt8(ascii: ",") { pos += 1; continue }
            if buf[pos] == UInt8(ascii: "}") { pos += 1; break }
            throw fail("expected ',' or '}'")
        }
        depth -= 1
        return .object(JSONObject(members))
    }

    mutating func array() throws(JSONParser.Failure) -> JSONValue {
        try enter()
        pos += 1
        var items: [JSONValue] = []
        skipSpace()
        if pos < buf.count, buf[pos] == UInt8(ascii: "]") {
            pos += 1
            depth -= 1
            return .array(items)
        }
        while true {
            skipSpace()
            items.append(try value())
            skipSpace()
            guard pos < buf.count else { throw fail("unexpected end of document in an array") }
            if buf[pos] == UInt8(ascii: ",") { pos += 1; continue }
            if buf[pos] == UInt8(ascii: "]") { pos += 1; break }
            throw fail("expected ',' or ']'")
        }
        depth -= 1
        return .array(items)
    }

    mutating func number() throws(JSONParser.Failure) -> String {
        let start = pos
        if buf[pos] == UInt8(ascii: "-") { pos += 1 }
        guard pos < buf.count else { throw fail("invalid number") }
        if buf[pos] == UInt8(ascii: "0") {
            pos += 1
        } else if isDigit(buf[pos]) {
            while pos < buf.count, isDigit(buf[pos]) { pos += 1 }
        } else {
            throw fail("invalid number")
        }
        if pos < buf.count, buf[pos] == UInt8(ascii: ".") {
            pos += 1
            guard pos < buf.count, isDigit(buf[pos]) else { throw fail("invalid number") }
            while pos < buf.count, isDigit(buf[pos]) { pos += 1 }
        }
        if pos < buf.count, buf[pos] == UInt8(ascii: "e") || buf[pos] == UInt8(ascii: "E") {
            pos += 1
            if pos < buf.count, buf[pos] == UInt8(ascii: "+") || buf[pos] == UInt8(ascii: "-") { pos += 1 }
            guard pos < buf.count, isDigit(buf[pos]) else { throw fail("invalid number") }
            while pos < buf.count, isDigit(buf[pos]) { pos += 1 }
        }
        return String(decoding: UnsafeBufferPointer(rebasing: buf[start..<pos]), as: UTF8.self)
    }

    @inline(__always) func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }

    mutating func string() throws(JSONParser.Failure) -> String {
        pos += 1
        let start = pos
        // Fast path: no escapes, ASCII or valid UTF-8.
        var sawHigh = false
        while pos < buf.count {
            let b = buf[pos]
            if b == UInt8(ascii: "\"") {
                let slice = UnsafeBufferPointer(rebasing: buf[start..<pos])
                pos += 1
                if !sawHigh { return String(decoding: slice, as: UTF8.self) }
                guard let s = String(validating: slice, as: UTF8.self) else { throw fail("invalid UTF-8 in a string", at: start) }
                return s
            }
            if b == UInt8(ascii: "\\") { break }
            if b < 0x20 { throw fail("control character in a string") }
            if b >= 0x80 { sawHigh = true }
            pos += 1
        }
        guard pos < buf.count else { throw fail("unterminated string", at: start) }
        // Slow path with escapes.
        var bytes = Array(UnsafeBufferPointer(rebasing: buf[start..<pos]))
        while pos < buf.count {
            let b = buf[pos]
            if b == UInt8(ascii: "\"") {
                pos += 1
                guard let s = String(validating: bytes, as: UTF8.self) else { throw fail("invalid UTF-8 in a string", at: start) }
                return s
            }
            if b < 0x20 { throw fail("control character in a string") }
            if b != UInt8(ascii: "\\") {
                bytes.append(b)
                pos += 1
                continue
            }
            pos += 1
            guard pos < buf.count else { break }
            let e = buf[pos]
            pos += 1
            switch e {
            case UInt8(ascii: "\""): bytes.append(0x22)
            case UInt8(ascii: "\\"): bytes.append(0x5C)
            case UInt8(ascii: "/"): bytes.append(0x2F)
            case UInt8(ascii: "b"): bytes.append(0x08)
            case UInt8(ascii: "f"): bytes.append(0x0C)
            case UInt8(ascii: "n"): bytes.append(0x0A)
            case UInt8(ascii: "r"): bytes.append(0x0D)
            case UInt8(ascii: "t"): bytes.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = try hex4()
                if scalar >= 0xD800 && scalar < 0xDC00 {
                    guard pos + 1 < buf.count, buf[pos] == UInt8(ascii: "\\"), buf[pos + 1] == UInt8(ascii: "u") else {
                        throw fail("unpaired surrogate in a string")
                    }
                    pos += 2
                    let low = try hex4()
                    guard low >= 0xDC00 && low < 0xE000 else { throw fail("unpaired surrogate in a string") }
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                } else if scalar >= 0xDC00 && scalar < 0xE000 {
                    throw fail("unpaired surrogate in a string")
                }
                guard let u = Unicode.Scalar(scalar) else { throw fail("invalid \\u escape") }
                bytes.append(contentsOf: Array(String(Character(u)).utf8))
            default:
                throw fail("invalid escape sequence")
            }
        }
        throw fail("unterminated string", at: start)
    }

    mutating func hex4() throws(JSONParser.Failure) -> UInt32 {
        guard pos + 4 <= buf.count else { throw fail("invalid \\u escape") }
        var v: UInt32 = 0
        for _ in 0..<4 {
            let b = buf[pos]
            let d: UInt32
            switch b {
            case 0x30...0x39: d = UInt32(b - 0x30)
            case 0x41...0x46: d = UInt32(b - 0x41 + 10)
            case 0x61...0x66: d = UInt32(b - 0x61 + 10)
            default: throw fail("invalid \\u escape")
            }
            v = v << 4 | d
            pos += 1
        }
        return v
    }
}
