import ArgumentParser
import PostroomCore

/// `postroom explain <code>`: one entry of the issue-code catalogue (docs/issue-codes.md);
/// `--markdown` prints the whole catalogue as that file (`make issue-codes`).
struct Explain: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Explain an issue code: severity, formats, FHIR issue.code, HL7 v2 ERR-3 and meaning.",
        discussion: "Every code is listed in docs/issue-codes.md; --markdown prints that file.")

    @Argument(help: "An issue code, e.g. nhs-number-check-digit.")
    var code: String?

    @Flag(name: .long, help: "Print JSON.")
    var json = false

    @Flag(name: .long, help: "Print the whole catalogue as Markdown (docs/issue-codes.md).")
    var markdown = false

    func run() throws {
        if markdown {
            print(IssueCode.markdown, terminator: "")
            return
        }
        guard let code else {
            printError("postroom explain: give an issue code (or --markdown); \(IssueCode.all.count) are listed in docs/issue-codes.md")
            throw ExitCode(Postroom.Exit.usage)
        }
        guard let entry = IssueCode.named(code) else {
            printError(Self.unknown(code))
            throw ExitCode(Postroom.Exit.usage)
        }
        if json { printJSON(entry.json) } else { print(entry.explanation, terminator: "") }
    }

    /// The message for a code that is not in the catalogue, with near matches.
    static func unknown(_ code: String) -> String {
        let near = IssueCode.nearMatches(code).map(\.code)
        let hint = near.isEmpty ? "" : " Did you mean: \(near.joined(separator: ", "))?"
        return "postroom explain: unknown issue code '\(code)'.\(hint) Every code is listed in docs/issue-codes.md."
    }
}
