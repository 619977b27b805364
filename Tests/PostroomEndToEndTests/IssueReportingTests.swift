import Foundation
import PostroomCore
import Testing

/// An issue of a whole file is reported once, not again under the file-level message.
@Suite struct IssueReportingTests {
    @Test func aTruncatedJSONFileReportsJsonSyntaxOnce() throws {
        let ws = try Workspace()
        let bytes = [UInt8](FileManager.default.contents(atPath: repositoryRoot + "/inbox-sample/lab-results/05-truncated-report.json")!)
        try ws.drop(bytes, as: "05-truncated-report.json", channel: "lab-results")
        let run = try ws.run()
        #expect(run.code == 65, "\(run.stderr)")
        let sidecar = ws.read("error/lab-results/05-truncated-report.json.error.json")
        let text = String(decoding: sidecar, as: UTF8.self)
        #expect(text.components(separatedBy: "json-syntax").count - 1 == 1, "\(text)")
        let drop = try #require(try json(sidecar)["drop"]?.string)
        let show = try ws.postroom(["show", drop, "--config", ws.config])
        #expect(show.code == 0, "\(show.stderr)")
        #expect(show.stdout.components(separatedBy: "json-syntax").count - 1 == 1, "\(show.stdout)")
    }
}
