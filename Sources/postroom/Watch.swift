import ArgumentParser
import Foundation
import Logging
import PostroomPipeline
import PostroomServer
import ServiceLifecycle

/// `postroom watch`: poll until SIGTERM/SIGINT, then finish the drops in hand and exit 0.
struct Watch: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Poll the inboxes every few seconds until SIGTERM or SIGINT.")

    @OptionGroup var options: ConfigOption

    @OptionGroup var node: NodeOption

    @Option(name: .long, help: "Seconds between polls.")
    var interval: Double = 5

    @Flag(name: .long, help: "Log warnings and errors only.")
    var quiet = false

    func run() async throws {
        guard interval > 0, interval <= 3600 else {
            printError("postroom: --interval must be between 0 and 3600 seconds")
            throw ExitCode(Postroom.Exit.usage)
        }
        let nodeOptions = try node.options()
        var config = try options.load()
        MemoryPolicy.apply()
        let logger = makeLogger(quiet: quiet)
        let pipeline = try openPipeline(config, logger: logger, node: nodeOptions)
        config = pipeline.config
        StartupCode.release()
        let watcher = PipelineWatcher(pipeline: pipeline, interval: .milliseconds(Int(interval * 1000)), logger: logger)
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = [.init(service: watcher)]
        // `/metrics` beside the polling when `serve.watchMetricsPort` is set.
        let serve: ServeConfig
        do {
            serve = try ServeConfig.parse(config.serve)
        } catch {
            printError("postroom: configuration error: \(error)")
            throw ExitCode(Postroom.Exit.config)
        }
        if let port = serve.watchMetricsPort {
            var metricsConfig = serve
            metricsConfig.port = port
            let server = PostroomServer(pipeline: config, serve: metricsConfig, logger: logger)
            services.append(.init(service: server.application(metricsOnly: true), successTerminationBehavior: .gracefullyShutdownGroup))
        }
        let group = ServiceGroup(configuration: .init(
            services: services,
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger))
        logger.info("watch started", metadata: ["interval": .string("\(interval)")])
        try await group.run()
    }
}
