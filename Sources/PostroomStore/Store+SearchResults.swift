import PostroomCore

/// One page of search results.
public struct SearchPage: Sendable {
    /// How many resources match in all.
    public var total: Int
    /// The matching resources of this page, in the search's stable order (by id).
    public var resources: [JSONValue]

    /// A page from its parts.
    public init(total: Int, resources: [JSONValue]) {
        self.total = total
        self.resources = resources
    }
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
