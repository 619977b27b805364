import Foundation
import PostroomCore
#if canImport(Glibc)
import Glibc
#endif

/// Headless Chromium driven through the DevTools protocol over `--remote-debugging-pipe`
/// (JSON messages separated by NUL bytes on file descriptors 3 and 4): no WebSocket needed.
final class HeadlessChromium: @unchecked Sendable {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// The Chromium binary, or nil when it is not installed.
    static var path: String? {
        for p in ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"] where FileManager.default.isExecutableFile(atPath: p) {
            return p
        }
        return nil
    }

    let pid: pid_t
    private let toBrowser: Int32
    private let fromBrowser: Int32
    private let profile: String
    private let condition = NSCondition()
    private var responses: [Int: JSONValue] = [:]
    private var closed = false
    private var nextID = 0
    private var session: String?

    init() throws {
        guard let path = Self.path else { throw Failure(description: "chromium is not installed") }
        profile = FileManager.default.temporaryDirectory.appendingPathComponent("postroom-chromium-\(UUID().uuidString)").path
        var a: [Int32] = [0, 0], b: [Int32] = [0, 0]
        guard pipe(&a) == 0, pipe(&b) == 0 else { throw Failure(description: "pipe failed") }
        for fd in a + b { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, a[0], 3)
        posix_spawn_file_actions_adddup2(&actions, b[1], 4)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let args = [path, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--remote-debugging-pipe",
                    "--no-first-run", "--no-default-browser-check", "--user-data-dir=\(profile)", "about:blank"]
        var argv: [UnsafeMutablePointer<CChar>?] = args.map { strdup($0) } + [nil]
        defer { for p in argv { free(p) } }
        var child: pid_t = 0
        let rc = posix_spawn(&child, path, &actions, nil, &argv, environ)
        close(a[0])
        close(b[1])
        guard rc == 0 else {
            close(a[1])
            close(b[0])
            throw Failure(description: "cannot start chromium (\(rc))")
        }
        pid = child
        toBrowser = a[1]
        fromBrowser = b[0]
        let reader = Thread { [self] in readLoop() }
        reader.start()
    }

    /// Closes the browser (`Browser.close`, then SIGKILL after 5 s) and removes its profile.
    func stop() {
        session = nil
        _ = try? send("Browser.close", timeout: 5)
        var status: Int32 = 0
        let deadline = Date().addingTimeInterval(5)
        while waitpid(pid, &status, WNOHANG) == 0 {
            if Date() > deadline {
                kill(pid, SIGKILL)
                waitpid(pid, &status, 0)
                break
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
        close(toBrowser)
        try? FileManager.default.removeItem(atPath: profile)
    }

    private func readLoop() {
        var buffer: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = read(fromBrowser, &chunk, chunk.count)
            if n <= 0 { break }
            buffer += chunk[0..<n]
            while let end = buffer.firstIndex(of: 0) {
                let message = Array(buffer[..<end])
                buffer.removeSubrange(...end)
                guard let v = try? JSONParser().parse(message), case .number(let idText)? = v["id"], let id = Int(idText) else { continue }
                condition.lock()
                responses[id] = v
                condition.broadcast()
                condition.unlock()
            }
        }
        close(fromBrowser)
        condition.lock()
        closed = true
        condition.broadcast()
        condition.unlock()
    }

    /// Sends one command (to the attached page once there is one) and waits for its result.
    @discardableResult
    func send(_ method: String, _ params: JSONObject = JSONObject(), timeout: TimeInterval = 20) throws -> JSONValue {
        condition.lock()
        nextID += 1
        let id = nextID
        condition.unlock()
        var o = JSONObject([JSONObject.Member("id", .number(String(id))), JSONObject.Member("method", .string(method)),
                            JSONObject.Member("params", .object(params))])
        if let session { o["sessionId"] = .string(session) }
        let bytes = JSONWriter().bytes(.object(o)) + [0]
        let written = bytes.withUnsafeBytes { write(toBrowser, $0.baseAddress, $0.count) }
        guard written == bytes.count else { throw Failure(description: "cannot write to chromium") }
        let deadline = Date().addingTimeInterval(timeout)
        condition.lock()
        defer { condition.unlock() }
        while responses[id] == nil && !closed {
            if !condition.wait(until: deadline) { throw Failure(description: "\(method): no answer within \(Int(timeout)) s") }
        }
        guard let r = responses.removeValue(forKey: id) else { throw Failure(description: "chromium closed the pipe") }
        if let e = r["error"] { throw Failure(description: "\(method): \(JSONWriter().string(e))") }
        return r["result"] ?? .null
    }

    /// Opens a page and sends the following commands to it.
    func openPage() throws {
        let target = try send("Target.createTarget", JSONObject([JSONObject.Member("url", "about:blank")]))
        guard let targetID = target["targetId"]?.string else { throw Failure(description: "no target id") }
        let attached = try send("Target.attachToTarget", JSONObject([JSONObject.Member("targetId", .string(targetID)),
                                                                      JSONObject.Member("flatten", true)]))
        guard let s = attached["sessionId"]?.string else { throw Failure(description: "no session id") }
        session = s
        try send("Page.enable")
    }

    /// Evaluates JavaScript in the page and returns its value.
    func evaluate(_ expression: String) throws -> JSONValue {
        let r = try send("Runtime.evaluate", JSONObject([JSONObject.Member("expression", .string(expression)),
                                                         JSONObject.Member("returnByValue", true)]))
        return r["result"]?["value"] ?? .null
    }

    /// Navigates and waits until `condition` holds (default: the page at `url` has loaded).
    func navigate(_ url: String, until condition: String? = nil, timeout: TimeInterval = 20) throws {
        try send("Page.navigate", JSONObject([JSONObject.Member("url", .string(url))]))
        try waitUntil(condition ?? "location.href === \(jsString(url)) && document.readyState === 'complete'", timeout: timeout)
    }

    /// Polls a JavaScript condition until it is true.
    func waitUntil(_ condition: String, timeout: TimeInterval = 20) throws {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if (try? evaluate("(() => { try { return !!(\(condition)); } catch (e) { return false; } })()"))?.bool == true { return }
            Thread.sleep(forTimeInterval: 0.1)
        }
        throw Failure(description: "timed out waiting for: \(condition)")
    }

    /// A JavaScript string literal.
    func jsString(_ s: String) -> String { JSONWriter().string(.string(s)) }
}
