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
    /// The delimiters read from MSH-1 and MSH-2.
    public let delimiters: HL7Delimiters
    /// The character set chosen from MSH-18 and the bytes.
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
