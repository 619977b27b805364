import ArgumentParser
import PostroomPipeline

/// `--node NAME` (and `--lease`) of `run --once` and `watch`: one of several nodes on shared inboxes,
/// with PostgreSQL as the store (docs/POSTGRES.md, README "Running several nodes").
struct NodeOption: ParsableArguments {
    @Option(name: .long, help: "Run as the node NAME of several sharing the inboxes (needs store.kind postgres).")
    var node: String?

    @Option(name: .long, help: "Seconds a node's claim of a drop lasts without a heartbeat (with --node).")
    var lease: Double = 30

    /// The node's options, or nil for the single node; exits 64 on a lease out of range.
    func options() throws -> NodeOptions? {
        guard let node else { return nil }
        guard lease >= 1, lease <= 3600 else {
            printError("postroom: --lease must be between 1 and 3600 seconds")
            throw ExitCode(Postroom.Exit.usage)
        }
        return NodeOptions(name: node, lease: lease)
    }
}
