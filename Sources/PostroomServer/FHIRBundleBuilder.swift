import Foundation
import PostroomCore
import PostroomStore

/// Builds the Bundles the API answers with: `searchset` (with paging links and includes) and `history`.
enum FHIRBundleBuilder {
    static func number(_ n: Int) -> JSONValue { .number(String(n)) }

    static func header(type: String, now: Date) -> [JSONObject.Member] {
        [
            JSONObject.Member("resourceType", "Bundle"),
            JSONObject.Member("id", .string(UUID().uuidString.lowercased())),
            JSONObject.Member("meta", .object(JSONObject(["lastUpdated": .string(StoreTime.string(now))]))),
            JSONObject.Member("type", .string(type)),
        ]
    }

    static func fullURL(base: String, _ resource: JSONValue) -> String? {
        guard let type = resource["resourceType"]?.string, let id = resource["id"]?.string else { return nil }
        return "\(base)/\(type)/\(id)"
    }

    static func entry(base: String, _ resource: JSONValue, mode: String) -> JSONValue {
        var o = JSONObject()
        if let url = fullURL(base: base, resource) { o["fullUrl"] = .string(url) }
        o["resource"] = resource
        o["search"] = .object(JSONObject(["mode": .string(mode)]))
        return .object(o)
    }

    /// The URL of a page of this search: from an offset, or after an id (a cursor).
    static func pageURL(base: String, _ search: FHIRSearchRequest, offset: Int, after: String? = nil) -> String {
        var q = search.echoed.map { QueryString.encode($0.name) + "=" + QueryString.encode($0.value) }
        q.append("_count=\(search.count)")
        if let after { q.append("_cursor=" + QueryString.encode(after)) } else if offset > 0 { q.append("_offset=\(offset)") }
        return "\(base)/\(search.type)?" + q.joined(separator: "&")
    }

    /// A `searchset` Bundle: `total`, `self`/`first`/`previous`/`next` links, matches then includes.
    static func searchset(base: String, search: FHIRSearchRequest, page: SearchPage, included: [JSONValue], now: Date = Date()) -> JSONValue {
        var links: [JSONValue] = []
        func link(_ relation: String, _ offset: Int, after: String? = nil) {
            links.append(.object(JSONObject(["relation": .string(relation),
                                             "url": .string(pageURL(base: base, search, offset: offset, after: after))])))
        }
        link("self", search.offset, after: search.after)
        link("first", 0)
        // Keyset pages go forward only; offset pages can step back.
        if search.after == nil, search.offset > 0 { link("previous", max(0, search.offset - max(search.count, 1))) }
        if let next = page.nextAfter { link("next", 0, after: next) }
        var members = header(type: "searchset", now: now)
        if let total = page.total { members.append(JSONObject.Member("total", number(total))) }
        members.append(JSONObject.Member("link", .array(links)))
        let entries = page.resources.map { entry(base: base, $0, mode: "match") } + included.map { entry(base: base, $0, mode: "include") }
        if !entries.isEmpty { members.append(JSONObject.Member("entry", .array(entries))) }
        return .object(JSONObject(members))
    }

    /// A `history` Bundle of one resource, newest version first.
    static func history(base: String, type: String, id: String, versions: [ResourceVersion], now: Date = Date()) -> JSONValue {
        var members = header(type: "history", now: now)
        members.append(JSONObject.Member("total", number(versions.count)))
        members.append(JSONObject.Member("link", .array([.object(JSONObject([
            "relation": "self", "url": .string("\(base)/\(type)/\(id)/_history"),
        ]))])))
        let entries: [JSONValue] = versions.map { v in
            .object(JSONObject([
                "fullUrl": .string("\(base)/\(type)/\(id)"),
                "resource": v.resource,
                "request": .object(JSONObject([
                    "method": .string(v.version == 1 ? "POST" : "PUT"),
                    "url": .string(v.version == 1 ? type : "\(type)/\(id)"),
                ])),
                "response": .object(JSONObject([
                    "status": .string(v.version == 1 ? "201 Created" : "200 OK"),
                    "etag": .string("W/\"\(v.version)\""),
                    "lastModified": .string(v.lastUpdated),
                ])),
            ]))
        }
        if !entries.isEmpty { members.append(JSONObject.Member("entry", .array(entries))) }
        return .object(JSONObject(members))
    }

    /// The relative references (`Type/id`) an include follows from these resources, without those already matched.
    static func includeReferences(_ resources: [JSONValue], includes: [String], type: String) -> [String] {
        let known = Set(resources.compactMap { r in r["id"]?.string.map { type + "/" + $0 } })
        var out: [String] = []
        for inc in FHIRSearchParameters.includes[type] ?? [] where includes.contains(inc.value) {
            for r in resources {
                for ref in (r[inc.element]?.elements ?? []).compactMap({ $0["reference"]?.string }) {
                    let parts = ref.split(separator: "/", omittingEmptySubsequences: false)
                    guard parts.count == 2, FHIRSearchParameters.types.contains(String(parts[0])),
                          FHIRSearchRequest.isID(String(parts[1])), !known.contains(ref), !out.contains(ref) else { continue }
                    out.append(ref)
                }
            }
        }
        return out
    }
}
