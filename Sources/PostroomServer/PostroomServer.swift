import Dispatch
import Foundation
import Hummingbird
import Logging
import NIOCore
import PostroomConfig
import PostroomPostgres
import PostroomStore

/// `postroom serve`: the read-only FHIR R4 query API, the operator's web page (`/ui`) and `/metrics`,
/// over the pipeline's SQLite file opened as a WAL reader.
public struct PostroomServer: Sendable {
    /// The pipeline configuration (database path, channels).
    public let pipeline: PipelineConfig
    /// Where to listen and who may ask.
    public let serve: ServeConfig
    let logger: Logger
    let stores: StoreProvider
    let auth: Authenticator
    /// Failed sign-ins per address (one per server, shared by every request).
    let throttle: LoginThrottle

    /// A server for this configuration.
    ///
    /// - Parameter secret: the key of session cookies and CSRF tokens (default: random per process).
    public init(pipeline: PipelineConfig, serve: ServeConfig, logger: Logger, secret: [UInt8]? = nil) {
        self.init(pipeline: pipeline, serve: serve, logger: logger, secret: secret, throttle: LoginThrottle())
    }

    /// A server whose failed sign-ins are bounded by `throttle` (tests give it a window of their own).
    init(pipeline: PipelineConfig, serve: ServeConfig, logger: Logger, secret: [UInt8]?, throttle: LoginThrottle) {
        self.throttle = throttle
        self.pipeline = pipeline
        self.serve = serve
        self.logger = logger
        stores = StoreProvider(path: pipeline.database, logger: logger, identity: pipeline.identity)
        if case .postgres = pipeline.store { stores.server = { try pipeline.openStore() } }
        auth = Authenticator(config: serve, secret: secret ?? Digest.randomBytes(32))
    }

    /// The base URL when a request names no host.
    var fallbackBase: String {
        let host = serve.address.contains(":") ? "[\(serve.address)]" : serve.address
        return "http://\(host):\(serve.port)"
    }

    /// The router with every route and the middlewares (request log, failures, authentication).
    ///
    /// - Parameter metricsOnly: serve `/metrics` alone (for `postroom watch`), under the same credentials rule.
    public func router(metricsOnly: Bool = false) -> Router<ServeContext> {
        let router = Router(context: ServeContext.self)
        router.add(middleware: RequestLogMiddleware(logger: logger))
        router.add(middleware: FailureMiddleware(logger: logger))
        router.add(middleware: AuthMiddleware(auth: auth))
        let stores = self.stores
        let pipeline = self.pipeline
        router.get("/metrics") { _, _ in
            let store = stores.store()
            let expectations = (try? store?.read { try Expectations.metricGauges(pipeline, reader: $0) }) ?? []
            // Several nodes on PostgreSQL: each node's liveness, heartbeat age and claims in flight.
            let nodes = ((try? NodeReport.read(pipeline)) ?? nil)?.gauges ?? []
            return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8", .cacheControl: "no-store"],
                            body: ResponseBody(byteBuffer: ByteBuffer(string: MetricsText.render(store: store, extra: expectations + nodes))))
        }
        if metricsOnly { return router }
        UIRoutes(stores: stores, auth: auth, pipeline: pipeline, throttle: throttle).register(on: router)
        BinaryRoute(stores: stores).register(on: router)
        FHIRRoutes(stores: stores, anonymous: serve.anonymous, fallbackBase: fallbackBase).register(on: router)
        return router
    }

    /// The Hummingbird application; `onRunning` receives the bound port once listening.
    ///
    /// - Parameter metricsOnly: serve `/metrics` alone (what `postroom watch` runs beside its polling).
    public func application(metricsOnly: Bool = false,
                            onRunning: @escaping @Sendable (Int) async -> Void = { _ in }) -> some ApplicationProtocol {
        let logger = self.logger
        return Application(
            router: router(metricsOnly: metricsOnly),
            configuration: .init(address: .hostname(serve.address, port: serve.port), serverName: "postroom"),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? 0
                logger.info("serving", metadata: ["port": .stringConvertible(port)])
                await onRunning(port)
            },
            logger: logger)
    }

    /// Serves until SIGINT or SIGTERM, then stops cleanly.
    public func run(onRunning: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        if !FileManager.default.fileExists(atPath: pipeline.database) {
            logger.notice("no database yet: serving an empty store until the pipeline creates it")
        } else {
            _ = stores.store()
        }
        let catchUp = viewCatchUp()
        defer { catchUp.cancel() }
        try await application(onRunning: onRunning).runService()
    }

    /// How often `serve` looks for resource versions waiting in the view journal.
    static let viewCatchUpInterval: DispatchTimeInterval = .seconds(1)

    /// Materialises the view in the background while serving, so that a search after a run with
    /// `view: deferred` finds it current (a search still materialises first what is left). It runs on a
    /// dispatch queue of its own, not on the threads that run requests: catching up on a large run takes
    /// tens of seconds of blocking database work. Cancel the timer to stop it.
    func viewCatchUp() -> any DispatchSourceTimer {
        let stores = self.stores, logger = self.logger
        let timer = DispatchSource.makeTimerSource(queue: DispatchQueue(label: "postroom.view-catch-up", qos: .utility))
        timer.schedule(deadline: .now() + Self.viewCatchUpInterval, repeating: Self.viewCatchUpInterval)
        timer.setEventHandler {
            let started = Date()
            let records = stores.catchUpView()
            guard records > 0 else { return }
            logger.info("view materialised", metadata: [
                "when": "serve", "records": .stringConvertible(records),
                "seconds": .string(String(format: "%.3f", Date().timeIntervalSince(started))),
            ])
        }
        timer.resume()
        return timer
    }
}
