import Foundation
import Testing

/// `postroom serve` as a command: configuration errors name the key and exit 78; a bad --port is a usage error.
@Suite struct ServeCommandTests {
    func run(_ args: [String], config: String) throws -> (code: Int32, stderr: String) {
        let binary = try #require(BrowserTests.postroomBinary, "build the executable first: swift build --build-tests")
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("postroom-serve-cli-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: root) }
        try config.write(toFile: root + "/pipeline.json", atomically: true, encoding: .utf8)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: binary)
        p.arguments = ["serve", "--config", root + "/pipeline.json"] + args
        let err = Pipe()
        p.standardError = err
        p.standardOutput = FileHandle.nullDevice
        try p.run()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: e, as: UTF8.self))
    }

    static let channels = "\"channels\": [{\"name\": \"in\", \"formats\": [\"hl7v2\"], \"role\": \"placer\"}]"

    @Test func aBadServeBlockExits78NamingTheKey() throws {
        let r = try run([], config: "{\(Self.channels), \"serve\": {\"port\": \"eighty\", \"anonymous\": true}}")
        #expect(r.code == 78)
        #expect(r.stderr.contains("serve.port: must be a whole number"))
        let noToken = try run([], config: "{\(Self.channels), \"serve\": {}}")
        #expect(noToken.code == 78 && noToken.stderr.contains("serve.tokens: at least one token is required"))
    }

    @Test func aPortOutOfRangeIsAUsageError() throws {
        let r = try run(["--port", "70000"], config: "{\(Self.channels), \"serve\": {\"anonymous\": true}}")
        #expect(r.code == 64)
        #expect(r.stderr.contains("--port must be between 0 and 65535"))
    }
}
