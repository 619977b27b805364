/// A position in an HL7 v2 message, written as issues show it: `OBR-2.1`, `PID[1]-3[2].4`, `OBX[3]-5`.
///
/// `[n]` after the segment is its occurrence among segments with the same id; `[r]` after
/// the field is the repetition. Both are shown only when known.
public struct HL7Location: Sendable, Hashable, CustomStringConvertible {
    /// The segment id.
    public var segment: String
    /// The 1-based occurrence among segments with this id, when shown.
    public var segmentIndex: Int?
    /// The field number.
    public var field: Int?
    /// The 1-based repetition, when shown.
    public var repetition: Int?
    /// The component number.
    public var component: Int?
    /// The sub-component number.
    public var subcomponent: Int?

    /// Creates a location.
    public init(segment: String, segmentIndex: Int? = nil, field: Int? = nil, repetition: Int? = nil, component: Int? = nil,
                subcomponent: Int? = nil) {
        self.segment = segment
        self.segmentIndex = segmentIndex
        self.field = field
        self.repetition = repetition
        self.component = component
        self.subcomponent = subcomponent
    }

    /// The location as text, e.g. `PID[1]-3[2].4`.
    public var description: String {
        var s = segment
        if let segmentIndex { s += "[\(segmentIndex)]" }
        guard let field else { return s }
        s += "-\(field)"
        if let repetition { s += "[\(repetition)]" }
        if let component {
            s += ".\(component)"
            if let subcomponent { s += ".\(subcomponent)" }
        }
        return s
    }

    /// Reads a location written by `description`; nil when the text is not one.
    public init?(_ text: String) {
        var rest = Substring(text)
        let id = rest.prefix { $0.isLetter || $0.isNumber }
        guard id.count == 3 else { return nil }
        segment = String(id)
        rest = rest.dropFirst(3)
        func bracket() -> Int?? {
            guard rest.first == "[" else { return .some(nil) }
            guard let close = rest.firstIndex(of: "]"), let n = Int(rest[rest.index(after: rest.startIndex)..<close]) else { return nil }
            rest = rest[rest.index(after: close)...]
            return .some(n)
        }
        guard let si = bracket() else { return nil }
        segmentIndex = si
        field = nil
        repetition = nil
        component = nil
        subcomponent = nil
        guard !rest.isEmpty else { return }
        guard rest.first == "-" else { return nil }
        rest = rest.dropFirst()
        let f = rest.prefix { $0.isNumber }
        guard let fn = Int(f) else { return nil }
        field = fn
        rest = rest.dropFirst(f.count)
        guard let r = bracket() else { return nil }
        repetition = r
        var numbers: [Int] = []
        while rest.first == "." {
            rest = rest.dropFirst()
            let c = rest.prefix { $0.isNumber }
            guard let n = Int(c) else { return nil }
            numbers.append(n)
            rest = rest.dropFirst(c.count)
        }
        guard rest.isEmpty, numbers.count <= 2 else { return nil }
        component = numbers.first
        subcomponent = numbers.count > 1 ? numbers[1] : nil
    }

    /// The ERL data type of ERR-2: segment ^ sequence ^ field ^ repetition ^ component ^ sub-component.
    public func erl(component c: Character = "^") -> String {
        var parts = [segment, String(segmentIndex ?? 1)]
        if let field {
            parts.append(String(field))
            parts.append(String(repetition ?? 1))
            if let component {
                parts.append(String(component))
                if let subcomponent { parts.append(String(subcomponent)) }
            }
        }
        return parts.joined(separator: String(c))
    }
}
