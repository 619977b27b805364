import PostroomCore
import PostroomStore

/// A checked FHIR search: the criteria for the store, paging, includes, and the canonical query for links.
struct FHIRSearchRequest: Sendable {
    var type: String
    var criteria: [SearchCriterion] = []
    var count = FHIRSearchParameters.defaultCount
    var offset = 0
    /// `_cursor`: the page starts after this id (keyset paging; what `next` links carry).
    var after: String?
    /// `_total`: none, estimate (exact up to `FHIRSearchParameters.totalBound`, else left out), accurate.
    var total = SearchTotal.bounded(FHIRSearchParameters.totalBound)
    var includes: [String] = []
    /// The accepted parameters (not `_count`/`_offset`), to rebuild `self`/`next` links.
    var echoed: [(name: String, value: String)] = []

    static let codes: [String: Set<String>] = [
        "ServiceRequest": ["draft", "active", "on-hold", "revoked", "completed", "entered-in-error", "unknown"],
        "Task": Set(TaskStatus.allCases.map(\.rawValue)),
        "DiagnosticReport": ["registered", "partial", "preliminary", "final", "amended", "corrected", "appended", "cancelled",
                             "entered-in-error", "unknown"],
        "Appointment": ["proposed", "pending", "booked", "arrived", "fulfilled", "cancelled", "noshow", "entered-in-error", "checked-in",
                        "waitlist"],
    ]

    /// Checks a search's parameters; unknown names and bad values throw a `FHIRFailure` (400).
    init(type: String, query: [(name: String, value: String)]) throws(FHIRFailure) {
        self.type = type
        var alternatives = 0
        let supported = FHIRSearchParameters.parameters[type] ?? []
        for (name, value) in query {
            switch name {
            case "_count":
                count = min(try Self.wholeNumber(name, value), FHIRSearchParameters.maxCount)
                continue
            case "_offset":
                offset = try Self.wholeNumber(name, value)
                continue
            case "_cursor":
                guard Self.isID(value) else { throw .invalid(name, "is not a cursor this server gave out") }
                after = value
                continue
            case "_total":
                switch value {
                case "none": total = .none
                case "estimate": total = .bounded(FHIRSearchParameters.totalBound)
                case "accurate": total = .accurate
                default: throw .invalid(name, "must be none, estimate or accurate")
                }
            case "_include":
                let allowed = FHIRSearchParameters.includes[type] ?? []
                guard allowed.contains(where: { $0.value == value }) else {
                    throw FHIRFailure(status: .badRequest, type: "not-supported", code: .searchIncludeUnsupported,
                                      text: "_include is supported only as " + (allowed.isEmpty ? "nothing for \(type)"
                                          : allowed.map(\.value).joined(separator: ", ")) + " here")
                }
                if !includes.contains(value) { includes.append(value) }
            case "_format":
                guard ["json", "application/json", "application/fhir+json"].contains(value) else {
                    throw FHIRFailure(status: .notAcceptable, type: "not-supported", code: .formatUnsupported,
                                      text: "Only JSON (application/fhir+json) is served")
                }
            default:
                guard let p = supported.first(where: { $0.name == name }) else { throw .unknownParameter(name, type: type) }
                guard !value.isEmpty else { throw .invalid(name, "is empty") }
                alternatives += Self.split(value, on: ",", keepEscapes: true).count
                guard alternatives <= FHIRSearchParameters.maxAlternatives else {
                    throw FHIRFailure(status: .badRequest, type: "too-costly", code: .searchTooManyAlternatives,
                                      text: "A search may hold at most \(FHIRSearchParameters.maxAlternatives) values in all "
                                          + "(comma-separated alternatives, across parameters); split it into several searches")
                }
                criteria.append(try Self.criterion(p, value: value, type: type))
            }
            echoed.append((name, value))
        }
    }

    /// A paging parameter: a whole number from 0 to `FHIRSearchParameters.maxOffset`.
    static func wholeNumber(_ name: String, _ value: String) throws(FHIRFailure) -> Int {
        guard !value.isEmpty, value.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else {
            throw .invalid(name, "must be a whole number, 0 or more")
        }
        guard let n = Int(value), n <= FHIRSearchParameters.maxOffset else {
            throw .invalid(name, "must be at most \(FHIRSearchParameters.maxOffset)")
        }
        return n
    }

