import Foundation

extension FHIRSpec {
    /// One `E` line: an element relative to its type.
    struct RawElement {
        var relative: String
        var min: Int
        var max: Int
        var types: String
        var valueSet: Int
    }

    /// One `T` block: a type, its kind and base, and its own elements.
    struct RawType {
        var name: String
        var flag: String
        var base: String
        var elements: [RawElement] = []
    }

    /// Parses the generated line format (see `Sources/postroom-fhir-gen/README.md`).
    convenience init(tableText: String) {
        var types: [RawType] = []
        var regexes: [String: String] = [:]
        var openTypes: [String] = []
        var valueSets: [FHIRValueSet] = []
        var pendingVS: (url: String, checked: Bool, note: String?, codes: Set<String>, bySystem: [String: Set<String>])?

        func flushValueSet() {
            guard let p = pendingVS else { return }
            valueSets.append(FHIRValueSet(url: p.url, isChecked: p.checked, note: p.note, codes: p.codes, codesBySystem: p.bySystem))
            pendingVS = nil
        }

        for line in Self.split(tableText[...], at: UInt8(ascii: "\n")) {
            guard line.utf8.count > 2, line.utf8.dropFirst().first == UInt8(ascii: " ") else { continue }
            let tag = line.first
            let body = line.dropFirst(2)
            switch tag {
            case "P":
                let parts = Self.split(body, at: UInt8(ascii: " "), maxSplits: 2)
                if parts.count == 3 { regexes[String(parts[0])] = String(parts[2]) }
            case "O":
                openTypes = Self.split(body, at: UInt8(ascii: " ")).map(String.init)
            case "V":
                flushValueSet()
                let parts = Self.split(body, at: UInt8(ascii: " "), maxSplits: 3)
                guard parts.count >= 3 else { continue }
                pendingVS = (String(parts[1]), parts[2] == "c", parts.count > 3 ? String(parts[3]) : nil, [], [:])
            case "S":
                let parts = Self.split(body, at: UInt8(ascii: " "))
                guard let system = parts.first, pendingVS != nil else { continue }
                let codes = parts.dropFirst().map { Self.unescape($0) }
                pendingVS?.codes.formUnion(codes)
                pendingVS?.bySystem[String(system), default: []].formUnion(codes)
            case "T":
                flushValueSet()
                let parts = Self.split(body, at: UInt8(ascii: " "))
                guard parts.count == 3 else { continue }
                types.append(RawType(name: String(parts[0]), flag: String(parts[1]), base: String(parts[2])))
            case "E":
                let parts = Self.split(body, at: UInt8(ascii: " "))
                guard parts.count >= 4, !types.isEmpty else { continue }
                types[types.count - 1].elements.append(RawElement(
                    relative: String(parts[0]), min: Int(parts[1]) ?? 0, max: parts[2] == "*" ? Int.max : Int(parts[2]) ?? 1,
                    types: String(parts[3]), valueSet: parts.count > 4 ? Int(parts[4]) ?? -1 : -1))
            default:
                continue
            }
        }
        flushValueSet()
        var builder = FHIRSpecBuilder(types: types, openTypes: openTypes)
        builder.build()
        self.init(structures: builder.structures, typeIndex: builder.typeIndex,
                  resourceTypes: Set(types.filter { $0.flag == "r" }.map(\.name)),
                  primitiveRegexes: regexes, valueSets: valueSets, unresolvedTypes: builder.unresolved)
    }

    /// The non-empty pieces of `text` between `separator` bytes, the last piece whole after `maxSplits` splits.
    /// Bytes, not characters: the tables are ASCII, and splitting 200 KB by `Character` was a fifth of
    /// the tables' load (which every process that reads FHIR pays once, before its first drop).
    static func split(_ text: Substring, at separator: UInt8, maxSplits: Int = .max) -> [Substring] {
        var pieces: [Substring] = []
        let bytes = text.utf8
        var start = bytes.startIndex, i = start
        while i < bytes.endIndex {
            if bytes[i] == separator, pieces.count < maxSplits {
                if start < i { pieces.append(text[start..<i]) }
                start = bytes.index(after: i)
            }
            i = bytes.index(after: i)
        }
        if start < bytes.endIndex { pieces.append(text[start...]) }
        return pieces
    }

    static func unescape(_ code: Substring) -> String {
        guard code.utf8.contains(UInt8(ascii: "%")) else { return String(code) }
        return code.replacingOccurrences(of: "%20", with: " ").replacingOccurrences(of: "%25", with: "%")
    }
}
