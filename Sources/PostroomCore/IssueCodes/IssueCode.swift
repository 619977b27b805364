/// One of Postroom's stable issue codes (`Issue.code`): a contract with senders, so each is declared once,
/// with what it is sent as. The catalogue is `IssueCode.all`; `docs/issue-codes.md` is generated from it
/// (`make issue-codes`) and `postroom explain <code>` prints an entry.
public struct IssueCode: Sendable, Hashable, CustomStringConvertible {
    /// Where a code can arise.
    public enum Scope: String, Sendable, CaseIterable {
        case hl7v2, fhir, cda
        /// Any input format (intake, archives, correlation, workflow).
        case anyFormat = "any"
        /// `postroom serve`'s FHIR API and operator page.
        case api
    }

    /// The code itself (kebab-case), as sent in `Issue.code`.
    public let code: String
    /// The severities it is reported with, most severe first (the first is the usual one).
    public let severities: [Issue.Severity]
    /// Where it arises.
    public let scopes: [Scope]
    /// The FHIR IssueType(s) it is sent with (`OperationOutcome.issue.code`, `Issue.type`).
    public let types: [String]
    /// One line of meaning.
    public let meaning: String

    init(_ code: String, _ severities: [Issue.Severity], in scopes: [Scope], types: [String], _ meaning: String) {
        self.code = code
        self.severities = severities
        self.scopes = scopes
        self.types = types
        self.meaning = meaning
    }

    public var description: String { code }

    /// The HL7 table 0357 code(s) of ERR-3 when the issue answers an HL7 v2 message (one per FHIR type,
    /// as `HL7AckPolicy` maps them); none for codes that cannot arise on a v2 message.
    public var v2ErrorCodes: [String] {
        guard scopes.contains(.hl7v2) || scopes.contains(.anyFormat) else { return [] }
        var out: [String] = []
        for type in types {
            let code = HL7AckPolicy.errorCode(for: Issue(.error, self.code, type: type, ""))
            if !out.contains(code) { out.append(code) }
        }
        return out
    }

    /// Whether an error with this code makes a v2 answer AR (CR) rather than AE.
    public var rejectsV2: Bool { HL7AckPolicy.rejectCodes.contains(code) }
}

extension IssueCode {
    /// The catalogue entry of a code string.
    public static func named(_ code: String) -> IssueCode? { byCode[code] }

    static let byCode: [String: IssueCode] = Dictionary(all.map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a })

    /// Codes that look like `text`: containing it, contained in it, or a few edits away; best first.
    public static func nearMatches(_ text: String, limit: Int = 5) -> [IssueCode] {
        let t = text.lowercased()
        let scored = all.compactMap { entry -> (Int, String, IssueCode)? in
            if entry.code.contains(t) || t.contains(entry.code) { return (0, entry.code, entry) }
            let d = editDistance(entry.code, t)
            return d <= max(2, t.count / 3) ? (d, entry.code, entry) : nil
        }
        return scored.sorted { ($0.0, $0.1) < ($1.0, $1.1) }.prefix(limit).map(\.2)
    }

    /// Levenshtein distance between two short strings.
    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a.utf8), b = Array(b.utf8)
        guard !a.isEmpty else { return b.count }
        guard !b.isEmpty else { return a.count }
        var row = Array(0...b.count)
        for i in 1...a.count {
            var previous = row[0]
            row[0] = i
            for j in 1...b.count {
                let current = row[j]
                row[j] = min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] == b[j - 1] ? 0 : 1))
                previous = current
            }
        }
        return row[b.count]
    }
}
