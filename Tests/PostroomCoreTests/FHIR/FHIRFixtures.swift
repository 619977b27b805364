import Foundation
@testable import PostroomCore

/// Test fixtures of the FHIR module, located through `#filePath` (not Bundle.module).
enum FHIRFixtures {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/fhir")
    static let corpus = folder.appendingPathComponent("corpus")

    /// The bytes of a corpus file.
    static func corpusBytes(_ name: String) -> [UInt8] {
        (try? [UInt8](Data(contentsOf: corpus.appendingPathComponent(name)))) ?? []
    }

    /// Every corpus file name.
    static func corpusNames() -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: corpus.path)) ?? []).sorted()
    }

    /// Parses JSON text (tests only: a failure is a defect of the test).
    static func json(_ text: String) -> JSONValue {
        (try? JSONParser().parse(text)) ?? .null
    }

    /// The validation issues of a resource given as JSON text.
    static func issues(_ text: String) -> [PostroomCore.Issue] {
        FHIRValidator().issues(json(text))
    }

    /// The codes of the issues of a resource given as JSON text.
    static func codes(_ text: String) -> [String] {
        issues(text).map(\.code)
    }

    /// Decodes JSON text as a FHIR drop.
    static func decode(_ text: String) -> DecodedDrop {
        FHIRDecoder.decode(Array(text.utf8), options: DecodeOptions())
    }

    /// A fixed acknowledgement environment with counting ids (UUIDs, so the output stays valid R4).
    static func env() -> AckEnvironment {
        let counter = Counter()
        return AckEnvironment(now: Date(timeIntervalSince1970: 1_700_000_000),
                              makeID: { String(format: "00000000-0000-4000-8000-%012d", counter.next()) })
    }

    /// A thread-safe counter for test ids.
    final class Counter: @unchecked Sendable {
        private var value = 0
        private let lock = NSLock()
        func next() -> Int {
            lock.lock()
            defer { lock.unlock() }
            value += 1
            return value
        }
    }
}
