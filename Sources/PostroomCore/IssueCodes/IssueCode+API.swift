// The issue codes of one area; the catalogue is IssueCode.all (docs/issue-codes.md is made from it).

/// `postroom serve`: the FHIR API and the operator page (OperationOutcome of an HTTP answer).
extension IssueCode {
    public static let badRequest = IssueCode("bad-request", [.error], in: [.api], types: ["invalid"],
        "postroom serve: the HTTP request could not be read")
    public static let csrfTokenInvalid = IssueCode("csrf-token-invalid", [.error], in: [.api], types: ["security"],
        "Operator page: the form has expired or did not come from this page")
    public static let databaseReadOnly = IssueCode("database-read-only", [.error], in: [.api], types: ["transient"],
        "Operator page: the database cannot be written from here, so the reprocess could not be queued")
    public static let dropNotFound = IssueCode("drop-not-found", [.error], in: [.api], types: ["not-found"],
        "Operator page: no drop or message with this id is stored")
    public static let formatUnsupported = IssueCode("format-unsupported", [.error], in: [.api], types: ["not-supported"],
        "postroom serve: only JSON (application/fhir+json) is served")
    public static let internalError = IssueCode("internal-error", [.error], in: [.api], types: ["exception"],
        "postroom serve: the request could not be answered; the error is logged")
    public static let pathNotFound = IssueCode("path-not-found", [.error], in: [.api], types: ["not-found"],
        "postroom serve: nothing is served at this path")
    public static let queryInvalid = IssueCode("query-invalid", [.error], in: [.api], types: ["invalid"],
        "postroom serve: the query string is not valid percent-encoded UTF-8")
    public static let readOnly = IssueCode("read-only", [.error], in: [.api], types: ["not-supported"],
        "postroom serve: the FHIR API is read-only (GET only)")
    public static let resourceNotFound = IssueCode("resource-not-found", [.error], in: [.api], types: ["not-found"],
        "postroom serve: no resource of this type with this id is stored")
    public static let resourceTypeUnknown = IssueCode("resource-type-unknown", [.error], in: [.api], types: ["not-supported"],
        "postroom serve: the resource type is not served here")
    public static let searchIncludeUnsupported = IssueCode("search-include-unsupported", [.error], in: [.api], types: ["not-supported"],
        "postroom serve: _include/_revinclude are not supported for this search")
    public static let searchIndexMissing = IssueCode("search-index-missing", [.error], in: [.api], types: ["transient"],
        "postroom serve: the search index has not been built yet (searches answer 503)")
    public static let searchParameterUnknown = IssueCode("search-parameter-unknown", [.error], in: [.api], types: ["not-supported"],
        "postroom serve: a search parameter that is not supported for the resource type")
    public static let searchPrefixUnsupported = IssueCode("search-prefix-unsupported", [.error], in: [.api], types: ["not-supported"],
        "postroom serve: a search prefix other than eq, ne, lt, gt, le, ge")
    public static let searchTooManyAlternatives = IssueCode("search-too-many-alternatives", [.error], in: [.api], types: ["too-costly"],
        "postroom serve: a search with too many comma-separated alternatives")
    public static let searchValueInvalid = IssueCode("search-value-invalid", [.error], in: [.api], types: ["invalid"],
        "postroom serve: the value of a search parameter is not valid")
    public static let taskNotFound = IssueCode("task-not-found", [.error], in: [.api], types: ["not-found"],
        "Operator page: no Task with this id is stored")
    public static let unauthorized = IssueCode("unauthorized", [.error], in: [.api], types: ["login"],
        "postroom serve: a bearer token is required")
    public static let viewNotMaterialised = IssueCode("view-not-materialised", [.error], in: [.api], types: ["transient"],
        "postroom serve: resources are waiting in the view journal and cannot be put in the view from here (read-only database); answered 503 until the pipeline does it")
    public static let versionNotFound = IssueCode("version-not-found", [.error], in: [.api], types: ["not-found"],
        "postroom serve: no such version of the resource is stored")
}
