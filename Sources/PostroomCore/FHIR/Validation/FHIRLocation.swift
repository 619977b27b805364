/// The FHIRPath-like location of the value being validated, kept as a stack of segments and
/// rendered to text (`Bundle.entry[2].resource.status`) only when an issue is raised.
struct FHIRLocation {
    enum Segment {
        case name(String)
        case index(Int)
    }

    private(set) var segments: [Segment] = []

    init(root: String? = nil) {
        segments.reserveCapacity(32)
        if let root { segments.append(.name(root)) }
    }

    @inline(__always) mutating func push(_ name: String) { segments.append(.name(name)) }
    @inline(__always) mutating func push(index: Int) { segments.append(.index(index)) }
    @inline(__always) mutating func pop() { segments.removeLast() }

    /// The index of the innermost array item on the stack, when the last segment is one.
    var lastIndex: Int? {
        if case .index(let i)? = segments.last { return i }
        return nil
    }

    /// The location as text, with an optional member name appended.
    func render(appending name: String? = nil) -> String {
        var out = ""
        for segment in segments {
            switch segment {
            case .name(let n):
                if !out.isEmpty { out += "." }
                out += n
            case .index(let i):
                out += "[\(i)]"
            }
        }
        if let name {
            if !out.isEmpty { out += "." }
            out += name
        }
        return out
    }
}
