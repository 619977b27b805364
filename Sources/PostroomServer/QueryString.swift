/// Parses `application/x-www-form-urlencoded` text and URL queries into ordered name/value pairs.
enum QueryString {
    /// The pairs of `query` (without its `?`), percent-decoded; nil when an escape is broken or not UTF-8.
    ///
    /// - Parameter plusIsSpace: form bodies write spaces as `+`; URL queries keep `+` (FHIR time zones).
    static func parse(_ query: String?, plusIsSpace: Bool = false) -> [(name: String, value: String)]? {
        guard let query, !query.isEmpty else { return [] }
        var out: [(String, String)] = []
        for part in query.split(separator: "&", omittingEmptySubsequences: true) {
            let pieces = part.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = decode(pieces[0], plusIsSpace: plusIsSpace) else { return nil }
            let value = pieces.count > 1 ? decode(pieces[1], plusIsSpace: plusIsSpace) : ""
            guard let value else { return nil }
            out.append((name, value))
        }
        return out
    }

    /// Percent-decodes one component.
    static func decode(_ s: Substring, plusIsSpace: Bool) -> String? {
        var bytes: [UInt8] = []
        var u = Array(s.utf8)[...]
        while let b = u.popFirst() {
            if b == UInt8(ascii: "%") {
                guard u.count >= 2, let hi = hexValue(u[u.startIndex]), let lo = hexValue(u[u.startIndex + 1]) else { return nil }
                bytes.append(hi << 4 | lo)
                u = u.dropFirst(2)
            } else if b == UInt8(ascii: "+") && plusIsSpace {
                bytes.append(UInt8(ascii: " "))
            } else {
                bytes.append(b)
            }
        }
        return String(validating: bytes, as: UTF8.self)
    }

    static func hexValue(_ b: UInt8) -> UInt8? {
        switch b {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): b - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): b - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): b - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    /// Percent-encodes a query component (unreserved characters stay as they are).
    static func encode(_ s: String) -> String {
        var out = ""
        for b in s.utf8 {
            switch b {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"), UInt8(ascii: ":"), UInt8(ascii: "/"):
                out.unicodeScalars.append(Unicode.Scalar(b))
            default:
                out += "%" + String(b, radix: 16, uppercase: true).leftPadded(to: 2)
            }
        }
        return out
    }
}

extension String {
    /// The string with `0`s in front up to `width` characters.
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
