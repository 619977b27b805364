import Foundation
import PostroomConfig
import PostroomPostgres
import PostroomPostgresTestSupport
import Testing

@Suite struct ThrowawayServerTests {
    /// `make test` sets POSTROOM_REQUIRE_POSTGRES=1 after installing Debian's postgresql: there the
    /// PostgreSQL tests must run, so a missing server is a failure, not a quiet skip.
    @Test func theServerIsThereWhenMakeTestRequiresIt() {
        guard ProcessInfo.processInfo.environment["POSTROOM_REQUIRE_POSTGRES"] == "1" else { return }
        #expect(ThrowawayPostgres.unavailable == nil, "\(ThrowawayPostgres.unavailable ?? "")")
    }

    @Test(.enabled(if: ThrowawayPostgres.isAvailable, postgresSkipReason))
    func itAnswersOnItsSocketAndOnLoopbackWithThePassword() throws {
        let server = try ThrowawayPostgres.shared()
        #expect(try ThrowawayPostgres.shared() === server, "one server per test process")
        let db = try server.createDatabase("answers")
        for tcp in [false, true] {
            let s = try PostgresSession(location(server, database: db, tcp: tcp))
            let row = try #require(try s.execute("SELECT current_database(), current_user, inet_server_port()").first)
            let (name, user, port) = try row.decode((String, String, Int?).self)
            #expect(name == db && user == server.user)
            #expect(tcp ? port == server.port : port == nil, "a socket connection has no server port")
            s.close()
        }
        // Over TCP the password is checked (scram-sha-256): a wrong one is refused, and the message
        // names the server and the user but never the password given.
        var wrong = location(server, database: db, tcp: true)
        wrong.password = Secret("not-the-password-\(UUID().uuidString)")
        do {
            _ = try PostgresSession(wrong)
            Issue.record("a wrong password was accepted")
        } catch {
            #expect(error.kind == .connect && error.sqlState == "28P01", "\(error)")
            #expect(!error.description.contains(wrong.password!.revealed) && error.description.contains("127.0.0.1"), "\(error)")
        }
    }
}
