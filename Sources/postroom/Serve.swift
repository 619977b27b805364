import ArgumentParser
import Dispatch
import Foundation
import PostroomPipeline
import PostroomServer

/// `postroom serve`: the read-only FHIR query API, the operator's web page and /metrics.
struct Serve: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Serve the read-only FHIR R4 query API, the operator's web page (/ui) and /metrics.",
        discussion: "Listens where the serve object of pipeline.json says (default 127.0.0.1:8080). Stops on SIGINT or SIGTERM.")

    @OptionGroup var options: ConfigOption

    @Option(name: .long, help: "Listen on this address instead of serve.address.")
    var address: String?

    @Option(name: .long, help: "Listen on this port instead of serve.port (0: any free port, printed at start).")
    var port: Int?

    @Flag(name: .long, help: "Log warnings and errors only (not every request).")
    var quiet = false

    func run() throws {
        let config = try options.load()
        var serve: ServeConfig
        do {
            serve = try ServeConfig.parse(config.serve)
        } catch {
            printError("postroom: configuration error: \(error)")
            throw ExitCode(Postroom.Exit.config)
        }
        if let address { serve.address = address }
        if let port {
            guard (0...65535).contains(port) else {
                printError("postroom: --port must be between 0 and 65535")
                throw ExitCode(Postroom.Exit.usage)
            }
            serve.port = port
        }
        let logger = makeLogger(quiet: quiet)
        let server = PostroomServer(pipeline: config, serve: serve, logger: logger)
        let host = serve.address.contains(":") ? "[\(serve.address)]" : serve.address
        let outcome = ServeOutcome()
        let done = DispatchSemaphore(value: 0)
        Task {
            do {
                try await server.run { port in
                    FileHandle.standardOutput.write(Data("postroom serve: listening on http://\(host):\(port)/ui\n".utf8))
                }
            } catch {
                outcome.set(error)
            }
            done.signal()
        }
        done.wait()
        if let error = outcome.error {
            printError("postroom: serve stopped: \(error)")
            throw ExitCode.failure
        }
    }
}

/// The error the server stopped with, handed from its task to the command.
final class ServeOutcome: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: (any Error)?

    var error: (any Error)? {
        lock.lock()
        defer { lock.unlock() }
        return stored
    }

    func set(_ e: any Error) {
        lock.lock()
        stored = e
        lock.unlock()
    }
}
