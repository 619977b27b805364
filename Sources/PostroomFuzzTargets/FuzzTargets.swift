import Foundation
import PostroomArchive
import PostroomCore

/// What the fuzzers feed: each target takes any bytes and must return, never crash or hang
/// (`make fuzz`; crash inputs are kept in Tests/PostroomCoreTests/Fixtures/fuzz/<target>/ and replayed by the tests).
public enum FuzzTargets {
    public static let names = ["hl7v2", "fhir", "cda", "archive"]

    /// Runs target `name` on `bytes`; false when there is no such target.
    @discardableResult
    public static func run(_ name: String, _ bytes: [UInt8]) -> Bool {
        let options = DecodeOptions()
        switch name {
        case "hl7v2": _ = HL7v2Decoder.decode(bytes, options: options)
        case "fhir": _ = FHIRDecoder.decode(bytes, options: options)
        case "cda": _ = CDADecoder.decode(bytes, options: options)
        case "archive": openArchive(bytes)
        default: return false
        }
        return true
    }

    /// The archive-drop opener's reading: every member listed and read within a bound, as the
    /// pipeline does before its own checks (libarchive reads from a file, so the bytes are one).
    static func openArchive(_ bytes: [UInt8]) {
        let path = NSTemporaryDirectory() + "postroom-fuzz-\(getpid()).bin"
        guard FileManager.default.createFile(atPath: path, contents: Data(bytes)) else { return }
        defer { try? FileManager.default.removeItem(atPath: path) }
        guard let reader = try? ArchiveReader(path: path) else { return }
        var members = 0
        while members < 1_000, let m = try? reader.next() {
            members += 1
            _ = m.name
            if m.kind == .regular { _ = try? reader.readData(limit: 1 << 20) }
        }
    }
}
