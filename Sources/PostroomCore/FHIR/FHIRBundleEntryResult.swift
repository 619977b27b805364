import Foundation

/// What became of one entry of a transaction or batch Bundle: the input to its response entry.
public struct FHIRBundleEntryResult: Sendable, Equatable {
    /// The HTTP status line, e.g. `201 Created`.
    public var status: String
    /// Where the resource now lives (`Task/123/_history/1`).
    public var location: String?
    /// The ETag of the resource version (`W/"1"`).
    public var etag: String?
    /// When the resource was last changed.
    public var lastModified: Date?
    /// Issues for the entry's `outcome` OperationOutcome (written when not empty).
    public var issues: [Issue]

    public init(status: String, location: String? = nil, etag: String? = nil, lastModified: Date? = nil, issues: [Issue] = []) {
        self.status = status
        self.location = location
        self.etag = etag
        self.lastModified = lastModified
        self.issues = issues
    }

    /// The HTTP status line for a code (`201` → `201 Created`).
    public static func statusLine(_ code: Int) -> String {
        let reason: String
        switch code {
        case 200: reason = "OK"
        case 201: reason = "Created"
        case 204: reason = "No Content"
        case 304: reason = "Not Modified"
        case 400: reason = "Bad Request"
        case 404: reason = "Not Found"
        case 409: reason = "Conflict"
        case 410: reason = "Gone"
        case 412: reason = "Precondition Failed"
        case 422: reason = "Unprocessable Entity"
        case 500: reason = "Internal Server Error"
        case 503: reason = "Service Unavailable"
        default: reason = ""
        }
        return reason.isEmpty ? String(code) : "\(code) \(reason)"
    }

    /// The usual success of a request method: `201 Created` for POST, `204 No Content` for DELETE, `200 OK` otherwise.
    public static func success(method: String, location: String? = nil) -> FHIRBundleEntryResult {
        switch method {
        case "POST": FHIRBundleEntryResult(status: statusLine(201), location: location)
        case "DELETE": FHIRBundleEntryResult(status: statusLine(204))
        default: FHIRBundleEntryResult(status: statusLine(200), location: location)
        }
    }

    /// A refused entry: `400 Bad Request` (or the given code) with its issues as the outcome.
    public static func failure(_ issues: [Issue], code: Int = 400) -> FHIRBundleEntryResult {
        FHIRBundleEntryResult(status: statusLine(code), issues: issues)
    }
}
