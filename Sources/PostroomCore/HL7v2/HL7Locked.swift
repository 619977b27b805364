import Foundation

/// A value behind a lock, for the small caches the decoder shares between threads
/// (`Mutex` needs macOS 15; the package supports macOS 14).
final class HL7Locked<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value

    init(_ value: Value) { self.value = value }

    /// Runs `body` with exclusive access to the value.
    func withLock<R>(_ body: (inout Value) -> R) -> R {
        lock.lock()
        defer { lock.unlock() }
        return body(&value)
    }
}
