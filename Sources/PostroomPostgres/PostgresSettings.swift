import Foundation
import NIOConcurrencyHelpers
import NIOSSL
import PostgresNIO
import PostroomConfig

/// Turns a configured `PostgresLocation` into the driver's connection configuration.
enum PostgresSettings {
    private static let ids = NIOLockedValueBox(0)

    static func nextID() -> Int {
        ids.withLockedValue { $0 += 1; return $0 }
    }

    static func connection(_ location: PostgresLocation) throws -> PostgresConnection.Configuration {
        var configuration: PostgresConnection.Configuration
        switch location.endpoint {
        case .socket:
            configuration = PostgresConnection.Configuration(
                unixSocketPath: location.socketPath!, username: location.user,
                password: location.password?.revealed, database: location.database)
        case .tcp(let host, let port):
            configuration = PostgresConnection.Configuration(
                host: host, port: port, username: location.user, password: location.password?.revealed,
                database: location.database, tls: try tls(location.tls))
        }
        configuration.options.connectTimeout = .seconds(10)
        configuration.options.additionalStartupParameters = [("application_name", "postroom")]
        return configuration
    }

    static func tls(_ mode: PostgresLocation.TLSMode) throws -> PostgresConnection.Configuration.TLS {
        var tls = TLSConfiguration.makeClientConfiguration()
        switch mode {
        case .disable:
            return .disable
        case .prefer:
            tls.certificateVerification = .none
            return .prefer(try NIOSSLContext(configuration: tls))
        case .require:
            tls.certificateVerification = .none
            return .require(try NIOSSLContext(configuration: tls))
        case .verifyFull:
            return .require(try NIOSSLContext(configuration: tls))
        }
    }
}
