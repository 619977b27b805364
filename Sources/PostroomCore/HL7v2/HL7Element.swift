/// A part of a segment: a field, a repetition, a component or a sub-component.
public struct HL7Element: Sendable {
    /// The message the element belongs to.
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
    public var isEmpty: Bool { message.isNull(range) }

    /// Whether there is a value.
    public var isPresent: Bool { !isEmpty }

    /// The value's text with escape sequences decoded and the message's character set applied.
    public var text: String { message.text(range, literal: literal) }

    /// Calls `body` with the raw bytes of the value.
    func withBytes<R>(_ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        message.bytes.withUnsafeBufferPointer { body(UnsafeBufferPointer(rebasing: $0[range])) }
    }

    /// The ranges of the first `count` components (empty ranges for absent ones), in one pass.
    func componentRanges(_ count: Int) -> [Range<Int>] {
        let d = message.delimiters.component
        return message.bytes.withUnsafeBufferPointer { buf in
            var out: [Range<Int>] = []
            out.reserveCapacity(count)
            var start = range.lowerBound
            var i = start
            while i < range.upperBound, out.count < count {
                if buf[i] == d { out.append(start..<i); start = i + 1 }
                i += 1
            }
            if out.count < count { out.append(start..<range.upperBound) }
            while out.count < count { out.append(range.upperBound..<range.upperBound) }
            return out
        }
    }

    /// The raw range of component `c` (1-based).
    func componentRange(_ c: Int) -> Range<Int> {
        if literal { return c == 1 ? range : range.upperBound..<range.upperBound }
        return message.storage.bytes.withUnsafeBufferPointer { Self.part($0, range, message.delimiters.component, c) }
    }

    /// The decoded text of component `c` (1-based), without creating an element.
    func componentText(_ c: Int) -> String { message.text(componentRange(c)) }

    /// Whether component `c` (1-based) has a value.
    func hasComponent(_ c: Int) -> Bool { !message.isNull(componentRange(c)) }

    /// The decoded text of a sub-range of this element's message.
    func text(of r: Range<Int>) -> String {
        HL7Element(message: message, range: r).text
    }

    /// The value as written (character set applied, escape sequences kept).
    public var raw: String {
        message.bytes.withUnsafeBufferPointer { message.charset.string(UnsafeBufferPointer(rebasing: $0[range])) }
    }

    /// The `k`-th part (1-based) of `range` split on `delimiter`; empty at the end when absent.
    @inline(__always) static func part(_ buf: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, _ delimiter: UInt8, _ k: Int) -> Range<Int> {
        var start = range.lowerBound
        var n = 1
        var i = start
        while i < range.upperBound {
            if buf[i] == delimiter {
                if n == k { return start..<i }
                n += 1
                start = i + 1
            }
            i += 1
        }
        if n == k { return start..<range.upperBound }
        return range.upperBound..<range.upperBound
    }

    /// Splits on `delimiter` and returns the `k`-th part (1-based); empty when absent.
    func part(_ k: Int, _ delimiter: UInt8) -> HL7Element {
        if literal { return k == 1 ? self : HL7Element(message: message, range: range.upperBound..<range.upperBound) }
        let r = message.storage.bytes.withUnsafeBufferPointer { Self.part($0, range, delimiter, k) }
        return HL7Element(message: message, range: r)
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
