/// HL7 v2 escape sequences (DOMAIN.md §6.1): decoding values to their meaning, and escaping text.
public enum HL7Escape {
    /// What a problem with an escape sequence was.
    enum Problem {
        case unknown, unterminated, badHex, unsupported
    }

    /// The first problem among the escape sequences of `range`, without decoding (nil when none).
    static func firstProblem(_ buf: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, delimiters d: HL7Delimiters) -> Problem? {
        var i = range.lowerBound
        while i < range.upperBound {
            guard buf[i] == d.escape else { i += 1; continue }
            var j = i + 1
            while j < range.upperBound, buf[j] != d.escape { j += 1 }
            guard j < range.upperBound else { return .unterminated }
            let body = UnsafeBufferPointer(rebasing: buf[(i + 1)..<j])
            if body.count == 1, [0x46, 0x53, 0x54, 0x52, 0x45, 0x48, 0x4E].contains(body[0]) { i = j + 1; continue }
            if body.count == 3, body[0] == 0x2E, body[1] == 0x62, body[2] == 0x72 { i = j + 1; continue }  // .br
            var problem: Problem?
            var scratch: [UInt8] = []
            _ = decode(body, delimiters: d, into: &scratch) { p, _ in if problem == nil { problem = p } }
            if let problem { return problem }
            i = j + 1
        }
        return nil
    }

    /// Decodes the value in `range`: delimiter escapes, hex data, formatted-text commands.
    ///
    /// `\.br\` and `\.ce\` become a line break, `\.sp n\` n line breaks, `\.sk n\` n spaces;
    /// highlighting, indents, fill modes and character-set switches are dropped; `\Z..\` and
    /// unknown or unterminated sequences are kept literally (validation warns about them).
    static func unescape(_ buf: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, delimiters d: HL7Delimiters, charset: HL7Charset,
                         report: ((Problem, String) -> Void)? = nil) -> String {
        let esc = d.escape
        var hasEscape = false
        for i in range where buf[i] == esc { hasEscape = true; break }
        if !hasEscape { return charset.string(UnsafeBufferPointer(rebasing: buf[range])) }
        var out: [UInt8] = []
        out.reserveCapacity(range.count)
        var i = range.lowerBound
        while i < range.upperBound {
            let b = buf[i]
            guard b == esc else { out.append(b); i += 1; continue }
            var j = i + 1
            while j < range.upperBound, buf[j] != esc { j += 1 }
            guard j < range.upperBound else {
                report?(.unterminated, "")
                out.append(contentsOf: buf[i..<range.upperBound])
                break
            }
            let body = UnsafeBufferPointer(rebasing: buf[(i + 1)..<j])
            if !decode(body, delimiters: d, into: &out, report: report) {
                out.append(contentsOf: buf[i...j])
            }
            i = j + 1
        }
        return charset.string(out)
    }

    /// Appends the meaning of one escape sequence body; false when it is to be kept literally.
    static func decode(_ body: UnsafeBufferPointer<UInt8>, delimiters d: HL7Delimiters, into out: inout [UInt8],
                       report: ((Problem, String) -> Void)?) -> Bool {
        guard let first = body.first else { report?(.unknown, ""); return false }
        let name = String(decoding: body, as: UTF8.self)
        if body.count == 1 {
            switch first {
            case 0x46: out.append(d.field); return true  // F
            case 0x53: out.append(d.component); return true  // S
            case 0x54: out.append(d.subcomponent); return true  // T
            case 0x52: out.append(d.repetition); return true  // R
            case 0x45: out.append(d.escape); return true  // E
            case 0x50: if let t = d.truncation { out.append(t); return true }  // P
            case 0x48, 0x4E: return true  // H, N: highlighting has no plain-text form
            default: break
            }
        }
        switch first {
        case 0x58:  // X: hex data
            let hex = body.dropFirst()
            guard !hex.isEmpty, hex.count % 2 == 0 else { report?(.badHex, name); return false }
            var bytes: [UInt8] = []
            var it = hex.makeIterator()
            while let hi = it.next(), let lo = it.next() {
                guard let h = hexValue(hi), let l = hexValue(lo) else { report?(.badHex, name); return false }
                bytes.append(h << 4 | l)
            }
            out.append(contentsOf: bytes)
            return true
        case 0x5A:  // Z: locally defined, kept as written
            report?(.unsupported, name)
            return false
        case 0x43, 0x4D:  // C, M: character-set switches are dropped
            report?(.unsupported, name)
            return true
        case 0x2E:  // formatted-text command
            let cmd = String(decoding: body.dropFirst().prefix(2), as: UTF8.self)
            let arg = Int(String(decoding: body.dropFirst(3), as: UTF8.self).trimmingSpaces.replacingPlus) ?? 1
            switch cmd {
            case "br", "ce": out.append(0x0A); return true
            case "sp": out.append(contentsOf: repeatElement(0x0A, count: max(1, min(arg, 100)))); return true
            case "sk": out.append(contentsOf: repeatElement(0x20, count: max(1, min(arg, 100)))); return true
            case "in", "ti", "fi", "nf": return true
            default: report?(.unknown, name); return false
            }
        default:
            report?(.unknown, name)
            return false
        }
    }

    @inline(__always) static func hexValue(_ b: UInt8) -> UInt8? {
        switch b {
        case 0x30...0x39: b - 0x30
        case 0x41...0x46: b - 0x41 + 10
        case 0x61...0x66: b - 0x61 + 10
        default: nil
        }
    }

    /// Escapes text for a value written with `delimiters`: delimiters become `\F\ \S\ \T\ \R\ \E\`,
    /// line breaks `\.br\` (or `\X0D\` / `\X0A\` for lone CR/LF).
    public static func escape(_ text: String, delimiters d: HL7Delimiters) -> String {
        // Most text has nothing to escape (an ACK's names and ids): then it is its own answer, without a copy.
        guard text.utf8.contains(where: { needsEscape($0, d) }) else { return text }
        let e = Character(Unicode.Scalar(d.escape))
        var out = ""
        out.reserveCapacity(text.utf8.count)
        var scalars = text.unicodeScalars.makeIterator()
        var pending = scalars.next()
        while let u = pending {
            pending = scalars.next()
            if u.isASCII {
                let b = UInt8(u.value)
                let code: String?
                switch b {
                case d.escape: code = "E"
                case d.field: code = "F"
                case d.component: code = "S"
                case d.subcomponent: code = "T"
                case d.repetition: code = "R"
                case 0x0D:
                    if pending == "\n" { pending = scalars.next() }
                    code = ".br"
                case 0x0A: code = ".br"
                default: code = d.truncation == b ? "P" : nil
                }
                if let code { out.append(e); out += code; out.append(e); continue }
            }
            out.unicodeScalars.append(u)
        }
        return out
    }

    /// Whether an ASCII byte is one `escape` rewrites (a byte of a multi-byte character never is).
    @inline(__always) static func needsEscape(_ b: UInt8, _ d: HL7Delimiters) -> Bool {
        b == d.escape || b == d.field || b == d.component || b == d.subcomponent || b == d.repetition || b == 0x0D || b == 0x0A
            || b == d.truncation
    }
}

extension String {
    /// The text without a leading `+` (for signed formatted-text arguments).
    var replacingPlus: String { hasPrefix("+") ? String(dropFirst()) : self }
}
