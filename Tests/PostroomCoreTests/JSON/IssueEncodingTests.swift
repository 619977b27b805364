import Testing
@testable import PostroomCore

/// `Issue.encode` writes one issue at a time: the text must be exactly that of the whole list as one tree.
@Suite struct IssueEncodingTests {
    @Test func issueByIssueGivesTheTextOfTheWholeTree() {
        let samples: [[PostroomCore.Issue]] = [
            [],
            [.warning("obr-priority", at: "OBR-5", "Priority not given")],
            (0..<300).map { n -> PostroomCore.Issue in
                n % 3 == 0 ? .error("json-syntax", at: "Bundle.entry[\(n)]", "Bad \"quote\" and \\ back\nslash é \u{1}")
                    : .information("report-held", type: "informational", "Held \(n)")
            },
        ]
        for issues in samples {
            let text = PostroomCore.Issue.encode(issues)
            #expect(text == JSONWriter().string(.array(issues.map(\PostroomCore.Issue.json))))
            #expect(PostroomCore.Issue.decode(text) == issues)
        }
    }

    /// A short list's text is remembered for the next message with the same issues: lists that differ in any part,
    /// encoded in turn, from several threads at once, each get their own text.
    @Test func aRememberedTextIsOnlyThatOfTheSameIssues() async {
        let lists: [[PostroomCore.Issue]] = [
            [.information("report-held", type: "informational", "Held")],
            [.information("report-held", type: "informational", "Held again")],
            [.warning("report-held", type: "informational", "Held")],
            [.information("report-held", type: "informational", at: "OBR-2", "Held")],
            [.information("report-held", type: "informational", "Held"), .warning("obr-priority", at: "OBR-5", "Priority")],
            [],
        ]
        let expected = lists.map { JSONWriter().string(.array($0.map(\PostroomCore.Issue.json))) }
        await withTaskGroup(of: Bool.self) { group in
            for worker in 0..<4 {
                group.addTask {
                    (0..<2_000).allSatisfy { n in
                        let i = (n + worker) % lists.count
                        return PostroomCore.Issue.encode(lists[i]) == expected[i] && PostroomCore.Issue.encode(lists[i]) == expected[i]
                    }
                }
            }
            for await allRight in group { #expect(allRight) }
        }
    }
}
