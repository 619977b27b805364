/// A statement of one to `MultiRowSQL.most` rows (or keys), its text for each count made once: the
/// store writes a message's keys in one statement instead of one a key, and looks each text up in the
/// connection's statement cache as it would a fixed one, with nothing built per call.
struct MultiRowSQL: Sendable {
    /// Rows (or keys) a statement takes at most; more are written in several statements.
    static let most = 8

    private let statements: [SQL]
    /// Values a row takes.
    private let width: Int

    /// `head` then `count` rows of `width` placeholders (`(?, ?), (?, ?)`; for `width` 1, `?, ?`), then `tail`.
    init(_ head: String, width: Int, tail: String = "") {
        self.width = width
        statements = (0...Self.most).map { .cached(head + Self.placeholders($0, of: width) + tail) }
    }

    /// The statement for `count` rows, 1…`most`.
    subscript(count: Int) -> SQL { statements[count] }

    static func placeholders(_ count: Int, of width: Int) -> String {
        let values = Array(repeating: "?", count: width).joined(separator: ", ")
        return Array(repeating: width > 1 ? "(" + values + ")" : values, count: count).joined(separator: ", ")
    }

    /// Writes `items` in statements of up to `most` rows each, in order; `row` appends an item's `width` values.
    func execute<C: Collection>(_ items: C, on db: any SQLExecutor, _ row: (C.Element, inout [SQLArgument]) -> Void) throws {
        try Self.chunks(of: items) { chunk in
            var arguments: [SQLArgument] = []
            arguments.reserveCapacity(chunk.count * width)
            for item in chunk { row(item, &arguments) }
            try db.execute(self[chunk.count], arguments)
        }
    }

    /// Runs `body` for `items` in slices of at most `most`, in order.
    static func chunks<C: Collection>(of items: C, _ body: (C.SubSequence) throws -> Void) rethrows {
        var start = items.startIndex
        while start != items.endIndex {
            let end = items.index(start, offsetBy: most, limitedBy: items.endIndex) ?? items.endIndex
            try body(items[start..<end])
            start = end
        }
    }
}
