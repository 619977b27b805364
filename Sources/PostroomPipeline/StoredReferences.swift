import PostroomDigest

/// The `urn:` fullUrls of a streamed Bundle's earlier groups → where their entries were stored
/// (`Type/id`), held compactly: a 50 MB Bundle has ~50,000 of them, and as a `[String: String]` they
/// took ~6.6 MiB of the 64 MiB bound (PERFORMANCE.md, "Large single files").
///
/// A fullUrl is kept as the first 128 bits of its SHA-256 (two fullUrls of one file meeting by chance
/// is as likely as a SHA-256 collision), the type as an index into the few types seen, the id as
/// given (an id of up to 15 bytes is held inside the `String` itself).
struct StoredReferences {
    private struct Key: Hashable {
        let high: UInt64, low: UInt64

        init(_ url: String) {
            let d = SHA256Digest.bytes(Array(url.utf8))
            high = d[0..<8].reduce(0) { $0 << 8 | UInt64($1) }
            low = d[8..<16].reduce(0) { $0 << 8 | UInt64($1) }
        }
    }

    private struct Target {
        let type: UInt16
        let id: String
    }

    private var targets: [Key: Target] = [:]
    private var types: [String] = []

    var isEmpty: Bool { targets.isEmpty }
    var count: Int { targets.count }

    /// Notes that the entry with fullUrl `url` was stored as `reference` (`Type/id`).
    mutating func set(_ url: String, to reference: String) {
        guard let slash = reference.firstIndex(of: "/") else { return }
        let type = String(reference[..<slash])
        let index: Int
        if let i = types.firstIndex(of: type) { index = i } else { index = types.count; types.append(type) }
        targets[Key(url)] = Target(type: UInt16(index), id: String(reference[reference.index(after: slash)...]))
    }

    /// Where the entry with fullUrl `url` was stored, if an earlier group stored it.
    subscript(url url: String) -> String? {
        targets[Key(url)].map { types[Int($0.type)] + "/" + $0.id }
    }
}
