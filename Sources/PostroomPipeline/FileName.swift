import Foundation
import PostroomDigest

/// Names Postroom derives from a drop's name — its work file, its acknowledgement, its original in
/// `error/` and the `.error.json` sidecar, and the temp names they are written under — each fit in
/// NAME_MAX (255 bytes) whatever the sender called the file, so no name can stop a drop being placed.
///
/// A name too long for its place keeps a prefix (cut at a character boundary) and gains `~` and 16
/// hex digits of the SHA-256 of the whole name: the same name always gives the same result (a retry
/// rewrites the same file) and different names give different results.
enum FileName {
    /// NAME_MAX on Linux file systems.
    static let maxBytes = 255

    /// `.` + name + `.tmp`: what `FileSystem.writeAtomically` adds for its temp name.
    static let tempBytes = 5

    /// `<drop id>_`: the prefix of a work file and of a staged archive member.
    static let idPrefixBytes = 27

    /// `name` when `reserve` more bytes still fit within NAME_MAX beside it, else its shortened form.
    static func fitting(_ name: String, reserve: Int) -> String {
        let room = maxBytes - reserve
        guard name.utf8.count > room else { return name }
        let digest = "~" + SHA256Digest.hex(Array(name.utf8)).prefix(16)
        var kept = String.UnicodeScalarView()
        var bytes = 0
        for scalar in name.unicodeScalars {
            let n = String(scalar).utf8.count
            if bytes + n > room - digest.utf8.count { break }
            kept.append(scalar)
            bytes += n
        }
        return String(kept) + digest
    }

    /// A drop's work file name, `<drop id>_<name>`.
    static func work(id: String, name: String) -> String {
        id + "_" + fitting(name, reserve: idPrefixBytes)
    }

    /// An acknowledgement's name, `<drop name>.<drop id>.<suffix>` (its temp name fits too).
    static func ack(name: String, id: String, suffix: String) -> String {
        fitting(name, reserve: 1 + id.utf8.count + 1 + suffix.utf8.count + tempBytes) + "." + id + "." + suffix
    }

    /// The sidecar beside a rejected original: `<error name>.error.json`.
    static let sidecarSuffix = ".error.json"

    /// A rejected original's name in `error/`: `<name>`, or `<name>.<drop id>` when `unique` is asked
    /// for (the plain name is taken); the sidecar and its temp name fit too.
    static func error(name: String, id: String, unique: Bool) -> String {
        let reserve = sidecarSuffix.utf8.count + tempBytes
        guard unique else { return fitting(name, reserve: reserve) }
        return fitting(name, reserve: reserve + 1 + id.utf8.count) + "." + id
    }
}
