/// A view of one segment of a message, with field access by HL7 field number.
public struct HL7Segment: Sendable {
    /// The message the segment belongs to.
    public let message: HL7Message
    /// The segment's 0-based position in the message.
    public let index: Int

    var info: HL7Message.SegmentInfo { message.segmentInfos[index] }

    /// The segment id.
    public var id: HL7SegmentID { info.id }

    /// The highest field number present (trailing empty fields included).
    public var fieldCount: Int { info.id.isHeader ? info.pieceCount : info.pieceCount - 1 }

    /// The raw byte range of piece `k` (field-separator-delimited run, piece 0 = segment id).
    func piece(_ k: Int) -> Range<Int> {
        let s = message.storage
        let i = s.segmentInfos[index]
        guard k < i.pieceCount else { return i.range.upperBound..<i.range.upperBound }
        let start = k == 0 ? i.range.lowerBound : s.pieceEnds[i.firstPiece + k - 1] + 1
        return start..<s.pieceEnds[i.firstPiece + k]
    }

    /// The raw range of field `n` and whether it is literal (MSH-1/MSH-2).
    @inline(__always) func fieldRange(_ n: Int) -> (Range<Int>, literal: Bool) {
        guard n >= 1 else { return (0..<0, true) }
        let info = message.storage.segmentInfos[index]
        if info.id.isHeader {
            if n == 1 {
                let s = info.range.lowerBound + 3
                return (s..<min(s + 1, info.range.upperBound), true)
            }
            return (piece(n - 1), n == 2)
        }
        return (piece(n), false)
    }

    /// Field `n` with all its repetitions. For MSH/FHS/BHS, field 1 is the separator and
    /// field 2 the encoding characters (neither is split further).
    public func field(_ n: Int) -> HL7Element {
        let (r, literal) = fieldRange(n)
        return HL7Element(message: message, range: r, literal: literal)
    }

    /// The raw range of field `n`, repetition, component and sub-component (0 = whole).
    func range(_ n: Int, _ component: Int = 0, _ subcomponent: Int = 0, repetition: Int = 1) -> (Range<Int>, literal: Bool) {
        let (f, literal) = fieldRange(n)
        if literal || f.isEmpty { return (f, literal) }
        let d = message.delimiters
        return message.storage.bytes.withUnsafeBufferPointer { buf in
            var r = HL7Element.part(buf, f, d.repetition, repetition)
            if component > 0 { r = HL7Element.part(buf, r, d.component, component) }
            if subcomponent > 0 { r = HL7Element.part(buf, r, d.subcomponent, subcomponent) }
            return (r, false)
        }
    }

    /// The decoded text of field `n` (first repetition unless `repetition` is given), or of
    /// one of its components / sub-components (1-based; 0 means the whole).
    public func text(_ n: Int, _ component: Int = 0, _ subcomponent: Int = 0, repetition: Int = 1) -> String {
        let (r, literal) = range(n, component, subcomponent, repetition: repetition)
        return message.text(r, literal: literal)
    }

    /// Whether field `n` (or one of its components) has a value.
    func has(_ n: Int, _ component: Int = 0) -> Bool {
        let (r, _) = range(n, component)
        return !message.isNull(r)
    }

    /// The element at field `n`, repetition, component and sub-component (0 = whole).
    public func element(_ n: Int, _ component: Int = 0, _ subcomponent: Int = 0, repetition: Int = 1) -> HL7Element {
        let (r, literal) = range(n, component, subcomponent, repetition: repetition)
        return HL7Element(message: message, range: r, literal: literal)
    }

    /// The location of field `n` (and below) in this segment.
    public func location(_ n: Int? = nil, _ component: Int? = nil, _ subcomponent: Int? = nil, repetition: Int? = nil) -> HL7Location {
        message.location(segment: index, field: n, repetition: repetition, component: component, subcomponent: subcomponent)
    }
}
