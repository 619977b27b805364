import CZlib
import CZstd
import Foundation
import PostroomCore

/// One resource version waiting in the view journal: exactly what `resource` will hold.
struct ViewEntry: Sendable, Equatable {
    var type: String
    var id: String
    var version: Int
    var lastUpdated: String
    var messageID: String?
    var json: [UInt8]
    /// `json` parsed, when the entry was built from a recipe (the tree its JSON was written from): spares
    /// materialising and reading by id a parse of what was just written. Not part of equality.
    var tree: JSONValue?

    init(type: String, id: String, version: Int, lastUpdated: String, messageID: String?, json: [UInt8], tree: JSONValue? = nil) {
        (self.type, self.id, self.version, self.lastUpdated, self.messageID, self.json, self.tree) =
            (type, id, version, lastUpdated, messageID, json, tree)
    }

    /// The resource: `tree`, else `json` parsed (nil when it does not parse).
    var resource: JSONValue? { tree ?? (try? JSONParser().parse(json)) }

    static func == (a: ViewEntry, b: ViewEntry) -> Bool {
        (a.type, a.id, a.version, a.lastUpdated, a.messageID, a.json) == (b.type, b.id, b.version, b.lastUpdated, b.messageID, b.json)
    }
}

/// The compact record of the resource versions one message (or one savepoint) wrote: the entries
/// framed one after the other and compressed as one block (`ViewCompressor`). A message's dozen resources share most of
/// their text, so the record is about a seventh of the JSON it carries.
///
/// Framing, per entry: type, id, version, lastUpdated, messageID (length `0xFFFFFFFF` for none), then
/// the JSON, or the marker `0xFFFFFFFE` and a recipe that builds it (`DeferredResource.writeRecipe`: an
/// HL7 v2 Observation as the segments it is built from, so that nothing is built while the run waits);
/// strings and bytes as a 4-byte little-endian length then the bytes; the version as 4 bytes.
enum ViewRecord {
    static let noValue: UInt32 = 0xFFFF_FFFF
    static let recipeMarker: UInt32 = 0xFFFF_FFFE

    /// The record of entries whose JSON is written (the framing `encode(_:into:)` writes straight, the
    /// JSON and all; kept as the reference its tests compare with).
    static func encode(_ entries: ArraySlice<ViewEntry>) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(entries.reduce(0) { $0 + $1.json.count + 96 })
        for e in entries {
            putHeader(type: e.type, id: e.id, version: e.version, lastUpdated: e.lastUpdated, messageID: e.messageID, &out)
            LengthPrefixed.putFramed(&out) { $0 += e.json }
        }
        return out
    }

    /// The record of journal entries, each entry's JSON written straight into it (`JournalEntry.writeJSON`),
    /// or its recipe when it has one: what `decode` reads as `encode` of their `viewEntry`s, without a JSON
    /// text per entry.
    static func encode(_ entries: [JournalEntry], into out: inout [UInt8]) {
        for e in entries {
            putHeader(type: e.type, id: e.id, version: e.version, lastUpdated: e.lastUpdated, messageID: e.messageID, &out)
            if case .deferred(let d) = e.body, d.hasRecipe {
                LengthPrefixed.putWord(recipeMarker, &out)
                LengthPrefixed.putFramed(&out) { d.writeRecipe(into: &$0) }
            } else {
                LengthPrefixed.putFramed(&out) { e.writeJSON(into: &$0) }
            }
        }
    }

    /// An entry's framing before its JSON: type, id, version, lastUpdated, messageID.
    private static func putHeader(type: String, id: String, version: Int, lastUpdated: String, messageID: String?, _ out: inout [UInt8]) {
        LengthPrefixed.put(type, &out)
        LengthPrefixed.put(id, &out)
        LengthPrefixed.putCount(version, &out)
        LengthPrefixed.put(lastUpdated, &out)
        if let messageID { LengthPrefixed.put(messageID, &out) } else { LengthPrefixed.putWord(noValue, &out) }
    }

    static func decode(_ bytes: [UInt8]) -> [ViewEntry]? {
        decode(bytes) { _, _, _ in true }
    }

    /// The entries `matching` takes, by type, id and version; the JSON of the others is not copied (a
    /// record may hold several messages' versions, and a read by id wants one of them).
    static func decode(_ bytes: [UInt8], matching: (_ type: String, _ id: String, _ version: Int) -> Bool) -> [ViewEntry]? {
        var r = LengthPrefixed.Reader(bytes[...])
        var out: [ViewEntry] = []
        while r.remaining > 0 {
            guard let type = r.string(), let id = r.string(), let version = r.word() else { return nil }
            guard matching(type, id, Int(version)) else {
                guard r.slice() != nil, r.optionalString() != nil, r.skipBody() else { return nil }
                continue
            }
            guard let at = r.string(), let message = r.optionalString() else { return nil }
            if r.skip(word: recipeMarker) {
                guard let recipe = r.slice(), let built = DeferredResource(recipe: recipe) else { return nil }
                let entry = JournalEntry(type: type, id: id, version: Int(version), lastUpdated: at, messageID: message, body: .deferred(built))
                out.append(entry.builtViewEntry)
            } else {
                guard let json = r.slice().map(Array.init) else { return nil }
                out.append(ViewEntry(type: type, id: id, version: Int(version), lastUpdated: at, messageID: message, json: json))
            }
        }
        return out
    }
}

