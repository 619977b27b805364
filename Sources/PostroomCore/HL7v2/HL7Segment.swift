/// A view of one segment of a message, with field access by HL7 field number.
public struct HL7Segment: Sendable {
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
        let i = info
        guard k < i.pieceCount else { return i.range.upperBound..<i.range.upperBound }
        let start = k == 0 ? i.range.lowerBound : message.pieceEnds[i.firstPiece + k - 1] + 1
        return start..<message.pieceEnds[i.firstPiece + k]
    }

    /// Field `n` with all its repetitions. For MSH/FHS/BHS, field 1 is the separator and
    /// field 2 the encoding characters (neither is split further).
    public func field(_ n: Int) -> HL7Element {
        guard n >= 1 else { return HL7Element(message: message, range: 0..<0, literal: true) }
        if info.id.isHeader {
            if n == 1 {
                let s = info.range.lowerBound + 3
                return HL7Element(message: message, range: s..<min(s + 1, info.range.upperBound), literal: true)
            }
            return HL7Element(message: message, range: piece(n - 1), literal: n == 2)
        }
        return HL7Element(message: message, range: piece(n))
    }

    /// The decoded text of field `n` (first repetition unless `repetition` is given), or of
    /// one of its components / sub-components (1-based; 0 means the whole).
    public func text(_ n: Int, _ component: Int = 0, _ subcomponent: Int = 0, repetition: Int = 1) -> String {
        element(n, component, subcomponent, repetition: repetition).text
    }

    /// The element at field `n`, repetition, component and sub-component (0 = whole).
    public func element(_ n: Int, _ component: Int = 0, _ subcomponent: Int = 0, repetition: Int = 1) -> HL7Element {
        var e = field(n)
        if e.literal { return e }
        e = e.repetition(repetition)
        if component > 0 { e = e.component(component) }
        if subcomponent > 0 { e = e.subcomponent(subcomponent) }
        return e
    }

    /// The location of field `n` (and below) in this segment.
    public func location(_ n: Int? = nil, _ component: Int? = nil, _ subcomponent: Int? = nil, repetition: Int? = nil) -> HL7Location {
        message.location(segment: index, field: n, repetition: repetition, component: component, subcomponent: subcomponent)
    }
}

/// A part of a segment: a field, a repetition, a component or a sub-component.
public struct HL7Element: Sendable {
    public let message: HL7Message
    /// The raw byte range in `message.bytes`.
    public let range: Range<Int>
    /// MSH-1/MSH-2: taken as they are, never split or unescaped.
    let literal: Bool

    init(message: HL7Message, range: Range<Int>, literal: Bool = false) {
        self.message = message
        self.range = range
        self.literal = literal
    }

    /// Whether there is no value (empty, or the HL7 null `""`).
    public var isEmpty: Bool {
        if range.isEmpty { return true }
        if range.count == 2 { return message.bytes[range.lowerBound] == 0x22 && message.bytes[range.lowerBound + 1] == 0x22 }
        return false
    }

    /// Whether there is a value.
    public var isPresent: Bool { !isEmpty }

    /// The value's text with escape sequences decoded and the message's character set applied.
    public var text: String {
        if isEmpty { return "" }
        if literal { return raw }
        return message.bytes.withUnsafeBufferPointer { buf in
            HL7Escape.unescape(buf, range, delimiters: message.delimiters, charset: message.charset)
        }
    }

    /// The value as written (character set applied, escape sequences kept).
    public var raw: String {
        message.bytes.withUnsafeBufferPointer { message.charset.string(UnsafeBufferPointer(rebasing: $0[range])) }
    }

    /// Splits on `delimiter` and returns the `k`-th part (1-based); empty when absent.
    func part(_ k: Int, _ delimiter: UInt8) -> HL7Element {
        if literal { return k == 1 ? self : HL7Element(message: message, range: range.upperBound..<range.upperBound) }
        return message.bytes.withUnsafeBufferPointer { buf in
            var start = range.lowerBound
            var n = 1
            var i = start
            while i < range.upperBound {
                if buf[i] == delimiter {
                    if n == k { return HL7Element(message: message, range: start..<i) }
                    n += 1
                    start = i + 1
                }
                i += 1
            }
            if n == k { return HL7Element(message: message, range: start..<range.upperBound) }
            return HL7Element(message: message, range: range.upperBound..<range.upperBound)
        }
    }

    /// All parts split on `delimiter`.
    func parts(_ delimiter: UInt8) -> [HL7Element] {
        if literal || range.isEmpty { return [self] }
        return message.bytes.withUnsafeBufferPointer { buf in
            var out: [HL7Element] = []
            var start = range.lowerBound
            for i in range where buf[i] == delimiter {
                out.append(HL7Element(message: message, range: start..<i))
                start = i + 1
            }
            out.append(HL7Element(message: message, range: start..<range.upperBound))
            return out
        }
    }

    /// Repetition `r` (1-based) of a field.
    public func repetition(_ r: Int) -> HL7Element { part(r, message.delimiters.repetition) }
    /// All repetitions of a field (one, possibly empty, when it does not repeat).
    public var repetitions: [HL7Element] { parts(message.delimiters.repetition) }
    /// Component `c` (1-based) of a field repetition.
    public func component(_ c: Int) -> HL7Element { part(c, message.delimiters.component) }
    /// All components.
    public var components: [HL7Element] { parts(message.delimiters.component) }
    /// Sub-component `s` (1-based) of a component.
    public func subcomponent(_ s: Int) -> HL7Element { part(s, message.delimiters.subcomponent) }
    /// The decoded text of component `c`.
    public subscript(_ c: Int) -> String { component(c).text }
}
