import Foundation
import PostroomCore

/// A drop as stored.
public struct DropRecord: Sendable, Equatable {
    /// Where a drop is in its life: claimed (recorded), processed (applied and answered in the
    /// database), done (its original is in an archive or in `error/`).
    public enum State: String, Sendable { case claimed, processed, done }

    /// How a drop ended.
    public enum Outcome: String, Sendable, Codable {
        case accepted, rejected, duplicate
        /// A batch where some messages were rejected and others accepted.
        case partial
    }

    public var id: String
    public var runID: String
    public var channel: String
    public var name: String
    public var size: Int64
    public var sha256: String
    public var receivedAt: String
    public var workPath: String
    public var state: State
    public var outcome: Outcome?
    public var format: String?
    public var duplicateOf: String?
    public var issues: [Issue]
    public var ackName: String?
    public var ackBytes: [UInt8]?
    /// The answer kept as a file (large batch acknowledgements) instead of `ackBytes`.
    public var ackFile: String?
    public var ackWritten: Bool
    public var errorPath: String?
    public var archivePath: String?
    public var archiveMember: String?
    public var reprocessOf: String?
    public var parentDrop: String?
    /// For a reprocess: every message runs again, even those applied before (the operator asked for
    /// the whole drop); otherwise only what failed runs again.
    public var reprocessWhole = false

    public init(id: String, runID: String, channel: String, name: String, size: Int64, sha256: String, receivedAt: String,
                workPath: String, state: State = .claimed, outcome: Outcome? = nil, format: String? = nil, duplicateOf: String? = nil,
                issues: [Issue] = [], ackName: String? = nil, ackBytes: [UInt8]? = nil, ackFile: String? = nil, ackWritten: Bool = false,
                errorPath: String? = nil, archivePath: String? = nil, archiveMember: String? = nil, reprocessOf: String? = nil,
                parentDrop: String? = nil) {
        self.id = id
        self.runID = runID
        self.channel = channel
        self.name = name
        self.size = size
        self.sha256 = sha256
        self.receivedAt = receivedAt
        self.workPath = workPath
        self.state = state
        self.outcome = outcome
        self.format = format
        self.duplicateOf = duplicateOf
        self.issues = issues
        self.ackName = ackName
        self.ackBytes = ackBytes
        self.ackFile = ackFile
        self.ackWritten = ackWritten
        self.errorPath = errorPath
        self.archivePath = archivePath
        self.archiveMember = archiveMember
        self.reprocessOf = reprocessOf
        self.parentDrop = parentDrop
    }
}

/// A message as stored.
public struct MessageRecord: Sendable, Equatable {
    public var id: String
    public var dropID: String
    public var index: Int
    public var type: String
    public var format: String
    public var disposition: MessageResult.Disposition
    public var duplicateOf: String?
    public var issues: [Issue]
    public var raw: [UInt8]?
    public var at: String

    public init(id: String, dropID: String, index: Int, type: String, format: String, disposition: MessageResult.Disposition,
                duplicateOf: String? = nil, issues: [Issue], raw: [UInt8]? = nil, at: String) {
        self.id = id
        self.dropID = dropID
        self.index = index
        self.type = type
        self.format = format
        self.disposition = disposition
        self.duplicateOf = duplicateOf
        self.issues = issues
        self.raw = raw
        self.at = at
    }
}

/// A request (ServiceRequest) as stored.
public struct RequestRecord: Sendable, Equatable {
    public var id: String
    public var channel: String
    public var status: String
    public var isReferral: Bool
    public var patientKeys: Set<String>
    public var createdAt: String
    public var updatedAt: String
    public var messageID: String

    public init(id: String, channel: String, status: String, isReferral: Bool, patientKeys: Set<String>, createdAt: String, updatedAt: String, messageID: String) {
        self.id = id
        self.channel = channel
        self.status = status
        self.isReferral = isReferral
        self.patientKeys = patientKeys
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.messageID = messageID
    }
}

/// A report or document as stored. `state`: linked, held, mismatch (held, but its request is for another patient), superseded.
public struct ReportRecord: Sendable, Equatable {
    public var id: String
    public var kind: String
    public var identity: String
    public var status: String
    public var version: Int
    public var state: ReportState
    public var requestID: String?
    public var patientKeys: Set<String>
    public var requestKeys: [String]
    public var replaces: String?
    public var supersededBy: String?
    public var receivedAt: String
    public var updatedAt: String
    public var messageID: String
    public var note: String?

    public init(id: String, kind: String, identity: String, status: String, version: Int, state: ReportState, requestID: String? = nil, patientKeys: Set<String>, requestKeys: [String], replaces: String? = nil, supersededBy: String? = nil, receivedAt: String, updatedAt: String, messageID: String, note: String? = nil) {
        self.id = id
        self.kind = kind
        self.identity = identity
        self.status = status
        self.version = version
        self.state = state
        self.requestID = requestID
        self.patientKeys = patientKeys
        self.requestKeys = requestKeys
        self.replaces = replaces
        self.supersededBy = supersededBy
        self.receivedAt = receivedAt
        self.updatedAt = updatedAt
        self.messageID = messageID
        self.note = note
    }
}

/// A Task as stored (the full resource is in the resource table).
public struct TaskRecord: Sendable, Equatable {
    public var id: String
    public var status: TaskStatus
    public var focusRequestID: String?
    public var partOf: String?
    public var owner: String?
    public var requester: String?
    public var channel: String
    public var createdAt: String
    public var updatedAt: String

    public init(id: String, status: TaskStatus, focusRequestID: String? = nil, partOf: String? = nil, owner: String? = nil, requester: String? = nil, channel: String, createdAt: String, updatedAt: String) {
        self.id = id
        self.status = status
        self.focusRequestID = focusRequestID
        self.partOf = partOf
        self.owner = owner
        self.requester = requester
        self.channel = channel
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

/// One line of a Task's history.
public struct TaskTransition: Sendable, Equatable, Codable {
    public var taskID: String
    public var from: String?
    public var to: String
    public var at: String
    public var messageID: String?
    public var reason: String

    public init(taskID: String, from: String? = nil, to: String, at: String, messageID: String? = nil, reason: String) {
        self.taskID = taskID
        self.from = from
        self.to = to
        self.at = at
        self.messageID = messageID
        self.reason = reason
    }
}

/// One run of the pipeline.
public struct RunRecord: Sendable, Equatable {
    public var id: String
    public var startedAt: String
    public var finishedAt: String?
    public var mode: String
    public var status: String
    public var accepted: Int
    public var rejected: Int
    public var duplicates: Int
    public var held: Int
    public var archivePath: String?

    public init(id: String, startedAt: String, finishedAt: String? = nil, mode: String, status: String, accepted: Int, rejected: Int, duplicates: Int, held: Int, archivePath: String? = nil) {
        self.id = id
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.mode = mode
        self.status = status
        self.accepted = accepted
        self.rejected = rejected
        self.duplicates = duplicates
        self.held = held
        self.archivePath = archivePath
    }
}
