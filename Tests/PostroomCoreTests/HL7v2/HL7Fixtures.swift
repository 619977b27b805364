import Foundation
import PostroomCore

/// Locates the HL7 v2 fixtures next to the tests (not through Bundle.module, so CI without shared/ works).
enum HL7Fixtures {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/hl7v2")

    /// The corpus folder of real-world files.
    static var corpus: URL { folder.appendingPathComponent("corpus") }

    /// The bytes of a corpus file.
    static func corpusFile(_ name: String) -> [UInt8] {
        (try? Array(Data(contentsOf: corpus.appendingPathComponent(name)))) ?? []
    }

    /// The names of all corpus files.
    static var corpusNames: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: corpus.path)) ?? []).sorted()
    }

    /// Bytes of a message written with `\r` between segments.
    static func bytes(_ segments: [String], terminator: String = "\r") -> [UInt8] {
        Array((segments.joined(separator: terminator) + terminator).utf8)
    }

    /// A summary of a decoded drop for outcome tables: `rejected:<code>` or `accepted`.
    static func outcome(_ drop: DecodedDrop) -> String {
        if let fatal = drop.issues.first(where: \.isError) { return "file:\(fatal.code)" }
        if drop.messages.isEmpty { return "empty" }
        return drop.messages.map { m in
            if let e = m.issues.first(where: \.isError) { return "rejected:\(e.code)" }
            return "accepted"
        }.joined(separator: ",")
    }
}
