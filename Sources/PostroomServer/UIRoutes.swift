import Foundation
import Hummingbird
import PostroomConfig
import PostroomCore
import PostroomStore

/// The operator's web page under `/ui`: server-rendered HTML, no JavaScript.
struct UIRoutes: Sendable {
    let stores: StoreProvider
    let auth: Authenticator
    let pipeline: PipelineConfig
    let throttle: LoginThrottle

    func register(on router: Router<ServeContext>) {
        router.get("/") { _, _ in UIPage.redirect("/ui") }
        router.get("/ui/login") { request, _ in loginForm(request, error: nil) }
        router.post("/ui/login") { request, context in try await login(request, context) }
        router.post("/ui/logout") { request, context in try await logout(request, context) }
        router.get("/ui") { _, context in try overview(context) }
        router.get("/ui/failed") { request, context in try failed(context, notice: nil, query: QueryString.parse(request.uri.query) ?? []) }
        router.post("/ui/drops/:id/reprocess") { request, context in try await reprocess(request, context) }
        router.get("/ui/held") { _, context in try held(context) }
        router.get("/ui/tasks") { _, context in try tasks(context) }
        router.get("/ui/tasks/:id") { _, context in try task(context) }
        router.get("/ui/drops/:id") { request, context in try drop(context, query: QueryString.parse(request.uri.query) ?? []) }
    }

    /// The CSRF token for the signed-in principal (nil on pages that need none).
    func csrf(_ context: ServeContext) -> String? {
        context.principal.map { auth.csrfToken(for: $0) }
    }

    /// A full page for this request's principal.
    func page(_ title: String, _ body: String, _ context: ServeContext, status: HTTPResponse.Status = .ok) -> Response {
        let signOut = context.principal?.viaCookie == true ? csrf(context) : nil
        return UIPage.html(HTML.page(title: title, body: body, signOut: signOut), status: status)
    }

    /// The form fields of a POST body (at most 16 KiB).
    func form(_ request: Request) async throws -> [String: String] {
        var request = request
        let body = try await request.collectBody(upTo: 16 * 1024)
        var out: [String: String] = [:]
        for (k, v) in QueryString.parse(String(buffer: body), plusIsSpace: true) ?? [] where out[k] == nil { out[k] = v }
        return out
    }

    func loginPage(error: String?, csrf: String) -> String {
        let message = error.map { "<p class=\"error\">\(HTML.escape($0))</p>" } ?? ""
        return HTML.page(title: "Sign in", body: """
            \(message)<form method="post" action="/ui/login" class="login">
            <input type="hidden" name="csrf" value="\(HTML.escape(csrf))">
            <p><label>Access token <input type="password" name="token" autocomplete="current-password" required autofocus></label>
            <button type="submit">Sign in</button></p></form>
            <p class="muted">Use a token listed (as its SHA-256) under <code>serve.tokens</code> in pipeline.json.</p>
            """, signOut: nil)
    }

    /// The sign-in form, with a fresh login nonce in a short-lived cookie and its token in the form.
    func loginForm(_ request: Request, error: String?, status: HTTPResponse.Status = .ok) -> Response {
        let nonce = Hex.lowercase(Digest.randomBytes(16))
        var response = UIPage.html(loginPage(error: error, csrf: auth.loginToken(nonce: nonce)), status: status)
        response.headers[.setCookie] = "\(Authenticator.loginCookieName)=\(nonce); Path=/ui/login; Max-Age=3600; HttpOnly; SameSite=Strict"
            + (auth.config.secureCookies ? "; Secure" : "")
        return response
    }

    func login(_ request: Request, _ context: ServeContext) async throws -> Response {
        let address = context.remoteAddress ?? "unknown"
        guard throttle.allows(address) else {
            return loginForm(request, error: "Too many failed sign-ins; wait a minute and try again.", status: .tooManyRequests)
        }
        let fields = try await form(request)
        guard auth.checkLogin(fields["csrf"], nonce: request.cookies[Authenticator.loginCookieName]?.value) else {
            return loginForm(request, error: "The sign-in form has expired; please try again.", status: .forbidden)
        }
        guard let token = fields["token"], let p = auth.principal(token: token), let value = auth.sessionValue(for: p.name) else {
            throttle.failed(address)
            return loginForm(request, error: "That token is not accepted.", status: .unauthorized)
        }
        return UIPage.redirect("/ui", headers: [.setCookie: "\(Authenticator.cookieName)=\(value); \(auth.cookieAttributes)"])
    }

    func logout(_ request: Request, _ context: ServeContext) async throws -> Response {
        let fields = try await form(request)
        guard let p = context.principal, auth.checkCSRF(fields["csrf"], for: p) else { throw Self.badCSRF }
        return UIPage.redirect("/ui/login", headers: [.setCookie: "\(Authenticator.cookieName)=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict"
                                                      + (auth.config.secureCookies ? "; Secure" : "")])
    }

    static let badCSRF = FHIRFailure(status: .forbidden, type: "security", code: .csrfTokenInvalid,
                                     text: "The form has expired or did not come from this page; reload the page and try again.")

    /// Queues a failed drop for reprocessing (the only write `serve` makes), recorded in the audit trail.
    func reprocess(_ request: Request, _ context: ServeContext) async throws -> Response {
        let fields = try await form(request)
        guard let p = context.principal, auth.checkCSRF(fields["csrf"], for: p) else { throw Self.badCSRF }
        let id = context.parameters.get("id") ?? ""
        guard let store = stores.store(), let drop = try store.read({ try $0.drop(id: id) }) else {
            throw FHIRFailure(status: .notFound, type: "not-found", code: .dropNotFound, text: "No drop with this id is stored.")
        }
        guard drop.outcome == .rejected || drop.outcome == .partial else {
            return try failed(context, notice: .error("Drop \(drop.id) did not fail; only failed drops can be reprocessed."))
        }
        if let state = try store.read({ try $0.reprocessStates(dropIDs: [drop.id]) })[drop.id], state.requestState == "pending" {
            return try failed(context, notice: .ok("Drop \(drop.id) is already queued: the next run will reprocess it."))
        }
        guard let writer = stores.writer() else {
            throw FHIRFailure(status: .serviceUnavailable, type: "transient", code: .databaseReadOnly,
                              text: "The database cannot be written from here, so the reprocess could not be queued.")
        }
        _ = try writer.write { w in
            try w.requestReprocess(dropID: drop.id, actor: "serve:" + p.name, at: StoreTime.string(Date()))
        }
        return try failed(context, notice: .ok("Drop \(drop.id) queued: the next run will reprocess it."))
    }

    /// A message shown at the top of a page.
    enum Notice {
        case ok(String)
        case error(String)

        var html: String {
            switch self {
            case .ok(let s): "<p class=\"notice\" role=\"status\">\(HTML.escape(s))</p>"
            case .error(let s): "<p class=\"error\" role=\"alert\">\(HTML.escape(s))</p>"
            }
        }
    }

    /// The form that asks for a drop to be reprocessed.
    func reprocessForm(dropID: String, _ context: ServeContext) -> String {
        """
        <form class="reprocess" method="post" action="/ui/drops/\(HTML.escape(dropID))/reprocess">\
        <input type="hidden" name="csrf" value="\(HTML.escape(csrf(context) ?? ""))">\
        <button type="submit">Reprocess</button></form>
        """
    }

    static let noDatabase = "<p class=\"muted\">No database yet: nothing has run. Start <code>postroom run --once</code> or <code>postroom watch</code>.</p>"
}
