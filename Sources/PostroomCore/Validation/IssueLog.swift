/// The issues one message keeps when their number grows with the size of its file (a FHIR `batch` or
/// `transaction` Bundle, applied whole or streamed group by group): each distinct issue once, in the
/// order first found, and at most `limit` errors (and fatals) and `limit` other issues. So what a
/// message stores, and the memory it takes while it is applied, stay bounded whatever the size of the
/// file, and errors have a budget of their own: informational issues, however many, never crowd out the
/// error that refuses a transaction. Issues beyond a budget are counted in one `issues-not-kept` issue.
///
/// The same issues appended in the same order give the same log however they are split into calls:
/// a Bundle streamed in groups keeps what it keeps when applied whole.
public struct IssueLog: Sendable {
    /// How many distinct errors, and how many distinct other issues, a message keeps.
    public static let limit = 1_000

    private var kept: [Issue] = []
    private var seen: Set<Issue> = []
    private var errorsKept = 0
    private var notKept = 0
    private var worstNotKept = Issue.Severity.information

    public init(_ issues: [Issue] = []) {
        append(contentsOf: issues)
    }

    public mutating func append(contentsOf issues: [Issue]) {
        for issue in issues { append(issue) }
    }

    public mutating func append(_ issue: Issue) {
        guard !seen.contains(issue) else { return }
        let isError = issue.isError
        guard (isError ? errorsKept : kept.count - errorsKept) < Self.limit else {
            notKept += 1
            worstNotKept = max(worstNotKept, issue.severity)
            return
        }
        seen.insert(issue)
        kept.append(issue)
        if isError { errorsKept += 1 }
    }

    /// This log with `issues` appended.
    public func appending(_ issues: [Issue]) -> IssueLog {
        var copy = self
        copy.append(contentsOf: issues)
        return copy
    }

    /// The issues kept, and the one that counts those that were not. (Errors beyond their budget leave
    /// `limit` errors kept, so whether the list has errors is told by what is kept.)
    public var issues: [Issue] {
        guard notKept > 0 else { return kept }
        let worst = worstNotKept >= .error ? "an error" : worstNotKept == .warning ? "a warning" : "information"
        return kept + [.information(.issuesNotKept, "\(notKept) more issues (repeats included; the worst of them \(worst)) were not "
                                        + "kept: a message keeps its first \(Self.limit) distinct errors and \(Self.limit) distinct other issues")]
    }
}