    static func criterion(_ p: FHIRSearchParameters.Parameter, value: String, type: String) throws(FHIRFailure) -> SearchCriterion {
        let alternatives = split(value, on: ",", keepEscapes: true)
        guard !alternatives.contains(where: \.isEmpty) else { throw .invalid(p.name, "has an empty alternative") }
        switch p.kind {
        case .token:
            var tokens: [SearchCriterion.Token] = []
            for a in alternatives {
                let t = try token(a, name: p.name)
                if p.codeOnly {
                    guard let code = t.code, codes[type]?.contains(code) ?? true else {
                        throw .invalid(p.name, "is not a \(type).status code")
                    }
                }
                tokens.append(t)
            }
            return SearchCriterion(name: p.name, match: .token(tokens, codeOnly: p.codeOnly))
        case .referenceIdentifier:
            var tokens: [SearchCriterion.Token] = []
            for a in alternatives { tokens.append(try token(a, name: p.name)) }
            if p.name == "subject:identifier" {
                return SearchCriterion(name: p.name, match: .subjectIdentifier(tokens))
            }
            if p.name == "based-on:identifier" || p.name == "related:identifier" || p.name == "focus:identifier" {
                return SearchCriterion(name: p.name, match: .requestIdentifier(tokens))
            }
            return SearchCriterion(name: p.name, match: .token(tokens, codeOnly: false))
        case .reference:
            var refs: [String] = []
            for a in alternatives { refs += try references(unescape(a), name: p.name, targets: p.targets) }
            return SearchCriterion(name: p.name, match: .reference(refs))
        case .date:
            var bounds: [SearchCriterion.DateBound] = []
            for a in alternatives {
                switch FHIRDateParameter.parse(unescape(a)) {
                case .success(let b): bounds.append(b)
                case .failure(.unsupportedPrefix):
                    throw FHIRFailure(status: .badRequest, type: "not-supported", code: .searchPrefixUnsupported,
                                      text: "The prefixes supported for '\(p.name)' are eq, ne, lt, gt, le and ge")
                case .failure:
                    throw .invalid(p.name, "is not a date such as 2026-11, 2026-11-20 or 2026-11-20T10:00:00Z, with an optional prefix eq, ne, lt, gt, le or ge")
                }
            }
            return SearchCriterion(name: p.name, match: .date(bounds))
        }
    }

    /// `system|code`, `|code`, `code`, `system|` (FHIR escapes `\|`, `\,`, `\$`, `\\` honoured).
    static func token(_ text: String, name: String) throws(FHIRFailure) -> SearchCriterion.Token {
        let parts = split(text, on: "|")
        switch parts.count {
        case 1:
            return SearchCriterion.Token(system: .any, code: parts[0])
        case 2:
            let system: SearchCriterion.Token.System = parts[0].isEmpty ? .none : .exact(parts[0])
            if parts[1].isEmpty {
                guard case .exact = system else { throw .invalid(name, "needs a code or a system") }
                return SearchCriterion.Token(system: system, code: nil)
            }
            return SearchCriterion.Token(system: system, code: parts[1])
        default:
            throw .invalid(name, "must be code, |code, system|code or system| (escape a literal | as \\|)")
        }
    }

    /// The stored reference strings a reference value may match: `Type/id`, an id (any allowed target type), or an absolute URL.
    static func references(_ text: String, name: String, targets: [String]) throws(FHIRFailure) -> [String] {
        if text.hasPrefix("urn:uuid:") || text.hasPrefix("urn:oid:") { return [text] }
        let parts = text.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        if text.contains("://") {
            guard parts.count >= 2, isType(parts[parts.count - 2]), isID(parts[parts.count - 1]) else {
                throw .invalid(name, "must be Type/id, an id, or an absolute URL ending in Type/id")
            }
            return [text, parts[parts.count - 2] + "/" + parts[parts.count - 1]]
        }
        switch parts.count {
        case 1:
            guard isID(text) else { throw .invalid(name, "is not a valid FHIR id") }
            return targets.map { $0 + "/" + text }
        case 2:
            guard isType(parts[0]), isID(parts[1]) else { throw .invalid(name, "must be Type/id or an id") }
            return [text]
        default:
            throw .invalid(name, "must be Type/id or an id")
        }
    }

    static func isType(_ s: String) -> Bool {
        guard let f = s.unicodeScalars.first, f.properties.isUppercase else { return false }
        return s.unicodeScalars.allSatisfy { $0.isASCII && $0.properties.isAlphabetic }
    }

    /// `[A-Za-z0-9\-\.]{1,64}`.
    static func isID(_ s: String) -> Bool {
        !s.isEmpty && s.utf8.count <= 64 && s.utf8.allSatisfy {
            ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x61 && $0 <= 0x7A) || $0 == 0x2D || $0 == 0x2E
        }
    }

    /// Removes FHIR's backslash escapes.
    static func unescape(_ s: String) -> String { split(s, on: "\u{0}").joined() }

    /// Splits on `separator` where it is not escaped by a backslash; unescapes `\x` to `x` unless `keepEscapes`.
    static func split(_ s: String, on separator: Character, keepEscapes: Bool = false) -> [String] {
        var out: [String] = []
        var current = ""
        var escaped = false
        for c in s {
            if escaped {
                current.append(c)
                escaped = false
            } else if c == "\\" {
                escaped = true
                if keepEscapes { current.append(c) }
            } else if c == separator {
                out.append(current)
                current = ""
            } else {
                current.append(c)
            }
        }
        if escaped && !keepEscapes { current.append("\\") }
        out.append(current)
        return out
    }
}
