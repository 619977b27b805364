import NIOCore

/// A `TaskExecutor` that runs a task's jobs on one NIO event loop: the task that runs a prepared
/// statement (PostgresNIO offers them only as `async` calls) runs on its connection's own event loop,
/// so the calling thread waits for one hand-off there and one back, as with a blocking
/// `EventLoopFuture.wait()`, not for extra hops through the cooperative thread pool.
final class EventLoopTaskExecutor: TaskExecutor, @unchecked Sendable {
    let loop: any EventLoop

    init(_ loop: any EventLoop) { self.loop = loop }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let executor = asUnownedTaskExecutor()
        loop.execute { job.runSynchronously(on: executor) }
    }
}
