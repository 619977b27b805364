/// A problem in the `serve` object, naming the key (`serve.port: must be a whole number`); the CLI exits 78.
public struct ServeConfigError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The key at fault, e.g. `serve.tokens[0].sha256`.
    public var key: String
    /// What is wrong with it.
    public var message: String
    /// `key: message`, as the CLI prints it.
    public var description: String { "\(key): \(message)" }

    /// An error naming `key`.
    public init(key: String, message: String) {
        self.key = key
        self.message = message
    }
}
