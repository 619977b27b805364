import Foundation
import Hummingbird
import PostroomArchive
import PostroomCore
import PostroomStore

/// `GET /Binary/<drop id>`: the original of a CDA document kept by reference (a document above
/// `limits.streamAbove`, whose DocumentReference attachment says `url: Binary/<drop id>` instead of
/// holding the bytes). The bytes are streamed from the run's archive (or from `error/` or the work
/// folder while the original is still there), in pieces of 64 KiB, never loaded whole. Only the
/// originals of bare ClinicalDocument drops are served; anything else is `404` with an OperationOutcome.
struct BinaryRoute: Sendable {
    let stores: StoreProvider
    static let contentType = "application/hl7-v3+xml"
    static let chunk = 64 << 10

    func register(on router: Router<ServeContext>) {
        router.get("/Binary/:id") { _, context in try binary(context) }
    }

    func binary(_ context: ServeContext) throws -> Response {
        let id = context.parameters.get("id") ?? ""
        guard FHIRSearchRequest.isID(id), let store = stores.store(),
              let drop = try store.read({ r -> DropRecord? in
                  guard let d = try r.drop(id: id), d.format == "cda",
                        try r.messages(dropID: id).first?.type == "ClinicalDocument" else { return nil }
                  return d
              }),
              let source = try Self.open(drop)
        else { throw FHIRFailure.unknownResource("Binary") }
        let headers: HTTPFields = [.contentType: Self.contentType, .cacheControl: "no-store"]
        return Response(status: .ok, headers: headers, body: ResponseBody(contentLength: source.size) { writer in
            var buffer = [UInt8](repeating: 0, count: Self.chunk)
            while true {
                let n = try buffer.withUnsafeMutableBytes { try source.read(into: $0) }
                if n == 0 { break }
                try await writer.write(ByteBuffer(bytes: buffer[0..<n]))
            }
            try await writer.finish(nil)
        })
    }

    /// Where the drop's original is now: its archive member, else `error/`, else the work folder.
    static func open(_ drop: DropRecord) throws -> OriginalSource? {
        if let archive = drop.archivePath, let member = drop.archiveMember, FileManager.default.fileExists(atPath: archive) {
            let reader = try ArchiveReader(path: archive)
            return try reader.seek(toMember: member) ? OriginalSource(archive: reader, size: drop.size) : nil
        }
        for path in [drop.errorPath, drop.workPath].compactMap({ $0 }) {
            if let handle = FileHandle(forReadingAtPath: path) { return OriginalSource(file: handle, size: drop.size) }
        }
        return nil
    }
}

/// An original being read in pieces: an archive member or a file. Used by one response at a time.
final class OriginalSource: @unchecked Sendable {
    private let archive: ArchiveReader?
    private let file: FileHandle?
    /// The original's size (the drop's recorded size), for `Content-Length`.
    let size: Int?

    init(archive: ArchiveReader? = nil, file: FileHandle? = nil, size: Int64) {
        self.archive = archive
        self.file = file
        self.size = size > 0 ? Int(size) : nil
    }

    deinit { try? file?.close() }

    /// The next piece into `buffer`: its byte count, 0 at the end.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        if let archive { return try archive.readChunk(into: buffer) }
        guard let file else { return 0 }
        let data = try file.read(upToCount: buffer.count) ?? Data()
        data.copyBytes(to: buffer)
        return data.count
    }
}
