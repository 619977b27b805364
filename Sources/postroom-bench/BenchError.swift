/// A failure of the benchmark harness, in words an engineer can act on.
struct BenchError: Error, Sendable, CustomStringConvertible {
    /// What kind of failure this is (extensible: new codes are new static members).
    struct Code: Hashable, Sendable, CustomStringConvertible {
        /// The code's stable name.
        var name: String
        var description: String { name }

        /// Bad command-line input.
        static let usage = Code(name: "usage")
        /// A load could not be generated or read back.
        static let generation = Code(name: "generation")
        /// A program could not be started or a folder prepared.
        static let setup = Code(name: "setup")
        /// A program ran but its numbers cannot be trusted (a drop not accepted, a count that differs).
        static let untrusted = Code(name: "untrusted")
    }

    /// The kind of failure.
    var code: Code
    /// What went wrong and where to look.
    var message: String
    /// The underlying cause, when there is one (an errno text, a child's exit status).
    var cause: String?

    init(_ code: Code, _ message: String, cause: String? = nil) {
        self.code = code
        self.message = message
        self.cause = cause
    }

    var description: String { cause.map { "\(message) (\($0))" } ?? message }
}
