/// One parsed HL7 v2 message: its raw bytes, delimiters, character set and segments.
///
/// Parsing only finds where segments and fields are; values are decoded (escape sequences,
/// character set) when asked for, so a message costs little until it is read.
public struct HL7Message: Sendable {
    /// Where one segment is.
    struct SegmentInfo: Sendable {
        var id: HL7SegmentID
        var range: Range<Int>
        /// Index of its first piece in `pieceEnds`.
        var firstPiece: Int
        var pieceCount: Int
    }

    /// The arrays of a message, shared by every view of it (one reference to count).
    final class Storage: Sendable {
        let bytes: [UInt8]
        let segmentInfos: [SegmentInfo]
        let pieceEnds: [Int]
        init(bytes: [UInt8], segmentInfos: [SegmentInfo], pieceEnds: [Int]) {
            self.bytes = bytes
            self.segmentInfos = segmentInfos
            self.pieceEnds = pieceEnds
        }
    }

    let storage: Storage
    public let delimiters: HL7Delimiters
    public let charset: HL7Charset

    /// The message's bytes exactly as received.
    public var bytes: [UInt8] { storage.bytes }
    var segmentInfos: [SegmentInfo] { storage.segmentInfos }
    /// End offset of every piece (field-separator-delimited run) of every segment.
    var pieceEnds: [Int] { storage.pieceEnds }

    init(bytes: [UInt8], delimiters: HL7Delimiters, charset: HL7Charset, segmentInfos: [SegmentInfo], pieceEnds: [Int]) {
        storage = Storage(bytes: bytes, segmentInfos: segmentInfos, pieceEnds: pieceEnds)
        self.delimiters = delimiters
        self.charset = charset
    }

    /// Whether a raw range holds no value (empty, or the HL7 null `""`).
    func isNull(_ r: Range<Int>) -> Bool {
        if r.isEmpty { return true }
        if r.count == 2 { return storage.bytes[r.lowerBound] == 0x22 && storage.bytes[r.lowerBound + 1] == 0x22 }
        return false
    }

    /// The decoded text of a raw range (escapes decoded unless `literal`, character set applied).
    func text(_ r: Range<Int>, literal: Bool = false) -> String {
        if isNull(r) { return "" }
        return storage.bytes.withUnsafeBufferPointer { buf in
            literal ? charset.string(UnsafeBufferPointer(rebasing: buf[r]))
                : HL7Escape.unescape(buf, r, delimiters: delimiters, charset: charset)
        }
    }

    /// The number of segments.
    public var segmentCount: Int { segmentInfos.count }

    /// The segment at `index` (0-based, in message order).
    public func segment(_ index: Int) -> HL7Segment { HL7Segment(message: self, index: index) }

    /// All segments in order.
    public var segments: [HL7Segment] { (0..<segmentInfos.count).map { HL7Segment(message: self, index: $0) } }

    /// The id of the segment at `index`.
    public func segmentID(_ index: Int) -> HL7SegmentID { segmentInfos[index].id }

    /// The segments with a given id, in order.
    public func segments(_ id: HL7SegmentID) -> [HL7Segment] {
        segmentInfos.indices.filter { segmentInfos[$0].id == id }.map { HL7Segment(message: self, index: $0) }
    }

    /// The first segment with a given id.
    public func first(_ id: HL7SegmentID) -> HL7Segment? {
        segmentInfos.firstIndex { $0.id == id }.map { HL7Segment(message: self, index: $0) }
    }

    /// The 1-based occurrence of the segment at `index` among segments with its id.
    public func occurrence(of index: Int) -> Int {
        let id = segmentInfos[index].id
        var n = 0
        for i in 0...index where segmentInfos[i].id == id { n += 1 }
        return n
    }

    /// Whether more than one segment carries `id`.
    public func repeats(_ id: HL7SegmentID) -> Bool {
        var n = 0
        for s in segmentInfos where s.id == id { n += 1; if n > 1 { return true } }
        return false
    }

    /// The location of a segment, with its occurrence when the id repeats (`OBX[3]`).
    public func location(segment index: Int, field: Int? = nil, repetition: Int? = nil, component: Int? = nil,
                         subcomponent: Int? = nil) -> HL7Location {
        let id = segmentInfos[index].id
        return HL7Location(segment: id.description, segmentIndex: repeats(id) ? occurrence(of: index) : nil, field: field,
                           repetition: repetition, component: component, subcomponent: subcomponent)
    }
}

extension HL7Message {
    /// Why bytes could not be read as a message at all.
    public struct Failure: Error, Sendable {
        public var issues: [Issue]
    }

    /// Parses one message; on failure the issues say why nothing could be read.
    ///
    /// Issues of a message that could be read (bad MSH-2, character set, bad segment ids)
    /// are returned with it; they do not stop parsing.
    public static func parse(_ bytes: [UInt8]) -> Result<(HL7Message, [Issue]), Failure> {
        bytes.withUnsafeBufferPointer { buf in parse(buf, owner: bytes) }
    }

    static func parse(_ buf: UnsafeBufferPointer<UInt8>, owner: [UInt8]) -> Result<(HL7Message, [Issue]), Failure> {
        let ranges = HL7Segmenter.segments(buf, terminator: HL7Segmenter.terminator(for: buf))
        guard let first = ranges.first, first.count >= 3, buf[first.lowerBound] == 0x4D, buf[first.lowerBound + 1] == 0x53,
              buf[first.lowerBound + 2] == 0x48 else {
            return .failure(Failure(issues: [.fatal("msh-missing", at: "MSH", "The message does not start with an MSH segment")]))
        }
        guard let (delimiters, delimiterIssues) = HL7Delimiters.read(buf, start: first.lowerBound, end: first.upperBound, segment: "MSH") else {
            return .failure(Failure(issues: [.fatal("msh-invalid", at: "MSH-1",
                "MSH-1 must be a punctuation character (the field separator) right after MSH")]))
        }
        var issues = delimiterIssues
        var infos: [SegmentInfo] = []
        infos.reserveCapacity(ranges.count)
        var ends: [Int] = []
        ends.reserveCapacity(ranges.count * 12)
        let sep = delimiters.field
        for r in ranges {
            let firstPiece = ends.count
            var i = r.lowerBound
            while i < r.upperBound {
                if buf[i] == sep { ends.append(i) }
                i += 1
            }
            ends.append(r.upperBound)
            let idEnd = ends[firstPiece]
            let id = HL7SegmentID(buf, r.lowerBound..<idEnd)
            infos.append(SegmentInfo(id: id, range: r, firstPiece: firstPiece, pieceCount: ends.count - firstPiece))
        }
        // MSH-18 decides the character set.
        var declared = ""
        if infos[0].pieceCount > 17 {
            let start = ends[infos[0].firstPiece + 16] + 1
            let end = ends[infos[0].firstPiece + 17]
            var e = start
            while e < end, buf[e] != delimiters.repetition { e += 1 }
            declared = String(decoding: UnsafeBufferPointer(rebasing: buf[start..<e]), as: UTF8.self)
        }
        let choice = HL7Charset.choose(declared: declared, bytes: buf)
        if let issue = choice.issue { issues.append(issue) }
        let message = HL7Message(bytes: owner, delimiters: delimiters, charset: choice.charset, segmentInfos: infos, pieceEnds: ends)
        for (i, info) in infos.enumerated() where !info.id.isValid {
            issues.append(.error("segment-id-invalid", type: "structure", at: "segment \(i + 1)",
                                 "Segment \(i + 1) does not start with a valid segment id (three upper-case letters or digits)"))
        }
        return .success((message, issues))
    }
}
