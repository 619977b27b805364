import Foundation
import PostroomCore
import PostroomDigest
import PostroomStore

/// What pass 1 found in a large XML file of a CDA channel.
enum CDAScan {
    /// A bare ClinicalDocument, well-formed and within every limit: its skeleton (header and body
    /// kind, see `XMLStreamCheck`), size and base64 SHA-1.
    case document(skeleton: [UInt8], size: Int, sha1: String)
    /// Refused by the XML rules (DOCTYPE, encoding, limits, not well-formed): these issues, nothing applied.
    case broken([Issue])
    /// An ITK or SOAP envelope, or a skeleton too large: decoded whole as before (bounded by `maxFileSize`).
    case whole
}

extension Pipeline {
    /// Processes one large CDA document with bounded memory (PERFORMANCE.md, "A 50 MB CDA document").
    ///
    /// Pass 1 reads the file in chunks: its drop hash, size and SHA-1, and `XMLStreamCheck` (the
    /// pre-scan rules, the structural limits, well-formedness) which keeps the document's skeleton.
    /// The skeleton is decoded by `CDADecoder` as a small file is — same header, keys, patient,
    /// orders, relations, status — and the DocumentReference's attachment names the original
    /// (`url` `Binary/<drop id>`, `size`, `hash`) instead of holding it: the original is the drop's
    /// archived file, which `postroom serve` streams. Envelopes are decoded whole as before.
    func processStreamedCDA(_ f: inout InFlight, session: RunSession) throws {
        let scan = try scanCDA(&f)
        let record0 = f.record
        let earlier = try store.write { w -> DropRecord? in
            try w.setDropHash(dropID: record0.id, sha256: record0.sha256)
            return record0.reprocessOf == nil ? try w.reader.appliedDrop(sha256: record0.sha256, excluding: record0.id) : nil
        }
        let opts = options(for: f.channel)
        switch (scan, earlier) {
        case (.whole, _):
            let bytes = try FileSystem.read(f.record.workPath, limit: f.channel.maxFileSize)
            try settleWhole(&f, bytes: bytes, Decoder.decode(bytes, accepting: f.channel.formats, options: opts))
        case (_, .some):
            // The same bytes applied before: `settle` answers as for any duplicate drop.
            try settleWhole(&f, bytes: [], DecodedDrop(format: .cda, messages: [], issues: []))
        case (.broken(let issues), nil):
            try settleWhole(&f, bytes: [], DecodedDrop(format: .cda, messages: [], issues: issues))
        case (.document(let skeleton, let size, let sha1), nil):
            session.archive.compressAhead(record0, modified: f.modified)
            var decoded = CDADecoder.decode(skeleton, options: opts)
            let attachment = Self.referencedAttachment(dropID: record0.id, size: size, sha1: sha1)
            for m in decoded.messages.indices {
                for r in decoded.messages[m].reports.indices where decoded.messages[m].reports[r].kind == .document {
                    decoded.messages[m].reports[r].resource = Self.settingAttachment(decoded.messages[m].reports[r].resource, attachment)
                }
            }
            try settleWhole(&f, bytes: [], decoded)
        }
    }

    /// Pass 1: the hash (set on the record), size, SHA-1 and the XML check of the whole file.
    func scanCDA(_ f: inout InFlight) throws -> CDAScan {
        var check = XMLStreamCheck(limits: XMLStreamCheck.Limits(options(for: f.channel)))
        let hash = SHA256Stream()
        let sha1 = SHA1Stream()
        try FileSystem.forEachChunk(of: f.record.workPath) { chunk in
            hash.update(chunk)
            sha1.update(chunk)
            check.push(chunk)
        }
        f.record.sha256 = hash.finish()
        let issues = check.finish()
        if !issues.isEmpty { return .broken(issues) }
        guard check.rootLocalName == "ClinicalDocument", !check.skeletonOverflow else { return .whole }
        return .document(skeleton: check.skeleton, size: check.byteCount, sha1: sha1.finishBase64())
    }

    /// The attachment of a document kept by reference: where its original is served, its size and SHA-1.
    static func referencedAttachment(dropID: String, size: Int, sha1: String) -> JSONObject {
        JSONObject([
            "size": .number(String(size)),
            "hash": .string(sha1),
            "url": .string("Binary/" + dropID),
        ])
    }

    /// `resource` with `content[0].attachment` given `extra` (the Applier keeps it: see `documentContent`).
    static func settingAttachment(_ resource: JSONValue, _ extra: JSONObject) -> JSONValue {
        guard var o = resource.object else { return resource }
        var content = o["content"]?[0]?.object ?? JSONObject()
        var attachment = content["attachment"]?.object ?? JSONObject()
        for m in extra.members { attachment[m.key] = m.value }
        content["attachment"] = .object(attachment)
        o["content"] = .array([.object(content)])
        return .object(o)
    }
}
