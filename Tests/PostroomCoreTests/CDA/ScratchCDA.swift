import Testing
import Foundation
@testable import PostroomCore

@Suite struct ScratchCDA {
    @Test func corpus() throws {
        let dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures/cda/corpus")
        for name in try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() {
            let bytes = Array(try Data(contentsOf: dir.appendingPathComponent(name)))
            let t0 = Date()
            let drop = CDADecoder.decode(bytes, options: DecodeOptions())
            let ms = Int(Date().timeIntervalSince(t0) * 1000)
            print("SCRATCH ==", name, ms, "ms drop:", drop.issues.map { "\($0.severity) \($0.code) \($0.location ?? "")" })
            for m in drop.messages {
                print("SCRATCH   msg", m.type, m.dedupeKeys, m.patient?.keys.sorted() ?? [], m.reports.map { "\($0.identity) \($0.status) \($0.requestKeys) \($0.replaces ?? "-")" }, m.raw?.count ?? 0)
                for i in m.issues { print("SCRATCH     ", i.severity, i.code, i.location ?? "", i.text) }
            }
        }
    }
}
