import Foundation
import Hummingbird
import PostroomCore
import PostroomStore

/// The read-only FHIR R4 REST API: `/metadata`, read, vread, instance history and type search.
struct FHIRRoutes: Sendable {
    let stores: StoreProvider
    let anonymous: Bool
    let fallbackBase: String

    func register(on router: Router<ServeContext>) {
        router.get("/metadata") { request, _ in
            FHIRResponse.json(CapabilityStatementBuilder.build(base: FHIRResponse.base(request, fallback: fallbackBase), anonymous: anonymous))
        }
        router.get("/:type") { request, context in try search(request, context) }
        router.get("/:type/:id") { _, context in try read(context) }
        router.get("/:type/:id/_history") { request, context in try history(request, context) }
        router.get("/:type/:id/_history/:vid") { _, context in try vread(context) }
    }

    /// The path's type, checked against the searchable types (404 otherwise).
    func type(_ context: ServeContext) throws(FHIRFailure) -> String {
        let t = context.parameters.get("type") ?? ""
        guard FHIRSearchParameters.types.contains(t) else { throw .unknownType(t) }
        return t
    }

    /// The path's type for reads by id and history: any R4 resource type (every resource a message
    /// carries is stored; the searchable ones are also searched).
    func readableType(_ context: ServeContext) throws(FHIRFailure) -> String {
        let t = context.parameters.get("type") ?? ""
        guard FHIRSearchParameters.types.contains(t) || FHIRSpec.r4.resourceTypes.contains(t) else { throw .unknownType(t) }
        return t
    }

    /// The path's id, which must be a FHIR id (404 otherwise: no such resource can exist).
    func id(_ context: ServeContext, type: String) throws(FHIRFailure) -> String {
        let id = context.parameters.get("id") ?? ""
        guard FHIRSearchRequest.isID(id) else { throw .unknownResource(type) }
        return id
    }

    /// The store, once its view is current (nil when there is no database yet).
    func currentStore() throws(FHIRFailure) -> Store? {
        guard let store = stores.store() else { return nil }
        guard stores.viewIsCurrent(store) else {
            throw FHIRFailure(status: .serviceUnavailable, type: "transient", code: .viewNotMaterialised,
                              text: "Stored resources are waiting to be put in the FHIR view and this server cannot write the database; the pipeline does it at its next run")
        }
        return store
    }

    func read(_ context: ServeContext) throws -> Response {
        let type = try readableType(context)
        let id = try id(context, type: type)
        guard let store = try currentStore(),
              let found = try store.read({ r in try r.resource(type: type, id: id).map { ($0, try r.resourceMeta(type: type, id: id)) } })
        else { throw FHIRFailure.unknownResource(type) }
        return FHIRResponse.resource(found.0, version: found.1?.version, lastUpdated: found.1?.lastUpdated)
    }

    func vread(_ context: ServeContext) throws -> Response {
        let type = try readableType(context)
        let id = try id(context, type: type)
        guard let vid = context.parameters.get("vid").flatMap(Int.init), vid > 0, let store = try currentStore(),
              let v = try store.read({ try $0.resourceVersion(type: type, id: id, version: vid) })
        else {
            throw FHIRFailure(status: .notFound, type: "not-found", code: .versionNotFound, text: "No such version of this \(type) is stored")
        }
        return FHIRResponse.resource(v.resource, version: v.version, lastUpdated: v.lastUpdated)
    }

    func history(_ request: Request, _ context: ServeContext) throws -> Response {
        let type = try readableType(context)
        let id = try id(context, type: type)
        guard let store = try currentStore() else { throw FHIRFailure.unknownResource(type) }
        let versions = try store.read { try $0.resourceVersions(type: type, id: id) }
        guard !versions.isEmpty else { throw FHIRFailure.unknownResource(type) }
        return FHIRResponse.json(FHIRBundleBuilder.history(base: FHIRResponse.base(request, fallback: fallbackBase), type: type, id: id,
                                                           versions: versions))
    }

    func search(_ request: Request, _ context: ServeContext) throws -> Response {
        let type = try type(context)
        guard let query = QueryString.parse(request.uri.query) else {
            throw FHIRFailure(status: .badRequest, type: "invalid", code: .queryInvalid,
                              text: "The query string is not valid percent-encoded UTF-8")
        }
        let search = try FHIRSearchRequest(type: type, query: query)
        let base = FHIRResponse.base(request, fallback: fallbackBase)
        guard let store = try currentStore() else {
            return FHIRResponse.json(FHIRBundleBuilder.searchset(base: base, search: search, page: SearchPage(total: 0, resources: []), included: []))
        }
        guard stores.hasSearchIndex(store) else {
            throw FHIRFailure(status: .serviceUnavailable, type: "transient", code: .searchIndexMissing,
                              text: "The search index has not been built yet; it is built when postroom serve or the pipeline can write the database")
        }
        let (page, included) = try store.read { r in
            let page = try r.search(type: type, criteria: search.criteria, start: search.after.map { .after($0) } ?? .offset(search.offset),
                                    limit: search.count, total: search.total)
            let refs = FHIRBundleBuilder.includeReferences(page.resources, includes: search.includes, type: type)
            return (page, try r.resources(references: refs).map(\.resource))
        }
        return FHIRResponse.json(FHIRBundleBuilder.searchset(base: base, search: search, page: page, included: included))
    }
}
