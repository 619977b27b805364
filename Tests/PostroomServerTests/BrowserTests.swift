import Foundation
import PostroomCore
import PostroomStore
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The real `postroom serve` on a free port, opened in headless Chromium: sign in, see the failed
/// drop, press Reprocess; the queue and the audit trail record it; SIGTERM stops the server cleanly.
@Suite(.serialized) struct BrowserTests {
    /// The built `postroom` executable (POSTROOM_BIN overrides).
    static var postroomBinary: String? {
        if let b = ProcessInfo.processInfo.environment["POSTROOM_BIN"] { return b }
        for candidate in [".build/debug/postroom", ".build/x86_64-unknown-linux-gnu/debug/postroom", ".build/aarch64-unknown-linux-gnu/debug/postroom"] {
            let p = repositoryRoot + "/" + candidate
            if FileManager.default.isExecutableFile(atPath: p) { return p }
        }
        return nil
    }

    /// `postroom serve --port 0` in the background; the port is read from its first line of output.
    final class ServeProcess {
        let process = Process()
        let port: Int

        init(binary: String, config: String) throws {
            process.executableURL = URL(fileURLWithPath: binary)
            process.arguments = ["serve", "--config", config, "--port", "0", "--quiet"]
            let out = Pipe()
            process.standardOutput = out
            process.standardError = FileHandle.nullDevice
            try process.run()
            // Read the "listening on" line on another thread, with a deadline.
            final class Line: @unchecked Sendable { var text = "" }
            let line = Line()
            let got = DispatchSemaphore(value: 0)
            let handle = out.fileHandleForReading
            Thread {
                var data = Data()
                while !data.contains(UInt8(ascii: "\n")) {
                    let chunk = handle.availableData
                    if chunk.isEmpty { break }
                    data += chunk
                }
                line.text = String(decoding: data, as: UTF8.self)
                got.signal()
            }.start()
            guard got.wait(timeout: .now() + 30) == .success,
                  let r = line.text.range(of: "http://127.0.0.1:"),
                  let p = Int(line.text[r.upperBound...].prefix { $0.isNumber }) else {
                process.terminate()
                throw HeadlessChromium.Failure(description: "postroom serve did not start: \(line.text)")
            }
            port = p
        }

        /// SIGTERM, and the exit status once it has stopped (nil if it had to be killed).
        func stop() -> Int32? {
            guard process.isRunning else { return process.terminationStatus }
            kill(process.processIdentifier, SIGTERM)
            let deadline = Date().addingTimeInterval(15)
            while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
            if process.isRunning {
                kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
                return nil
            }
            return process.terminationStatus
        }
    }

    @Test(.enabled(if: HeadlessChromium.path != nil,
                   "chromium is not installed: `make deps` installs the Debian package chromium; the browser test is skipped"))
    func theOperatorSignsInSeesTheFailedDropAndPressesReprocess() throws {
        let binary = try #require(Self.postroomBinary, "build the executable first: swift build --build-tests (make test does)")
        let data = try SampleData()
        let store = try data.store()
        let failed = try #require(try store.read { try $0.drops() }.first { $0.name == "04-orm-o01-bad-nhs-number.hl7" })

        let serve = try ServeProcess(binary: binary, config: data.root + "/pipeline.json")
        var stopped = false
        defer { if !stopped { _ = serve.stop() } }
        let browser = try HeadlessChromium()
        defer { browser.stop() }
        let base = "http://127.0.0.1:\(serve.port)"

        try browser.openPage()
        // Without the session cookie the page sends the browser to the login form.
        try browser.navigate(base + "/ui/failed",
                             until: "location.pathname === '/ui/login' && document.readyState === 'complete' && document.querySelector('form.login') !== null")
        _ = try browser.evaluate("""
            document.querySelector('input[name=token]').value = \(browser.jsString(testToken));
            document.querySelector('form.login').submit(); 'sent'
            """)
        try browser.waitUntil("location.pathname === '/ui' && document.readyState === 'complete' && document.querySelector('svg.chart') !== null")

        try browser.navigate(base + "/ui/failed")
        let listed = try browser.evaluate("document.body.innerText")
        #expect(listed.string?.contains("04-orm-o01-bad-nhs-number.hl7") == true)
        #expect(listed.string?.contains("nhs-number-check-digit") == true)
        let clicked = try browser.evaluate("""
            (() => {
              const row = [...document.querySelectorAll('tr')].find(r => r.innerText.includes(\(browser.jsString(failed.id))));
              const button = row && row.querySelector('form.reprocess button');
              if (!button) return 'no button';
              button.click();
              return 'clicked';
            })()
            """)
        #expect(clicked.string == "clicked")
        try browser.waitUntil("document.readyState === 'complete' && document.body.innerText.includes('queued: the next run will reprocess it')")
        #expect(try browser.evaluate("location.pathname").string == "/ui/drops/\(failed.id)/reprocess")

        let pending = try store.read { try $0.pendingReprocessRequests() }
        #expect(pending.map(\.dropID) == [failed.id])
        #expect(pending.first?.actor == "serve:tester")
        let audit = try store.read { try $0.auditTrail() }
        #expect(audit.contains { $0.action == "reprocess-requested" && $0.target == failed.id && $0.actor == "serve:tester" })

        // SIGTERM stops the server cleanly (exit 0).
        stopped = true
        #expect(serve.stop() == 0)
    }
}
