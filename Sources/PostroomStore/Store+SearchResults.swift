import PostroomCore

/// One page of search results.
public struct SearchPage: Sendable {
    /// How many resources match in all; nil when not counted (`_total=none`, or more than the bound).
    public var total: Int?
    /// The matching resources of this page, in the search's stable order (by id).
    public var resources: [JSONValue]
    /// The id after which the next page starts (keyset paging), nil on the last page.
    public var nextAfter: String?

    /// A page from its parts.
    public init(total: Int?, resources: [JSONValue], nextAfter: String? = nil) {
        self.total = total
        self.resources = resources
        self.nextAfter = nextAfter
    }
}

/// How a search counts its matches (`_total`).
public enum SearchTotal: Sendable, Equatable {
    /// Not at all.
    case none
    /// Exactly up to the bound; above it, not at all (so a search matching a million costs what a page costs).
    case bounded(Int)
    /// Exactly, whatever it costs.
    case accurate
}

/// Where a page starts: after a number of matches (`_offset`, cost grows with it) or after an id
/// (a cursor: keyset paging, every page costs what the first costs).
public enum SearchStart: Sendable, Equatable {
    case offset(Int)
    case after(String)
}

/// One stored version of a resource.
public struct ResourceVersion: Sendable {
    /// The version number (`meta.versionId`).
    public var version: Int
    /// When it was stored (`meta.lastUpdated`).
    public var lastUpdated: String
    /// The resource as stored.
    public var resource: JSONValue
}
