import Foundation
import Testing
@testable import PostroomCore

/// The sources use the catalogue: no issue code is a string literal any more, and every call site
/// reports a code with a severity and FHIR issue type that its catalogue entry lists.
@Suite struct IssueCodeUsageTests {
    /// Ways an issue code used to be written as a literal.
    static let literalPatterns = [
        #"(?<![A-Za-z0-9_])\.(?:error|warning|fatal|information)\(\s*"[a-z0-9]+(?:-[a-z0-9]+)*"\s*,"#,
        #"\bIssue\(\s*[.\w]+\s*,\s*"[a-z0-9]+(?:-[a-z0-9]+)*"\s*,"#,
        #"(?<![.\w])(?:report|refuse|add)\(\s*"[a-z0-9]+(?:-[a-z0-9]+)*"\s*,"#,
        #"\b(?:Problem|Version|FHIRFailure)\([^)]*\bcode:\s*""#,
        #"\.code\s*[!=]=\s*"[a-z0-9-]+""#,
    ]

    @Test func noIssueCodeIsALiteral() throws {
        var found: [String] = []
        for (path, text) in try SourceScan.sourceFiles() where !path.contains("/IssueCodes/") {
            for pattern in Self.literalPatterns {
                for m in SourceScan.matches(pattern, in: text) {
                    found.append("\(path):\(SourceScan.line(of: m[0], in: text)): \(m[0])")
                }
            }
        }
        #expect(found.isEmpty, "issue codes written as literals; use the IssueCode catalogue:\n\(found.joined(separator: "\n"))")
    }

    /// `.error(.code, type: "x"` and the like: (severity or nil, member, type).
    static let callPatterns: [(String, @Sendable ([String]) -> (String?, String, String))] = [
        (#"(?<![A-Za-z0-9_])\.(error|warning|fatal|information)\(\s*(?:IssueCode)?\.(\w+)\s*,\s*type:\s*"([^"]+)""#, { ($0[1], $0[2], $0[3]) }),
        (#"\bIssue\(\s*\.(fatal|error|warning|information)\s*,\s*(?:IssueCode)?\.(\w+)\s*,\s*type:\s*"([^"]+)""#, { ($0[1], $0[2], $0[3]) }),
        (#"\breport\(\s*(?:IssueCode)?\.(\w+)\s*,\s*type:\s*"([^"]+)""#, { (nil, $0[1], $0[2]) }),
        (#"\badd\(\s*(?:IssueCode)?\.(\w+)\s*,\s*"([^"]+)""#, { (nil, $0[1], $0[2]) }),
        (#"\bProblem\(\s*\.(\w+)\s*,\s*type:\s*"([^"]+)""#, { (nil, $0[1], $0[2]) }),
        (#"type:\s*"([^"]+)"\s*,\s*code:\s*\.(\w+)"#, { (nil, $0[2], $0[1]) }),
    ]

    @Test func callSitesMatchTheirEntries() throws {
        let members = try SourceScan.declaredMembers()
        var problems: [String] = []
        var checked = 0
        for (path, text) in try SourceScan.sourceFiles() where !path.contains("/IssueCodes/") {
            for (pattern, read) in Self.callPatterns {
                for m in SourceScan.matches(pattern, in: text) {
                    let (severity, member, type) = read(m)
                    guard let code = members[member], let entry = IssueCode.named(code) else { continue }
                    checked += 1
                    let at = "\(path):\(SourceScan.line(of: m[0], in: text))"
                    if !entry.types.contains(type) { problems.append("\(at): \(code) sent as type \(type), catalogue says \(entry.types)") }
                    if let severity, !entry.severities.map(\.rawValue).contains(severity) {
                        problems.append("\(at): \(code) reported as \(severity), catalogue says \(entry.severities)")
                    }
                }
            }
        }
        #expect(checked > 200)
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
    }

    @Test func everyCatalogueCodeIsUsed() throws {
        let sources = try SourceScan.sourceFiles().filter { !$0.path.contains("/IssueCodes/") }.map(\.text).joined()
        let members = try SourceScan.declaredMembers()
        let unused = members.filter { member, _ in !sources.contains("." + member) }.map(\.value).sorted()
        #expect(unused.isEmpty, "in the catalogue but used nowhere: \(unused)")
    }
}
