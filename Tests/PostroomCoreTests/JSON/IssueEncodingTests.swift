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
}
