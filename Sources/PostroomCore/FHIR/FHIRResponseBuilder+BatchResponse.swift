import Foundation

extension FHIRResponseBuilder {
    /// A `transaction-response` or `batch-response` Bundle: one entry per request entry, in the
    /// same order, each with `response.status` and, when it has issues, an `outcome`.
    ///
    /// A failed transaction is answered with a single OperationOutcome instead (all or nothing):
    /// use `OperationOutcomeBuilder.build`.
    public static func batchResponse(type: FHIRBatchContext.Kind, entryResults: [FHIRBundleEntryResult], env: AckEnvironment) -> JSONValue {
        let entries = entryResults.map { responseEntry($0, env: env) }
        var bundle = batchResponseHead(type: type, env: env)
        if !entries.isEmpty { bundle["entry"] = .array(entries) }
        return .object(bundle)
    }

    /// The members of a response Bundle before its entries.
    public static func batchResponseHead(type: FHIRBatchContext.Kind, env: AckEnvironment) -> JSONObject {
        JSONObject([
            "resourceType": .string("Bundle"),
            "id": .string(env.makeID()),
            "type": .string(type.responseType),
            "timestamp": .string(instant(env)),
        ])
    }

    /// One entry of a response Bundle: `response.status`, location, etag, lastModified and the entry's outcome.
    public static func responseEntry(_ result: FHIRBundleEntryResult, env: AckEnvironment) -> JSONValue {
        var response = JSONObject(["status": .string(result.status)])
        if let location = result.location, FHIRPrimitive.uri.formatProblem(location) == nil { response["location"] = .string(location) }
        if let etag = result.etag, FHIRPrimitive.string.formatProblem(etag) == nil { response["etag"] = .string(etag) }
        if let date = result.lastModified { response["lastModified"] = .string(instant(date, timeZone: env.timeZone)) }
        if !result.issues.isEmpty {
            response["outcome"] = OperationOutcomeBuilder.build(id: env.makeID(), issues: result.issues)
        }
        return .object(JSONObject(["response": .object(response)]))
    }
}
