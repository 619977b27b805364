import Foundation
import Glibc
import PostroomPostgresTestSupport
import PostroomStore
import Testing

/// `serve` and `watch` on a PostgreSQL store (one node): the server answers FHIR searches from the
/// database the run wrote, and a watching pipeline takes a new drop into it.
@Suite(.enabled(if: ThrowawayPostgres.isAvailable, "needs a throwaway PostgreSQL server: \(ThrowawayPostgres.unavailable ?? "")"))
struct PostgresServeWatchTests {
    /// A workspace whose configuration names a fresh database of the throwaway server.
    func workspace() throws -> Workspace {
        let ws = try Workspace()
        if ws.postgres == nil {
            let (entry, _) = try EndToEndStore.newDatabase()
            let text = try String(contentsOfFile: ws.config, encoding: .utf8)
            try EndToEndStore.withStore(text, entry).write(toFile: ws.config, atomically: true, encoding: .utf8)
        }
        return ws
    }

    /// Starts the executable in the background; its standard output goes to `out`.
    func start(_ ws: Workspace, _ args: [String], out: Pipe) throws -> Process {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: postroomBinary)
        p.arguments = args
        p.currentDirectoryURL = URL(fileURLWithPath: ws.root)
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        try p.run()
        return p
    }

    func curl(_ url: String) throws -> (status: String, body: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
        p.arguments = ["-s", "-H", "Authorization: Bearer demo-token", "-w", "\n%{http_code}", url]
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self)
        let cut = text.lastIndex(of: "\n") ?? text.endIndex
        return (String(text[text.index(after: cut)...]), String(text[..<cut]))
    }

    /// `postroom serve` on a free port; the port it printed.
    func startServe(_ ws: Workspace) throws -> (Process, Int) {
        let out = Pipe()
        let serve = try start(ws, ["serve", "--port", "0", "--config", ws.config], out: out)
        let line = String(decoding: out.fileHandleForReading.availableDataWithin(seconds: 20), as: UTF8.self)
        guard let port = line.split(separator: ":").last.flatMap({ Int($0.prefix { $0.isNumber }) }) else {
            serve.terminate()
            serve.waitUntilExit()
            throw ServeDidNotStart(line: line)
        }
        return (serve, port)
    }

    struct ServeDidNotStart: Error { var line: String }

    @Test func serveAnswersFromTheDatabaseTheRunWrote() throws {
        let ws = try workspace()
        try ws.dropSample()
        #expect(try ws.postroom(["run", "--once", "--config", ws.config]).code == 65)   // the sample's rejected drops
        let (serve, port) = try startServe(ws)
        defer { serve.terminate(); serve.waitUntilExit() }
        let reports = try curl("http://127.0.0.1:\(port)/DiagnosticReport")
        #expect(reports.status == "200", "\(reports)")
        #expect(reports.body.contains("\"resourceType\":\"Bundle\"") && reports.body.contains("\"DiagnosticReport\""), "\(reports.body.prefix(300))")
        let missing = try curl("http://127.0.0.1:\(port)/DiagnosticReport/no-such-id")
        #expect(missing.status == "404")
    }

    /// The web page's overview lists the nodes (after a run as node `a`), as `postroom status` does.
    @Test func theWebPageShowsTheNodes() throws {
        let ws = try workspace()
        try ws.dropSample()
        #expect(try ws.postroom(["run", "--once", "--node", "a", "--config", ws.config]).code == 65)
        let (serve, port) = try startServe(ws)
        defer { serve.terminate(); serve.waitUntilExit() }
        let page = try curl("http://127.0.0.1:\(port)/ui")
        #expect(page.status == "200", "\(page)")
        #expect(page.body.contains("<h2>Nodes</h2>"), "\(page.body.prefix(600))")
        #expect(page.body.contains("<td>a</td>") && page.body.contains(">stopped</span>"), "\(page.body.prefix(2000))")
        #expect(page.body.contains("In-flight claims: 0"))
    }

    @Test func watchTakesANewDropIntoTheDatabase() throws {
        let ws = try workspace()
        let watch = try start(ws, ["watch", "--interval", "0.2", "--config", ws.config, "--quiet"], out: Pipe())
        defer { watch.terminate(); watch.waitUntilExit() }
        try ws.drop(Array(Loads.order(1)), as: "order-1.hl7", channel: "lab-orders")
        var drops: [DropRecord] = []
        for _ in 0..<100 where drops.isEmpty {
            Thread.sleep(forTimeInterval: 0.2)
            drops = (try? ws.store().read { try $0.drops(limit: 10).filter { $0.state == .done } }) ?? []
        }
        #expect(drops.map(\.name) == ["order-1.hl7"])
        #expect(ws.files(in: "inbox/lab-orders").filter { !$0.hasPrefix(".") }.isEmpty)
    }
}

extension FileHandle {
    /// What arrives within `seconds` (up to the first newline), without blocking past it.
    func availableDataWithin(seconds: Double) -> Data {
        var data = Data()
        let deadline = Date().addingTimeInterval(seconds)
        let fd = fileDescriptor
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        var buffer = [UInt8](repeating: 0, count: 4096)
        while Date() < deadline, !data.contains(0x0A) {
            let n = Glibc.read(fd, &buffer, buffer.count)
            if n > 0 { data.append(contentsOf: buffer[0..<n]) } else { Thread.sleep(forTimeInterval: 0.05) }
        }
        return data
    }
}
