import Foundation
import Logging
import Synchronization

/// An acknowledgement as kept in its drop's row (`drop_file.ack_bytes`): a Zstandard frame when that is
/// smaller, else the bytes themselves.
///
/// The row is written twice: small when the drop is recorded, then with its answer once it is settled.
/// A FHIR response message or OperationOutcome of ~1.8 KB grew each row so much that a page held one
/// drop; the group's commit wrote a page of WAL per drop, and the checkpoint copied it back. Compressed
/// (~0.5 KB), several drops share a page. An answer is never confused with a frame: a v2 ACK begins
/// `MSH`/`FHS`/`BHS`, JSON with `{` or white space, XML with `<`, none with the frame's magic number,
/// so answers stored by earlier versions read as they are. (Earlier versions would not read a frame: on
/// PostgreSQL, migration `p4-answers-compressed` makes older nodes refuse the database.)
enum StoredAcknowledgement {
    /// Answers shorter than this are kept as they are (a v2 ACK of a few hundred bytes gains little).
    static let smallest = 512

    private static let compressor = Mutex(ViewCompressor())

    /// The bytes to store for `answer`; a frame made ahead (`Store.keptForm`) is stored as it is.
    static func stored(_ answer: [UInt8]?) -> [UInt8]? {
        guard let answer, answer.count >= smallest, !ViewCompressor.isZstandard(answer),
              let frame = try? compressor.withLock({ try $0.compress(answer) }), frame.count < answer.count else { return answer }
        return frame
    }

    /// Where a damaged frame is reported: the drop's id, never its content (tests look through their own).
    static let damageLog = Mutex(Logger(label: "postroom.store"))
    /// Drops whose damaged answer this process has reported: once each, not at every page that reads the
    /// drop (bounded: past 10,000 the set starts again, so a drop may be reported again after that).
    static let reported = Mutex(Set<String>())

    /// The answer kept as `stored` for drop `dropID`; nil when a frame cannot be decoded (logged once, so that an
    /// operator learns why a drop shows no answer or recovery placed none). The frames carry no checksum
    /// of their content: the database's own integrity is what keeps their bytes.
    static func answer(_ stored: [UInt8]?, dropID: String) -> [UInt8]? {
        guard let stored, ViewCompressor.isZstandard(stored) else { return stored }
        do {
            return try ViewCompressor.decompress(stored)
        } catch {
            let first = reported.withLock { ids in
                if ids.count >= 10_000 { ids.removeAll() }
                return ids.insert(dropID).inserted
            }
            guard first else { return nil }
            damageLog.withLock {
                $0.error("a stored answer could not be read back (a damaged frame): it is treated as absent",
                         metadata: ["drop": .string(dropID), "bytes": .stringConvertible(stored.count)])
            }
            return nil
        }
    }
}
