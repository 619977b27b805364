import PostroomCore

/// A 64-bit FNV-1a hash of a JSON tree, framed so that two different trees hash alike only by chance:
/// each value is tagged, each string and number ends with 0xFF (never a UTF-8 byte), and each array and
/// object is closed. Kept with a version's view key (`view_key.content_hash`) so that a resource stored
/// `unlessUnchanged` is known changed without its stored JSON being read. Equal hashes prove nothing:
/// the JSON is then compared.
enum ContentHash {
    static func of(_ object: JSONObject) -> Int64 {
        var h = FNV1a()
        h.add(object)
        return Int64(bitPattern: h.value)
    }
}

private struct FNV1a {
    var value: UInt64 = 0xcbf2_9ce4_8422_2325

    mutating func byte(_ b: UInt8) {
        value = (value ^ UInt64(b)) &* 0x0000_0100_0000_01b3
    }

    mutating func text(_ s: String) {
        var s = s
        s.withUTF8 { for b in $0 { byte(b) } }
        byte(0xFF)
    }

    mutating func add(_ o: JSONObject) {
        byte(UInt8(ascii: "{"))
        for m in o.members {
            text(m.key)
            add(m.value)
        }
        byte(UInt8(ascii: "}"))
    }

    mutating func add(_ v: JSONValue) {
        switch v {
        case .null: byte(UInt8(ascii: "n"))
        case .bool(let b): byte(b ? UInt8(ascii: "t") : UInt8(ascii: "f"))
        case .number(let n): byte(UInt8(ascii: "#")); text(n)
        case .string(let s): byte(UInt8(ascii: "\"")); text(s)
        case .array(let a):
            byte(UInt8(ascii: "["))
            for e in a { add(e) }
            byte(UInt8(ascii: "]"))
        case .object(let o): add(o)
        }
    }
}
