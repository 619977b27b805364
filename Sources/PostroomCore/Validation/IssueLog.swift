/// The issues one message keeps when their number grows with the size of its file (a FHIR `batch` or
/// `transaction` Bundle, applied whole or streamed group by group): each distinct issue once, in the
/// order first found, and at most `limit` of them. So what a message stores, and the memory it takes
/// while it is applied, stay bounded whatever the size of the file. Issues beyond the limit are counted
/// and told in one `issues-not-kept` issue of their worst severity, so an error is never lost from view.
///
/// The same issues appended in the same order give the same log however they are split into calls:
/// a Bundle streamed in groups keeps what it keeps when applied whole.
public struct IssueLog: Sendable {
    /// How many distinct issues a message keeps.
    public static let limit = 1_000

    private var kept: [Issue] = []
    private var seen: Set<Issue> = []
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
        guard kept.count < Self.limit else {
            notKept += 1
            worstNotKept = max(worstNotKept, issue.severity)
            return
        }
        seen.insert(issue)
        kept.append(issue)
    }

    /// This log with `issues` appended.
    public func appending(_ issues: [Issue]) -> IssueLog {
        var copy = self
        copy.append(contentsOf: issues)
        return copy
    }

    /// The issues kept, and the one that counts those that were not.
    public var issues: [Issue] {
        guard notKept > 0 else { return kept }
        return kept + [Issue(worstNotKept, .issuesNotKept, type: "suppressed",
                             "\(notKept) more issues were not kept: a message keeps its first \(Self.limit) distinct issues")]
    }
}
