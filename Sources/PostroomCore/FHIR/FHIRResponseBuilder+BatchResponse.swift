import Foundation

extension FHIRResponseBuilder {
    /// A `transaction-response` or `batch-response` Bundle: one entry per request entry, in the
    /// same order, each with `response.status` and, when it has issues, an `outcome`.
    ///
    /// A failed transaction is answered with a single OperationOutcome instead (all or nothing):
    /// use `OperationOutcomeBuilder.build`.
    public static func batchResponse(type: FHIRBatchContext.Kind, entryResults: [FHIRBundleEntryResult], env: AckEnvironment) -> JSONValue {
        var entries: [JSONValue] = []
        for result in entryResults {
            var response = JSONObject(["status": .string(result.status)])
            if let location = result.location, FHIRPrimitive.uri.formatProblem(location) == nil { response["location"] = .string(location) }
            if let etag = result.etag, FHIRPrimitive.string.formatProblem(etag) == nil { response["etag"] = .string(etag) }
            if let date = result.lastModified { response["lastModified"] = .string(instant(date, timeZone: env.timeZone)) }
            if !result.issues.isEmpty {
                response["outcome"] = OperationOutcomeBuilder.build(id: env.makeID(), issues: result.issues)
            }
            entries.append(.object(JSONObject(["response": .object(response)])))
        }
        var bundle = JSONObject([
            "resourceType": .string("Bundle"),
            "id": .string(env.makeID()),
            "type": .string(type.responseType),
            "timestamp": .string(instant(env)),
        ])
        if !entries.isEmpty { bundle["entry"] = .array(entries) }
        return .object(bundle)
    }
}
