import Foundation
import Testing
@testable import PostroomCore

@Suite struct HL7CorpusProbe {
    @Test func probe() {
        for name in HL7Fixtures.corpusNames {
            let drop = Decoder.decode(HL7Fixtures.corpusFile(name), accepting: [.hl7v2])
            let summary = HL7Fixtures.outcome(drop)
            let detail = drop.messages.flatMap { $0.issues.filter { $0.severity >= .warning } }.prefix(4).map { "\($0.severity.rawValue.prefix(1)):\($0.code)@\($0.location ?? "")" }
            print("PROBE \(name) => \(summary) types=\(drop.messages.map(\.type)) req=\(drop.messages.map { $0.requests.count }) rep=\(drop.messages.map { $0.reports.count }) \(detail) \(drop.issues.map(\.code))")
        }
    }
}
