import Foundation
import PostroomArchive
import PostroomConfig
import PostroomCore
import PostroomPostgres
import PostroomStore

/// The repository root (this file lives in Tests/PostroomEndToEndTests/).
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

/// A data folder in a temporary directory with `pipeline.json` copied from the repository.
final class Workspace {
    let root: String
    var config: String { root + "/pipeline.json" }
    var data: String { root + "/data" }
    /// The workspace's PostgreSQL database when the suite runs on PostgreSQL (`EndToEndStore`).
    let postgres: PostgresLocation?
    /// Its `store` entry, put back into a configuration a test rewrote without one.
    let storeEntry: String?

    init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("postroom-e2e-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        var sample = try String(contentsOfFile: repositoryRoot + "/pipeline.json", encoding: .utf8)
            .replacingOccurrences(of: "\"data\": \"demo\"", with: "\"data\": \"data\"")
        if EndToEndStore.postgres {
            let (entry, location) = try EndToEndStore.newDatabase()
            postgres = location
            storeEntry = entry
            sample = EndToEndStore.withStore(sample, entry)
        } else {
            postgres = nil
            storeEntry = nil
        }
        try sample.write(toFile: config, atomically: true, encoding: .utf8)
    }

    /// On PostgreSQL: the configuration names the workspace's database, even after a test rewrote it.
    func keepStoreInConfig() throws {
        guard let storeEntry, let text = try? String(contentsOfFile: config, encoding: .utf8), !text.contains("\"store\"") else { return }
        let with = EndToEndStore.withStore(text, storeEntry)
        if with != text { try with.write(toFile: config, atomically: true, encoding: .utf8) }
    }

    deinit { try? FileManager.default.removeItem(atPath: root) }

    /// Copies `inbox-sample/` into the inboxes in name order, markers last (as `make run` does).
    func dropSample() throws {
        let fm = FileManager.default
        for channel in try fm.contentsOfDirectory(atPath: repositoryRoot + "/inbox-sample").sorted() {
            let src = repositoryRoot + "/inbox-sample/" + channel
            let dst = data + "/inbox/" + channel
            try fm.createDirectory(atPath: dst, withIntermediateDirectories: true)
            let names = try fm.contentsOfDirectory(atPath: src).sorted()
            for n in names.filter({ !$0.hasSuffix(".done") }) + names.filter({ $0.hasSuffix(".done") }) {
                try fm.copyItem(atPath: src + "/" + n, toPath: dst + "/" + n)
            }
        }
    }

    /// Writes a file into a channel's inbox.
    func drop(_ bytes: [UInt8], as name: String, channel: String) throws {
        let dir = data + "/inbox/" + channel
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try Data(bytes).write(to: URL(fileURLWithPath: dir + "/" + name))
    }

    /// Runs the real `postroom` executable; returns its exit code and output.
    @discardableResult
    func postroom(_ args: [String], environment: [String: String] = [:]) throws -> (code: Int32, stdout: String, stderr: String) {
        try keepStoreInConfig()
        let p = Process()
        p.executableURL = URL(fileURLWithPath: postroomBinary)
        p.arguments = args
        p.currentDirectoryURL = URL(fileURLWithPath: root)
        p.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self))
    }

    func run() throws -> (code: Int32, stdout: String, stderr: String) {
        try postroom(["run", "--once", "--config", config, "--json"])
    }

    func files(in dir: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: data + "/" + dir)) ?? []).sorted()
    }

    func read(_ path: String) -> [UInt8] {
        (FileManager.default.contents(atPath: data + "/" + path)).map { [UInt8]($0) } ?? []
    }

    /// The store the workspace's configuration names (a test may have rewritten it without `store`).
    func store(identity: IdentityNamespaces = .standard) throws -> Store {
        try keepStoreInConfig()
        if case .postgres(let location) = try PipelineConfig.load(path: config).store {
            return try Store(backend: PostgresStoreBackend(location), identity: identity)
        }
        return try Store(path: data + "/postroom.sqlite", readOnly: true, identity: identity)
    }

    /// Every archive under `archive/`, with its members' bytes.
    func archives() throws -> [String: [String: [UInt8]]] {
        var out: [String: [String: [UInt8]]] = [:]
        let base = data + "/archive"
        guard let e = FileManager.default.enumerator(atPath: base) else { return [:] }
        for case let rel as String in e where rel.hasSuffix(".tar.gz") {
            let r = try ArchiveReader(path: base + "/" + rel)
            var members: [String: [UInt8]] = [:]
            while let m = try r.next() { members[m.name] = try r.readData(limit: 1 << 24) }
            out[rel] = members
        }
        return out
    }
}

/// The built `postroom` executable (POSTROOM_BIN overrides).
var postroomBinary: String {
    if let b = ProcessInfo.processInfo.environment["POSTROOM_BIN"] { return b }
    for candidate in [".build/debug/postroom", ".build/x86_64-unknown-linux-gnu/debug/postroom", ".build/release/postroom"] {
        let p = repositoryRoot + "/" + candidate
        if FileManager.default.isExecutableFile(atPath: p) { return p }
    }
    return repositoryRoot + "/.build/debug/postroom"
}

/// The HL7 v2 segments of a file (split on CR).
func segments(_ bytes: [UInt8]) -> [[String]] {
    String(decoding: bytes, as: UTF8.self).split(separator: "\r").map { $0.split(separator: "|", omittingEmptySubsequences: false).map(String.init) }
}

func json(_ bytes: [UInt8]) throws -> JSONValue { try JSONParser().parse(bytes) }

/// Every FHIR JSON file Postroom wrote into the outboxes, and every resource it stored, checked by
/// Postroom's own R4 validator; returns "<where>: <code> at <location>" for each error.
func fhirErrors(in ws: Workspace, channels: [String]) throws -> [String] {
    var errors: [String] = []
    let validator = FHIRValidator()
    for ch in channels {
        for name in ws.files(in: "outbox/" + ch) where name.hasSuffix(".json") {
            let value = try JSONParser().parse(ws.read("outbox/\(ch)/\(name)"))
            errors += validator.validate(value).issues.filter(\.isError).map { "\(ch)/\(name): \($0.code) at \($0.location ?? "")" }
        }
    }
    let store = try ws.store()
    for (type, _) in try store.read({ try $0.resourceCounts() }) {
        for id in try store.read({ try $0.resourceIDs(type: type) }) {
            guard let value = try store.read({ try $0.resource(type: type, id: id) }) else { continue }
            errors += validator.validate(value).issues.filter(\.isError).map { "\(type)/\(id): \($0.code) at \($0.location ?? "") \($0.text)" }
        }
    }
    return errors
}
