import Foundation
import PostroomCore
import Testing

/// `postroom explain`: one entry of the issue-code catalogue, or the whole of docs/issue-codes.md.
@Suite struct ExplainCommandTests {
    @Test func explainsACode() throws {
        let ws = try Workspace()
        let r = try ws.postroom(["explain", "nhs-number-check-digit"])
        #expect(r.code == 0)
        #expect(r.stdout == IssueCode.nhsNumberCheckDigit.explanation)
        #expect(r.stdout.contains("Modulus 11"))
    }

    @Test func explainsAsJSON() throws {
        let ws = try Workspace()
        let r = try ws.postroom(["explain", "patient-mismatch", "--json"])
        #expect(r.code == 0)
        let v = try json(Array(r.stdout.utf8))
        #expect(v["code"] == .string("patient-mismatch"))
        #expect(v["fhirIssueTypes"] == .array([.string("business-rule")]))
    }

    @Test func unknownCodeIsAUsageErrorWithNearMatches() throws {
        let ws = try Workspace()
        let r = try ws.postroom(["explain", "nhs-number-checkdigit"])
        #expect(r.code == 64)
        #expect(r.stderr.contains("unknown issue code 'nhs-number-checkdigit'"))
        #expect(r.stderr.contains("Did you mean: nhs-number-check-digit"))
        #expect(try ws.postroom(["explain"]).code == 64)
    }

    @Test func markdownIsTheCommittedDocument() throws {
        let ws = try Workspace()
        let r = try ws.postroom(["explain", "--markdown"])
        #expect(r.code == 0)
        let committed = try String(contentsOfFile: repositoryRoot + "/docs/issue-codes.md", encoding: .utf8)
        #expect(r.stdout == committed, "run `make issue-codes` and commit docs/issue-codes.md")
    }
}
