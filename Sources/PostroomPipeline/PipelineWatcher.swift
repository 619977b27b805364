import Foundation
import Logging
import PostroomCore
import ServiceLifecycle
import Synchronization

/// A thread-safe "please stop" flag shared by the watcher and the pipeline.
public final class StopFlag: Sendable {
    private let flag = Atomic<Bool>(false)
    public init() {}
    public func set() { flag.store(true, ordering: .relaxed) }
    public var isSet: Bool { flag.load(ordering: .relaxed) }
}

/// `postroom watch`: polls every `interval`, processing what has arrived, until SIGTERM/SIGINT.
///
/// On graceful shutdown it finishes the group of drops in hand (they are applied, answered and
/// placed together), closes the run's archive, releases the lock and returns. When a run fails
/// (database or folder unavailable) it backs off — the interval doubled per failure, at most five
/// minutes — and tries again without a restart.
public final class PipelineWatcher: Service, @unchecked Sendable {
    let pipeline: Pipeline
    let interval: Duration
    let logger: Logger
    /// Called after every run that finished (for tests and metrics).
    public var onRun: (@Sendable (RunSummary) -> Void)?

    public init(pipeline: Pipeline, interval: Duration, logger: Logger) {
        self.pipeline = pipeline
        self.interval = interval
        self.logger = logger
    }

    public func run() async throws {
        var failures = 0
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            let outcome: Result<RunSummary, any Error> = await withTaskCancellationOrGracefulShutdownHandler {
                await self.runOnceOffThread()
            } onCancelOrGracefulShutdown: {
                self.pipeline.stop.set()
            }
            switch outcome {
            case .success(let summary):
                failures = 0
                onRun?(summary)
            case .failure(let error):
                failures += 1
                logger.error("run failed; backing off", metadata: ["error": .string(LogRedaction.describe(error)), "failures": .stringConvertible(failures)])
            }
            if pipeline.stop.isSet { break }
            let delay = failures == 0 ? interval : min(interval * (1 << min(failures, 10)), .seconds(300))
            _ = try? await cancelWhenGracefulShutdown { try await Task.sleep(for: delay) }
        }
        pipeline.close()
        logger.info("watch stopped")
    }

    /// Runs the blocking pipeline on its own thread so the cooperative pool stays free for signals.
    private func runOnceOffThread() async -> Result<RunSummary, any Error> {
        await withCheckedContinuation { (c: CheckedContinuation<Result<RunSummary, any Error>, Never>) in
            Thread.detachNewThread {
                c.resume(returning: Result { try self.pipeline.runOnce(mode: "watch") })
            }
        }
    }
}
