import Foundation
import PostroomCore
@testable import PostroomStore
import Testing

/// Named settings (which expectation misses were logged, the identity fingerprint).
@Suite struct SettingStoreTests {
    let t: TempStore
    init() throws { t = try TempStore() }

    @Test func settingsAreReplaced() throws {
        try t.write { w in
            try w.setSetting("missed", "a")
            try w.setSetting("missed", "b")
        }
        #expect(try t.read { try $0.setting("missed") } == "b")
        #expect(try t.read { try $0.setting("other") } == nil)
    }

    @Test func theIdentityFingerprintIsRecordedOnOpen() throws {
        #expect(try t.read { try $0.setting("identity") } == IdentityNamespaces.standard.fingerprint)
    }
}
