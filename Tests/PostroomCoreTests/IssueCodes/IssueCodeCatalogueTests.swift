import Foundation
import Testing
@testable import PostroomCore

/// The catalogue itself: complete, consistent, and the documentation made from it.
@Suite struct IssueCodeCatalogueTests {
    @Test func codesAreUniqueKebabCaseAndDescribed() {
        #expect(IssueCode.all.count >= 190)
        var seen: Set<String> = []
        for entry in IssueCode.all {
            #expect(seen.insert(entry.code).inserted, "\(entry.code) is listed twice")
            #expect(entry.code.range(of: #"^[a-z0-9]+(-[a-z0-9]+)*$"#, options: .regularExpression) != nil, "\(entry.code)")
            #expect(!entry.severities.isEmpty && !entry.scopes.isEmpty && !entry.types.isEmpty, "\(entry.code)")
            #expect(!entry.meaning.isEmpty && !entry.meaning.contains("\n") && !entry.meaning.contains("\\("), "\(entry.code)")
        }
    }

    @Test func everyDeclaredCodeIsInTheCatalogue() throws {
        let declared = try SourceScan.declaredMembers()
        let listed = Set(IssueCode.all.map(\.code))
        let missing = Set(declared.values).subtracting(listed).sorted()
        #expect(missing.isEmpty, "declared but not in IssueCode.all (IssueCode+All.swift): \(missing)")
        #expect(declared.count == IssueCode.all.count, "IssueCode.all lists \(IssueCode.all.count), the files declare \(declared.count)")
    }

    @Test func committedDocumentIsTheGeneratedOne() throws {
        let path = SourceScan.root + "/docs/issue-codes.md"
        let committed = (try? String(contentsOfFile: path, encoding: .utf8)) ?? "(missing)"
        let generated = IssueCode.markdown
        let firstDifference = zip(committed.split(separator: "\n", omittingEmptySubsequences: false),
                                  generated.split(separator: "\n", omittingEmptySubsequences: false))
            .enumerated().first { $0.element.0 != $0.element.1 }
            .map { "line \($0.offset + 1): committed «\($0.element.0)» generated «\($0.element.1)»" } ?? "length differs"
        #expect(committed == generated,
                "docs/issue-codes.md is not what the catalogue generates (\(firstDifference)); run `make issue-codes` and commit it")
    }

    @Test func lookupAndNearMatches() {
        #expect(IssueCode.named("patient-mismatch") == .patientMismatch)
        #expect(IssueCode.named("patient-mismatches") == nil)
        #expect(IssueCode.nearMatches("nhs-number-checkdigit").first == .nhsNumberCheckDigit)
        #expect(IssueCode.nearMatches("nhs-number").map(\.code).contains("nhs-number-format"))
        #expect(IssueCode.nearMatches("zzzzzzzzzzzzzzzzzzzz").isEmpty)
    }

    @Test func explanationNamesWhatIsSent() {
        let text = IssueCode.nhsNumberCheckDigit.explanation
        #expect(text.hasPrefix("nhs-number-check-digit\n"))
        #expect(text.contains("FHIR issue.code:  value"))
        #expect(text.contains("v2 ERR-3:         102 Data type error"))
        #expect(IssueCode.unsupportedVersion.explanation.contains("203 Unsupported version id; the ACK is AR (CR), not AE"))
        #expect(IssueCode.readOnly.v2ErrorCodes.isEmpty)
        #expect(IssueCode.patientMismatch.v2ErrorCodes == ["207"])
    }
}
