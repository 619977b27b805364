import Foundation
import Hummingbird
import PostroomCore
import PostroomDigest

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
        let hash = SHA256Digest.hex(Array(token.utf8))
        var found: ServeConfig.Token?
        for t in config.tokens where Digest.constantTimeEqual(t.sha256, hash) && found == nil {
            found = t
        }
        return found.map { Principal(name: $0.name, viaCookie: false) }
    }

    /// The session cookie's value for a token holder: `<name>.<expiry>.<hmac>` — it stops working at
    /// `expiry` (Unix seconds, `serve.sessionHours` after sign-in) even if a browser keeps it.
    func sessionValue(for name: String, now: Date = Date()) -> String? {
        sessionValue(for: name, expiry: Int(now.timeIntervalSince1970 + config.sessionHours * 3600))
    }

    func sessionValue(for name: String, expiry: Int) -> String? {
        guard let t = config.tokens.first(where: { $0.name == name }) else { return nil }
        return name + "." + String(expiry) + "." + Hex.lowercase(SHA256Digest.hmac(key: secret, Array("session|\(name)|\(expiry)|\(t.sha256)".utf8)))
    }

    /// The token holder a session cookie value stands for, while it has not expired.
    func principal(session value: String, now: Date = Date()) -> Principal? {
        let parts = value.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count >= 3, let expiry = Int(parts[parts.count - 2]), Double(expiry) > now.timeIntervalSince1970 else { return nil }
        let name = parts.dropLast(2).joined(separator: ".")
        guard let expected = sessionValue(for: name, expiry: expiry), Digest.constantTimeEqual(expected, value) else { return nil }
        return Principal(name: name, viaCookie: true)
    }

    /// The `Set-Cookie` attributes of the session cookie.
    var cookieAttributes: String {
        "Path=/; Max-Age=\(Int(config.sessionHours * 3600)); HttpOnly; SameSite=Strict" + (config.secureCookies ? "; Secure" : "")
    }

    static let loginCookieName = "postroom_login"

    /// The login form's CSRF token for a browser's login nonce (double submit: the nonce in a cookie,
    /// its HMAC in the form), so a login cannot be forged from another site.
    func loginToken(nonce: String) -> String {
        Hex.lowercase(SHA256Digest.hmac(key: secret, Array("login|\(nonce)".utf8)))
    }

    func checkLogin(_ token: String?, nonce: String?) -> Bool {
        guard let token, let nonce, !nonce.isEmpty else { return false }
        return Digest.constantTimeEqual(loginToken(nonce: nonce), token)
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
        Hex.lowercase(SHA256Digest.hmac(key: secret, Array("csrf|\(p.name)".utf8)))
    }

    /// Whether a form's CSRF token is the one issued to this principal.
    func checkCSRF(_ token: String?, for p: Principal) -> Bool {
        guard let token else { return false }
        return Digest.constantTimeEqual(csrfToken(for: p), token)
    }
}
