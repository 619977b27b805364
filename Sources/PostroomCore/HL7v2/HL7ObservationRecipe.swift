/// How the mapping builds one Observation of an HL7 v2 result, in a form that can be written down and
/// read back: the segments it reads (the report's OBR, then the OBX and the NTEs of its OBSERVATION
/// group), the delimiters and character set they are read with, the channel's time zone, the id and the
/// subject; written with the references `DeferredResource` sets when missing. Read back, it rebuilds a
/// message of just those segments and runs the same mapping on it, so it builds the same tree
/// (`HL7ObservationRecipeTests`).
final class HL7ObservationRecipe: Sendable {
    let reader: HL7MessageReader
    /// The OBSERVATION group's segments (indices in `reader.message`), its OBX first.
    let group: [Int]
    let obr: Int
    let id: String
    let subject: JSONValue?

    init(reader: HL7MessageReader, group: [Int], obr: Int, id: String, subject: JSONValue?) {
        self.reader = reader
        self.group = group
        self.obr = obr
        self.id = id
        self.subject = subject
    }

    func build() -> JSONValue {
        let m = reader.message
        return reader.observation(m.segment(group[0]), id: id, subject: subject, notes: reader.notes(group), fallbackEffective: m.segment(obr))
    }
}

// MARK: Written form

extension HL7ObservationRecipe {
    /// Whether a recipe of this subject reads back: its JSON parses to the same tree (a tree the parser
    /// refuses, such as one with repeated member names, would make the whole record unreadable). Checked
    /// once per message, before any recipe is made.
    static func readsBack(subject: JSONValue?) -> Bool {
        guard let subject else { return true }
        var text: [UInt8] = []
        JSONWriter().append(subject, to: &text)
        return (try? JSONParser().parse(text)) == subject
    }

    /// Appends the written form: lengths and counts are 4 bytes little-endian, strings UTF-8 after their length.
    ///
    /// zone · delimiters (field, component, repetition, escape, sub-component, truncation or 0) · character
    /// set · id · subject as JSON (length `0xFFFFFFFF` for none) · references (count, then key and
    /// reference each) · segments (count, then each one's raw bytes after its length: the OBR, then the group's).
    func write(references: [DeferredResource.Reference], into out: inout [UInt8]) {
        let m = reader.message
        LengthPrefixed.put(reader.zone.identifier, &out)
        let d = m.delimiters
        out.append(contentsOf: [d.field, d.component, d.repetition, d.escape, d.subcomponent, d.truncation ?? 0])
        out.append(Self.charsetCodes.firstIndex(of: m.charset).map(UInt8.init) ?? 0)
        LengthPrefixed.put(id, &out)
        if let subject {
            LengthPrefixed.putFramed(&out) { JSONWriter().append(subject, to: &$0) }
        } else {
            LengthPrefixed.putWord(Self.noSubject, &out)
        }
        LengthPrefixed.putCount(references.count, &out)
        for r in references {
            LengthPrefixed.put(r.key, &out)
            LengthPrefixed.put(r.reference, &out)
        }
        LengthPrefixed.putCount(1 + group.count, &out)
        m.bytes.withUnsafeBufferPointer { b in
            for i in [obr] + group {
                LengthPrefixed.putFramed(&out) { $0.append(contentsOf: UnsafeBufferPointer(rebasing: b[m.segmentInfos[i].range])) }
            }
        }
    }

    /// The recipe and references `write` wrote, or nil when the bytes are not one.
    static func read(_ bytes: ArraySlice<UInt8>) -> (HL7ObservationRecipe, [DeferredResource.Reference])? {
        var r = LengthPrefixed.Reader(bytes)
        guard let zone = r.string(), let d = r.take(6).map(Array.init), let code = r.take(1)?.first,
              Int(code) < Self.charsetCodes.count, let id = r.string(), let subjectLength = r.word() else { return nil }
        var subject: JSONValue?
        if subjectLength != Self.noSubject {
            guard let text = r.take(Int(exactly: subjectLength) ?? -1), let parsed = try? JSONParser().parse(text) else { return nil }
            subject = parsed
        }
        guard let referenceCount = r.count(), referenceCount <= r.remaining / 8 else { return nil }
        var references: [DeferredResource.Reference] = []
        for _ in 0..<referenceCount {
            guard let key = r.string(), let reference = r.string() else { return nil }
            references.append(.init(key: key, reference: reference))
        }
        let delimiters = HL7Delimiters(field: d[0], component: d[1], repetition: d[2], escape: d[3], subcomponent: d[4],
                                       truncation: d[5] == 0 ? nil : d[5])
        guard let count = r.count(), count >= 2, count <= r.remaining / 4,
              let message = Self.message(&r, segments: count, delimiters: delimiters, charset: Self.charsetCodes[Int(code)]),
              r.remaining == 0 else { return nil }
        let reader = HL7MessageReader(message: message, options: DecodeOptions(timeZone: zone), zone: .shared(zone))
        return (HL7ObservationRecipe(reader: reader, group: Array(2...count), obr: 1, id: id, subject: subject), references)
    }

    /// A message of an MSH naming `delimiters`, then the `segments` segments read next (the OBR is its
    /// segment 1).
    private static func message(_ r: inout LengthPrefixed.Reader, segments: Int, delimiters: HL7Delimiters,
                                charset: HL7Charset) -> HL7Message? {
        var bytes: [UInt8] = Array("MSH".utf8) + [delimiters.field] + Array(delimiters.encodingCharacters.utf8)
        var ranges = [0..<bytes.count]
        for _ in 0..<segments {
            guard let n = r.count(), let raw = r.take(n) else { return nil }
            bytes.append(0x0D)
            ranges.append(bytes.count..<bytes.count + n)
            bytes.append(contentsOf: raw)
        }
        let (infos, ends) = bytes.withUnsafeBufferPointer { HL7Message.index($0, ranges, fieldSeparator: delimiters.field) }
        return HL7Message(bytes: bytes, delimiters: delimiters, charset: charset, segmentInfos: infos, pieceEnds: ends)
    }

    /// The subject's length when there is none.
    private static let noSubject: UInt32 = 0xFFFF_FFFF

    /// The character sets by their written code.
    private static let charsetCodes: [HL7Charset] = [.utf8, .latin1, .windows1252]
}
