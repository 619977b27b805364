import PostroomCore
import Testing

/// A message's issues when their number grows with its file: each distinct issue once, in the order
/// first found, at most `IssueLog.limit`, the rest counted in one issue of their worst severity.
@Suite struct IssueLogTests {
    static func info(_ n: Int) -> PostroomCore.Issue { .information(.taskCreated, at: "Bundle.entry[\(n)]", "Task \(n) tracks this request") }

    @Test func identicalIssuesAreKeptOnceInTheOrderFirstFound() {
        let a = PostroomCore.Issue.information(.appointmentReferralUnknown, at: "Appointment.basedOn", "stored unlinked")
        let b = PostroomCore.Issue.error(.bdl1, at: "Bundle.entry[2].resource.status", "bad status")
        let log = IssueLog([a, b, a, a, b, Self.info(1), a])
        #expect(log.issues == [a, b, Self.info(1)])
        #expect(IssueLog([]).issues.isEmpty)
    }

    @Test func theSameIssuesInGroupsGiveTheSameLog() {
        let all = (0..<1_500).map { Self.info($0 % 1_200) } + [Self.info(3)]
        var grouped = IssueLog()
        for start in stride(from: 0, to: all.count, by: 97) {
            grouped.append(contentsOf: Array(all[start..<min(start + 97, all.count)]))
        }
        #expect(grouped.issues == IssueLog(all).issues)
        #expect(IssueLog(Array(all.prefix(10))).appending(Array(all.dropFirst(10))).issues == IssueLog(all).issues)
    }

    @Test func beyondTheLimitIssuesAreCountedNotKept() {
        let log = IssueLog((0..<(IssueLog.limit + 250)).map(Self.info) + [Self.info(3)])
        #expect(log.issues.count == IssueLog.limit + 1)
        #expect(Array(log.issues.prefix(IssueLog.limit)) == (0..<IssueLog.limit).map(Self.info))
        let last = log.issues.last
        #expect(last?.code == IssueCode.issuesNotKept.code)
        #expect(last?.severity == .information && last?.type == "informational")
        #expect(last?.text.hasPrefix("250 more issues (repeats included; the worst of them information)") == true, "\(last?.text ?? "")")
        #expect(!log.issues.hasErrors)
        #expect(IssueLog((0..<IssueLog.limit).map(Self.info)).issues.count == IssueLog.limit, "no count when nothing is left out")
    }

    /// However many informational issues come first (a Task created for each order of a transaction),
    /// the error that refuses it is listed; errors beyond their own budget are counted.
    @Test func errorsHaveABudgetOfTheirOwn() {
        let refusal = PostroomCore.Issue.error(.bdl1, at: "Bundle.entry[5000].resource.status", "bad status")
        let log = IssueLog((0..<(IssueLog.limit + 10)).map(Self.info) + [refusal, .warning(.reportStatusRegression, "later")])
        #expect(log.issues.contains(refusal))
        #expect(log.issues.hasErrors)
        #expect(log.issues.count == IssueLog.limit + 2)
        #expect(log.issues.last?.text.hasPrefix("11 more issues (repeats included; the worst of them a warning)") == true)
        let errors = (0..<(IssueLog.limit + 3)).map { PostroomCore.Issue.error(.bdl1, at: "Bundle.entry[\($0)]", "bad") }
        let many = IssueLog(errors + (0..<5).map(Self.info))
        #expect(many.issues.filter(\.isError).count == IssueLog.limit)
        #expect(many.issues.filter { $0.code == IssueCode.taskCreated.code }.count == 5)
        #expect(many.issues.last?.text.hasPrefix("3 more issues (repeats included; the worst of them an error)") == true)
    }
}
