import PostroomStore

/// Whether a transaction's messages (a group of drops, a chunk of a streamed batch) are settled
/// without a savepoint each (`Store.writeElidingSavepoints`): while transactions settle cleanly, yes;
/// one that had to run again (a message refused while it was applied) makes the next `backOff` take
/// their savepoints at once, so that a run of many refusals does not settle each transaction twice.
struct SavepointPolicy {
    static let backOff = 8
    private var withSavepoints = 0

    var elide: Bool { withSavepoints == 0 }

    mutating func settled(replayed: Bool) {
        if replayed { withSavepoints = Self.backOff } else if withSavepoints > 0 { withSavepoints -= 1 }
    }
}

extension Pipeline {
    /// Runs `settle` in one write transaction, with savepoints elided as `policy` says (the store runs it
    /// again with savepoints when one fails, so `settle` must start afresh whatever it keeps outside it).
    func writeSettling<T>(_ policy: inout SavepointPolicy, _ settle: (StoreWriter) throws -> T) throws -> T {
        guard policy.elide else {
            let result = try store.write(settle)
            policy.settled(replayed: false)
            return result
        }
        let (result, replayed) = try store.writeElidingSavepoints(settle)
        policy.settled(replayed: replayed)
        return result
    }
}
