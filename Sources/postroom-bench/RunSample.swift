/// One measured run of one program on one load, with the counts checked against the load.
struct RunSample: Sendable {
    /// 1-based run number.
    var run: Int
    var outcome: ChildProcess.Outcome
    /// Drops the program reports processed (equal to the load's files once verified).
    var files: Int
    /// Messages the program reports processed (equal to the load's messages once verified).
    var messages: Int
    /// Results Postroom holds for their request at the end (Postroom only).
    var held: Int?
    /// Reports linked to their request, per `postroom status` after the run (Postroom only).
    var linked: Int?
    /// Tasks completed, per `postroom status` after the run (Postroom only).
    var tasksCompleted: Int?
    /// CPU seconds the PostgreSQL server used during the run (PostgreSQL runs only; read from `/proc`,
    /// after the run's `postroom status` check, so that check's few statements are in it too).
    var serverCPUSeconds: Double?
    /// The run's duration as the program itself reports it.
    var reportedSeconds: Double?
}
