/// Hand-written matchers for the lexical forms of FHIR R4 primitives (the regexes of the
/// core package, plus the calendar check that a regex cannot express).
struct FHIRPrimitiveMatcher {
    let bytes: UnsafeBufferPointer<UInt8>

    /// The largest string FHIR allows (1 MB).
    static let maxStringBytes = 1_048_576

    /// Why `bytes` is not a valid `primitive`, or nil.
    func problem(for primitive: FHIRPrimitive) -> String? {
        if bytes.isEmpty { return "must not be empty" }
        switch primitive {
        case .string, .markdown: return stringProblem()
        case .xhtml: return xhtmlProblem()
        case .code: return codeProblem()
        case .id: return idProblem()
        case .uri, .url, .canonical: return uriProblem()
        case .oid: return oidProblem()
        case .uuid: return uuidProblem()
        case .base64Binary: return base64Problem()
        case .boolean: return nil
        case .integer: return integerProblem(allowNegative: true, minimum: Int64(Int32.min))
        case .positiveInt: return integerProblem(allowNegative: false, minimum: 1)
        case .unsignedInt: return integerProblem(allowNegative: false, minimum: 0)
        case .decimal: return decimalProblem()
        case .date: return dateTime(allowTime: false, requireTime: false)
        case .dateTime: return dateTime(allowTime: true, requireTime: false)
        case .instant: return dateTime(allowTime: true, requireTime: true)
        case .time:
            var i = 0
            guard time(&i), i == bytes.count else { return "is not a time hh:mm:ss" }
            return nil
        }
    }

    @inline(__always) static func isSpace(_ b: UInt8) -> Bool {
        b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D || b == 0x0B || b == 0x0C
    }

    @inline(__always) static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }

    func stringProblem() -> String? {
        if bytes.count > Self.maxStringBytes { return "is longer than 1 MB" }
        var sawContent = false
        for b in bytes {
            if b < 0x20 && b != 0x09 && b != 0x0A && b != 0x0D { return "contains a control character" }
            if !Self.isSpace(b) { sawContent = true }
        }
        return sawContent ? nil : "must not be only whitespace"
    }

    func xhtmlProblem() -> String? {
        if let p = stringProblem() { return p }
        var i = 0
        while i < bytes.count, Self.isSpace(bytes[i]) { i += 1 }
        let div: [UInt8] = Array("<div".utf8)
        guard bytes.count - i >= 4, (0..<4).allSatisfy({ bytes[i + $0] == div[$0] }) else {
            return "must be an XHTML <div> element"
        }
        return nil
    }

    func codeProblem() -> String? {
        if Self.isSpace(bytes[0]) || Self.isSpace(bytes[bytes.count - 1]) { return "has leading or trailing whitespace" }
        var previousSpace = false
        for b in bytes {
            let space = Self.isSpace(b)
            if space && previousSpace { return "has repeated whitespace" }
            if b < 0x20 && !space { return "contains a control character" }
            previousSpace = space
        }
        return nil
    }

    func idProblem() -> String? {
        if bytes.count > 64 { return "is longer than 64 characters" }
        for b in bytes {
            switch b {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "."):
                continue
            default: return "may only hold A–Z, a–z, 0–9, '-' and '.'"
            }
        }
        return nil
    }

    func uriProblem() -> String? {
        for b in bytes where Self.isSpace(b) || b < 0x20 { return "contains whitespace" }
        return nil
    }

    func hasPrefix(_ prefix: StaticString) -> Bool {
        let n = prefix.utf8CodeUnitCount
        guard bytes.count >= n else { return false }
        let p = prefix.utf8Start
        for i in 0..<n where bytes[i] != p[i] { return false }
        return true
    }

    func oidProblem() -> String? {
        guard hasPrefix("urn:oid:") else { return "must start with urn:oid:" }
        var i = 8
        guard i < bytes.count, bytes[i] >= UInt8(ascii: "0"), bytes[i] <= UInt8(ascii: "2") else { return "is not an OID" }
        i += 1
        var arcs = 0
        while i < bytes.count {
            guard bytes[i] == UInt8(ascii: "."), i + 1 < bytes.count, Self.isDigit(bytes[i + 1]) else { return "is not an OID" }
            i += 1
            let start = i
            while i < bytes.count, Self.isDigit(bytes[i]) { i += 1 }
            if bytes[start] == UInt8(ascii: "0") && i - start > 1 { return "is not an OID (leading zero)" }
            arcs += 1
        }
        return arcs > 0 ? nil : "is not an OID"
    }

    func uuidProblem() -> String? {
        guard hasPrefix("urn:uuid:"), bytes.count == 45 else { return "must be urn:uuid: followed by a UUID" }
        for i in 9..<45 {
            let b = bytes[i]
            if i == 17 || i == 22 || i == 27 || i == 32 {
                if b != UInt8(ascii: "-") { return "must be urn:uuid: followed by a UUID" }
            } else if !(Self.isDigit(b) || (b >= UInt8(ascii: "a") && b <= UInt8(ascii: "f"))) {
                return "must be urn:uuid: followed by a lower-case UUID"
            }
        }
        return nil
    }

    func base64Problem() -> String? {
        var count = 0
        for b in bytes {
            switch b {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "+"), UInt8(ascii: "/"), UInt8(ascii: "="):
                count += 1
            default:
                if !Self.isSpace(b) { return "is not base64" }
                if count % 4 != 0 { return "is not base64 (whitespace inside a group of four)" }
            }
        }
        return count > 0 && count % 4 == 0 ? nil : "is not base64 (length is not a multiple of 4)"
    }

    func integerProblem(allowNegative: Bool, minimum: Int64) -> String? {
        var i = 0
        var negative = false
        if bytes[0] == UInt8(ascii: "-") {
            guard allowNegative else { return "must not be negative" }
            negative = true
            i = 1
        }
        guard i < bytes.count else { return "is not an integer" }
        if bytes[i] == UInt8(ascii: "0") && bytes.count - i > 1 { return "is not an integer" }
        var value: Int64 = 0
        while i < bytes.count {
            guard Self.isDigit(bytes[i]) else { return "is not an integer" }
            value = value * 10 + Int64(bytes[i] - 0x30)
            if value > 2_147_483_648 { return "is out of the 32-bit range" }
            i += 1
        }
        if negative { value = -value }
        if value > Int64(Int32.max) { return "is out of the 32-bit range" }
        if value < minimum { return minimum == 1 ? "must be 1 or more" : "is out of range" }
        return nil
    }

    func decimalProblem() -> String? {
        var i = 0
        if bytes[0] == UInt8(ascii: "-") { i = 1 }
        guard i < bytes.count, Self.isDigit(bytes[i]) else { return "is not a decimal" }
        if bytes[i] == UInt8(ascii: "0") { i += 1 } else { while i < bytes.count, Self.isDigit(bytes[i]) { i += 1 } }
        if i < bytes.count, bytes[i] == UInt8(ascii: ".") {
            i += 1
            guard i < bytes.count, Self.isDigit(bytes[i]) else { return "is not a decimal" }
            while i < bytes.count, Self.isDigit(bytes[i]) { i += 1 }
        }
        if i < bytes.count, bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") {
            i += 1
            if i < bytes.count, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") { i += 1 }
            guard i < bytes.count, Self.isDigit(bytes[i]) else { return "is not a decimal" }
            while i < bytes.count, Self.isDigit(bytes[i]) { i += 1 }
        }
        return i == bytes.count ? nil : "is not a decimal"
    }
}
