import Foundation
import PostroomCore
@testable import PostroomStore

/// A `Store` on a fresh temporary file; the folder holding it (database, WAL and shared memory)
/// is removed when the fixture goes away, i.e. at the end of each test.
final class TempStore {
    let folder: URL
    let path: String
    private(set) var store: Store

    init(identity: IdentityNamespaces = .standard) throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("postroom-store-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        path = folder.appendingPathComponent("postroom.sqlite").path
        store = try Store(path: path, identity: identity)
    }

    /// Opens the same file again (running migrations and re-keying as `Store(path:)` does).
    func reopen(identity: IdentityNamespaces = .standard) throws {
        store = try Store(path: path, identity: identity)
    }

    func write<T>(_ body: (StoreWriter) throws -> T) throws -> T { try store.write(body) }
    func read<T>(_ body: (StoreReader) throws -> T) throws -> T { try store.read(body) }

    deinit { try? FileManager.default.removeItem(at: folder) }
}
