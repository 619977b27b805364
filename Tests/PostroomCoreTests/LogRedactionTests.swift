import Foundation
import PostroomCore
import Testing

/// DESIGN.md §3.6: no patient data in logs. File names are names (senders call files after patients),
/// so errors reach a log in their redacted form.
@Suite struct LogRedactionTests {
    @Test func aPathKeepsItsFolderAndHidesItsName() {
        let p = LogRedaction.path("/data/inbox/lab/SMITH_JOHN_9434765919.hl7")
        #expect(p.hasPrefix("/data/inbox/lab/<name #") && p.hasSuffix(">"))
        #expect(!p.contains("SMITH") && !p.contains("9434765919"))
        // The same name gives the same hash; another name another one.
        #expect(p == LogRedaction.path("/data/inbox/lab/SMITH_JOHN_9434765919.hl7"))
        #expect(p != LogRedaction.path("/data/inbox/lab/SMITH_JANE_9434765919.hl7"))
        #expect(LogRedaction.path("bare-name.hl7").hasPrefix("<name #"))
    }

    struct Redacted: Error, LogRedactable {
        var logSafeDescription: String { "cannot rename <name #00000001>" }
    }

    @Test func anErrorWithARedactedFormIsLoggedInIt() {
        #expect(LogRedaction.describe(Redacted()) == "cannot rename <name #00000001>")
    }

    /// Every log line that carries an error goes through `LogRedaction.describe` (a source scan: a new
    /// `"\(error)"` in a logger's metadata fails here).
    @Test func noLogLineInterpolatesAnErrorDirectly() throws {
        var offenders: [String] = []
        for (path, text) in try SourceScan.sourceFiles() {
            for line in text.split(separator: "\n") where line.contains("logger.") || line.contains("Logger.Metadata") {
                if line.contains("\\(error)") || line.contains("\\(e)") || line.contains("describing: error)") {
                    offenders.append("\(path): \(line.trimmingCharacters(in: .whitespaces))")
                }
            }
        }
        #expect(offenders.isEmpty, "\(offenders)")
    }
}
