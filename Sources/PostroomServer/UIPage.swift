import Hummingbird

/// HTML responses of the operator's page.
enum UIPage {
    /// An HTML page response.
    static func html(_ html: String, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        var h = headers
        h[.contentType] = "text/html; charset=utf-8"
        h[.cacheControl] = "no-store"
        h[.contentSecurityPolicy] = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; form-action 'self'; frame-ancestors 'none'"
        h[.xContentTypeOptions] = "nosniff"
        return Response(status: status, headers: h, body: ResponseBody(byteBuffer: ByteBuffer(string: html)))
    }

    /// The page for a failure under `/ui`.
    static func failure(_ f: FHIRFailure) -> Response {
        html(HTML.page(title: "\(f.status.code) \(f.status.reasonPhrase)", body: "<p class=\"error\">\(HTML.escape(f.text))</p>", signOut: nil),
             status: f.status)
    }

    /// A 303 redirect.
    static func redirect(_ location: String, headers: HTTPFields = [:]) -> Response {
        var h = headers
        h[.location] = location
        return Response(status: .seeOther, headers: h)
    }
}
