import Foundation
import Hummingbird

/// Checks bearer tokens against their configured hashes, issues and checks session cookies and CSRF tokens.
///
/// Session cookies and CSRF tokens are HMACs under a per-process random secret: they cannot be made
/// from the configuration alone, and a restart signs everyone out.
struct Authenticator: Sendable {
    static let cookieName = "postroom_session"

    let config: ServeConfig
    let secret: [UInt8]

    init(config: ServeConfig, secret: [UInt8] = Digest.randomBytes(32)) {
        self.config = config
        self.secret = secret
    }

    /// The configured token whose hash is the SHA-256 of `token`, comparing every hash in constant time.
    func principal(token: String) -> Principal? {
        let hash = Digest.sha256Hex(token)
        var found: ServeConfig.Token?
        for t in config.tokens where Digest.constantTimeEqual(t.sha256, hash) && found == nil {
            found = t
        }
        return found.map { Principal(name: $0.name, viaCookie: false) }
    }

    /// The session cookie's value for a token holder: `<name>.<hmac>`.
    func sessionValue(for name: String) -> String? {
        guard let t = config.tokens.first(where: { $0.name == name }) else { return nil }
        return name + "." + Digest.hex(Digest.hmac(key: secret, Array("session|\(name)|\(t.sha256)".utf8)))
    }

    /// The token holder a session cookie value stands for.
    func principal(session value: String) -> Principal? {
        guard let dot = value.lastIndex(of: ".") else { return nil }
        let name = String(value[..<dot])
        guard let expected = sessionValue(for: name), Digest.constantTimeEqual(expected, value) else { return nil }
        return Principal(name: name, viaCookie: true)
    }

    /// Who the request is: a bearer token first, then the session cookie, then anonymous when allowed.
    func authenticate(_ request: Request) -> Principal? {
        if let header = request.headers[.authorization] {
            let parts = header.split(separator: " ", maxSplits: 1)
            if parts.count == 2, parts[0].lowercased() == "bearer" {
                return principal(token: parts[1].trimmingCharacters(in: .whitespaces))
            }
            return nil
        }
        if let cookie = request.cookies[Self.cookieName], let p = principal(session: cookie.value) {
            return p
        }
        return config.anonymous ? Principal(name: "anonymous", viaCookie: false) : nil
    }

    /// The CSRF token forms carry for this principal.
    func csrfToken(for p: Principal) -> String {
        Digest.hex(Digest.hmac(key: secret, Array("csrf|\(p.name)".utf8)))
    }

    /// Whether a form's CSRF token is the one issued to this principal.
    func checkCSRF(_ token: String?, for p: Principal) -> Bool {
        guard let token else { return false }
        return Digest.constantTimeEqual(csrfToken(for: p), token)
    }
}
