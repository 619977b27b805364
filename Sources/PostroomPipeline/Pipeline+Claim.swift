import Foundation
import PostroomConfig
import PostroomCore
import PostroomStore

/// A drop about to be claimed: an inbox file, with the id and work path it is claimed under (given on
/// the writer, in order), or a drop already recorded (recovered, or to be reprocessed).
struct PendingClaim: @unchecked Sendable {
    var intake: Intake
    var id: String
    var work: String
}

/// What claiming a drop did (file system work only; its bookkeeping is `Pipeline.admit`'s).
enum ClaimOutcome {
    /// An inbox file renamed into `work/` and read.
    case claimed(InFlight, InboxScanner.Ready)
    /// A recorded drop's work file read.
    case loaded(InFlight)
    /// The rename failed: nothing was claimed.
    case failed(PipelineConfig.Channel, InboxScanner.Ready, any Error)
}

extension Pipeline {
    /// The claims of a group, in order: an inbox file gets its drop id and work path here.
    func pendingClaims(_ intakes: [Intake], session: RunSession) -> [PendingClaim] {
        intakes.map { intake in
            switch intake {
            case .inbox(let ch, let ready):
                let id = ids.next()
                return PendingClaim(intake: intake, id: id, work: config.workFolder + "/" + ch.name + "/" + FileName.work(id: id, name: ready.name))
            case .recovered(_, let record), .reprocess(_, let record):
                return PendingClaim(intake: intake, id: record.id, work: record.workPath)
            }
        }
    }

    /// Claims one drop: an inbox file is renamed into `work/` (by one rename: whoever renames it first
    /// has it) and read; a recorded drop is read. Touches only the file system, so it may run on any thread.
    func claim(_ p: PendingClaim) -> ClaimOutcome {
        switch p.intake {
        case .inbox(let ch, let ready):
            do {
                try FileSystem.rename(ready.path, p.work)
            } catch {
                return .failed(ch, ready, error)
            }
            let record = DropRecord(id: p.id, runID: "", channel: ch.name, name: ready.name, size: ready.size, sha256: "",
                                    receivedAt: StoreTime.string(Date()), workPath: p.work)
            var inflight = load(channel: ch, record: record)
            inflight.recorded = false
            return .claimed(inflight, ready)
        case .recovered(let ch, let record), .reprocess(let ch, let record):
            return .loaded(load(channel: ch, record: record))
        }
    }
}

/// A group claimed (and read, and decoded) on another core while the writer settles the group claimed
/// before it (`processGroup`).
typealias ClaimAhead = WorkAhead<PendingClaim, ClaimOutcome>
