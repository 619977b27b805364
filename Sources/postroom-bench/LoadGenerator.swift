import Foundation
import PostroomCore

/// Writes loads into `<root>/<load>/<channel>/`, or reuses a load written earlier with the same seed
/// and count (its `manifest.json` stamp is written last, so an interrupted generation is redone).
struct LoadGenerator: Sendable {
    /// Where loads live (`<out>/loads`).
    var root: String
    /// The run's seed; each load derives its own from it.
    var seed: UInt64

    /// Modification times start here and grow by a millisecond per file, so "oldest first" is the generation order.
    static let firstModified: Double = 1_764_000_000

    /// The load `kind` with `count` items, generated now unless an identical one is already there.
    func prepare(_ kind: LoadKind, count: Int, log: (String) -> Void) throws(BenchError) -> LoadManifest {
        let folder = root + "/" + kind.rawValue
        let stamp = folder + "/manifest.json"
        if let data = FileManager.default.contents(atPath: stamp),
           let manifest = LoadManifest.read([UInt8](data), folder: folder),
           manifest.matches(kind: kind, seed: seed, count: count) {
            log("load \(kind.rawValue): reusing \(manifest.files) file(s) in \(folder)")
            return manifest
        }
        try? FileManager.default.removeItem(atPath: folder)
        for channel in kind.channels { try FileOutput.makeDirectories(folder + "/" + channel) }
        let content = LoadContent(kind: kind, runSeed: seed, count: count)
        let start = ContinuousClock.now
        var manifest = LoadManifest(kind: kind, seed: seed, count: count, folder: folder)
        if kind == .batch {
            try writeBatch(content, into: folder, manifest: &manifest)
        } else {
            for i in 0..<content.fileCount {
                let file = content.file(i)
                try FileOutput.write(file.bytes, to: "\(folder)/\(file.channel)/\(file.name)",
                                     modified: Self.firstModified + Double(i) / 1000)
                manifest.files += 1
                manifest.messages += file.messages
                manifest.resources += file.resources
                manifest.bytes += Int64(file.bytes.count)
            }
        }
        try FileOutput.write(JSONWriter(pretty: true).bytes(manifest.json), to: stamp)
        log("load \(kind.rawValue): generated \(manifest.files) file(s), \(manifest.messages) message(s), "
            + "\(Format.megabytes(manifest.bytes)) MB in \(Format.seconds(start.duration(to: .now))) s")
        return manifest
    }

    /// Streams the batch file: header, one message at a time, trailer (never held whole).
    private func writeBatch(_ content: LoadContent, into folder: String, manifest: inout LoadManifest) throws(BenchError) {
        let out = try ChunkedFile(path: "\(folder)/\(content.kind.channels[0])/\(content.batchFileName)")
        try out.append(content.batchHeader)
        for i in 0..<content.count { try out.append(content.batchMessage(i)) }
        try out.append(content.batchTrailer)
        try out.finish(modified: Self.firstModified)
        manifest.files = 1
        manifest.messages = content.count
        manifest.bytes = out.written
    }
}
