import Foundation
import Hummingbird
import PostroomCore
import PostroomStore

/// Responses in `application/fhir+json`.
enum FHIRResponse {
    static let contentType = "application/fhir+json; charset=utf-8"

    /// A FHIR resource or Bundle as the response body.
    static func json(_ value: JSONValue, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        var h = headers
        h[.contentType] = contentType
        h[.cacheControl] = "no-store"
        return Response(status: status, headers: h, body: ResponseBody(byteBuffer: ByteBuffer(bytes: JSONWriter().bytes(value))))
    }

    /// The OperationOutcome of a failure, with its status.
    static func failure(_ f: FHIRFailure) -> Response {
        json(f.outcome, status: f.status)
    }

    /// A resource with its version as a weak ETag and its time as Last-Modified.
    static func resource(_ value: JSONValue, version: Int?, lastUpdated: String?) -> Response {
        var h = HTTPFields()
        if let version { h[.eTag] = "W/\"\(version)\"" }
        if let lastUpdated, let d = StoreTime.date(lastUpdated) { h[.lastModified] = httpDate(d) }
        return json(value, headers: h)
    }

    /// RFC 7231 date (`Sun, 06 Nov 1994 08:49:37 GMT`).
    static func httpDate(_ d: Date) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "GMT")
        f.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        return f.string(from: d)
    }

    /// The base URL clients reach this server at: from the Host header when it is a plain host[:port].
    static func base(_ request: Request, fallback: String) -> String {
        guard let host = request.head.authority, !host.isEmpty, host.utf8.count < 256,
              host.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || ".-:[]".contains($0)) }) else {
            return fallback
        }
        return "http://" + host
    }
}