private extension LengthPrefixed.Reader {
    /// A string, or (the length `ViewRecord.noValue`) none; nil when the bytes run out.
    mutating func optionalString() -> String?? {
        if skip(word: ViewRecord.noValue) { return .some(nil) }
        return string().map { .some($0) }
    }

    /// Passes over an entry's JSON or recipe without copying it.
    mutating func skipBody() -> Bool {
        _ = skip(word: ViewRecord.recipeMarker)
        return slice() != nil
    }
}

/// Compression of view records: Zstandard at level 1, one context kept for every record (setting one up
/// allocates). Zstandard compresses these records in about a third of the time zlib's level 1 took, and
/// smaller. Records written by earlier versions are zlib streams; `decompress` reads both (a Zstandard frame
/// starts with its magic number, a zlib stream with 0x78).
final class ViewCompressor {
    private let context: OpaquePointer

    init() {
        context = ZSTD_createCCtx()
    }

    deinit {
        ZSTD_freeCCtx(context)
    }

    func compress(_ input: [UInt8]) throws -> [UInt8] {
        let bound = ZSTD_compressBound(input.count)
        let out = try [UInt8](unsafeUninitializedCapacity: bound) { buffer, count in
            let written = input.withUnsafeBytes { inp in
                ZSTD_compressCCtx(context, buffer.baseAddress, bound, inp.baseAddress, inp.count, 1)
            }
            guard ZSTD_isError(written) == 0 else {
                count = 0
                throw ViewRecordFailure(description: "zstd: a view record could not be compressed")
            }
            count = written
        }
        // A copy of the written part: the bound's spare capacity would otherwise stay allocated for as
        // long as the record waits to be inserted (`Array(out)` would share `out`'s buffer, capacity and all).
        return out.withUnsafeBufferPointer { Array($0) }
    }

    /// Whether `record` is a Zstandard frame (magic number 0xFD2FB528, little-endian).
    static func isZstandard(_ record: [UInt8]) -> Bool {
        record.count >= 4 && record[0] == 0x28 && record[1] == 0xB5 && record[2] == 0x2F && record[3] == 0xFD
    }

    /// Decompresses a record, Zstandard or (written by an earlier version) zlib.
    static func decompress(_ input: [UInt8]) throws -> [UInt8] {
        isZstandard(input) ? try decompressZstandard(input) : try inflateZlib(input)
    }

    private static func decompressZstandard(_ input: [UInt8]) throws -> [UInt8] {
        let size = input.withUnsafeBytes { ZSTD_getFrameContentSize($0.baseAddress, $0.count) }
        // Records are written in one call, so the frame states its size; a frame that does not is damaged.
        guard size != ZSTD_CONTENTSIZE_ERROR, size != ZSTD_CONTENTSIZE_UNKNOWN, size <= UInt64(Int32.max) else {
            throw ViewRecordFailure(description: "zstd: a view record is damaged (no content size)")
        }
        return try [UInt8](unsafeUninitializedCapacity: Int(size)) { buffer, count in
            let n = input.withUnsafeBytes { inp in
                ZSTD_decompress(buffer.baseAddress, Int(size), inp.baseAddress, inp.count)
            }
            guard ZSTD_isError(n) == 0, n == Int(size) else {
                count = 0
                throw ViewRecordFailure(description: "zstd: a view record is damaged")
            }
            count = n
        }
    }

    /// Inflates a zlib record (any size; grows the output as needed).
    private static func inflateZlib(_ input: [UInt8]) throws -> [UInt8] {
        var s = z_stream()
        guard CZlibInflateInit(&s) == Z_OK else { throw ViewRecordFailure(description: "zlib: cannot start an inflate stream") }
        defer { inflateEnd(&s) }
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: max(input.count * 8, 4096))
        try input.withUnsafeBufferPointer { inp in
            s.next_in = UnsafeMutablePointer(mutating: inp.baseAddress)
            s.avail_in = uInt(inp.count)
            while true {
                let (status, produced): (Int32, Int) = chunk.withUnsafeMutableBufferPointer { c in
                    s.next_out = c.baseAddress
                    s.avail_out = uInt(c.count)
                    let st = CZlib.inflate(&s, Z_NO_FLUSH)
                    return (st, c.count - Int(s.avail_out))
                }
                out.append(contentsOf: chunk[0..<produced])
                if status == Z_STREAM_END { return }
                guard status == Z_OK || (status == Z_BUF_ERROR && produced > 0) else {
                    throw ViewRecordFailure(description: "zlib: a view record is damaged (\(status))")
                }
            }
        }
        return out
    }
}

struct ViewRecordFailure: Error, CustomStringConvertible {
    var description: String
}
