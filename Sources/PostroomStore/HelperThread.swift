#if canImport(Glibc)
import Glibc
#endif

/// Scheduling of the threads that work beside the writer (the one thread a run waits for).
public enum HelperThread {
    /// Puts the calling thread in Linux's `SCHED_BATCH` class (unprivileged, same nice, same share
    /// of the CPU): its wake-ups no longer preempt the thread running on the core it wakes on, which
    /// on a busy machine is the writer's. Elsewhere, or when refused, nothing changes.
    ///
    /// Called at the start of each piece of work, it acts on the thread's later wake-ups (the class is
    /// the thread's and stays): a dispatch queue's thread keeps it for whatever the pool gives it next,
    /// which in a run is other work beside the writer too.
    public static func yieldOnWakeUp() {
        #if os(Linux)
        var param = sched_param()
        param.sched_priority = 0
        // SCHED_BATCH is 3 (<linux/sched.h>; Glibc exports it only with _GNU_SOURCE).
        _ = sched_setscheduler(0, 3, &param)
        #endif
    }
}
