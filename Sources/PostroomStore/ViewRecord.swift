import CZlib
import Foundation

/// One resource version waiting in the view journal: exactly what `resource` will hold.
struct ViewEntry: Sendable, Equatable {
    var type: String
    var id: String
    var version: Int
    var lastUpdated: String
    var messageID: String?
    var json: [UInt8]
}

/// The compact record of the resource versions one message (or one savepoint) wrote: the entries
/// framed one after the other and deflated as one block. A message's dozen resources share most of
/// their text, so the record is about a seventh of the JSON it carries.
///
/// Framing, per entry: type, id, version, lastUpdated, messageID (length `0xFFFFFFFF` for none), json;
/// strings and bytes as a 4-byte little-endian length then the bytes; the version as 4 bytes.
enum ViewRecord {
    static let noValue: UInt32 = 0xFFFF_FFFF

    static func encode(_ entries: ArraySlice<ViewEntry>) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(entries.reduce(0) { $0 + $1.json.count + 96 })
        for e in entries {
            put(Array(e.type.utf8), &out)
            put(Array(e.id.utf8), &out)
            putLength(UInt32(e.version), &out)
            put(Array(e.lastUpdated.utf8), &out)
            if let m = e.messageID { put(Array(m.utf8), &out) } else { putLength(noValue, &out) }
            put(e.json, &out)
        }
        return out
    }

    static func decode(_ bytes: [UInt8]) -> [ViewEntry]? {
        var r = Cursor(data: bytes)
        var out: [ViewEntry] = []
        while r.offset < bytes.count {
            guard let type = r.string(), let id = r.string(), let version = r.length(), let at = r.string(),
                  let message = r.optionalString(), let json = r.bytes() else { return nil }
            out.append(ViewEntry(type: type, id: id, version: Int(version), lastUpdated: at, messageID: message, json: json))
        }
        return out
    }

    private static func put(_ b: [UInt8], _ out: inout [UInt8]) {
        putLength(UInt32(b.count), &out)
        out.append(contentsOf: b)
    }

    private static func putLength(_ n: UInt32, _ out: inout [UInt8]) {
        withUnsafeBytes(of: n.littleEndian) { out.append(contentsOf: $0) }
    }

    private struct Cursor {
        let data: [UInt8]
        var offset = 0

        mutating func length() -> UInt32? {
            guard offset + 4 <= data.count else { return nil }
            let n = UInt32(data[offset]) | UInt32(data[offset + 1]) << 8 | UInt32(data[offset + 2]) << 16 | UInt32(data[offset + 3]) << 24
            offset += 4
            return n
        }

        mutating func bytes() -> [UInt8]? {
            guard let n = length(), n != ViewRecord.noValue, offset + Int(n) <= data.count else { return nil }
            defer { offset += Int(n) }
            return Array(data[offset..<offset + Int(n)])
        }

        mutating func string() -> String? { bytes().map { String(decoding: $0, as: UTF8.self) } }

        mutating func optionalString() -> String?? {
            guard offset + 4 <= data.count else { return nil }
            if data[offset..<offset + 4].allSatisfy({ $0 == 0xFF }) {
                offset += 4
                return .some(nil)
            }
            return string().map { .some($0) }
        }
    }
}

/// zlib (deflate, level 1) for view records: one stream kept and reset per record, since setting up a
/// stream allocates a quarter of a megabyte.
final class ViewCompressor {
    private var stream = z_stream()
    private var ready = false

    deinit {
        if ready { deflateEnd(&stream) }
    }

    func deflate(_ input: [UInt8]) throws -> [UInt8] {
        if !ready {
            guard CZlibDeflateInit(&stream, 1) == Z_OK else { throw ViewRecordFailure(description: "zlib: cannot start a deflate stream") }
            ready = true
        } else {
            deflateReset(&stream)
        }
        var out = [UInt8](repeating: 0, count: Int(deflateBound(&stream, uLong(input.count))))
        let written: Int = try input.withUnsafeBufferPointer { inp in
            try out.withUnsafeMutableBufferPointer { o in
                stream.next_in = UnsafeMutablePointer(mutating: inp.baseAddress)
                stream.avail_in = uInt(inp.count)
                stream.next_out = o.baseAddress
                stream.avail_out = uInt(o.count)
                guard CZlib.deflate(&stream, Z_FINISH) == Z_STREAM_END else { throw ViewRecordFailure(description: "zlib: deflate did not finish") }
                return o.count - Int(stream.avail_out)
            }
        }
        // A copy of the written part: the bound's spare capacity would otherwise stay allocated for as
        // long as the record waits to be inserted.
        return Array(out[..<written])
    }

    /// Inflates a record (any size; grows the output as needed).
    static func inflate(_ input: [UInt8]) throws -> [UInt8] {
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
