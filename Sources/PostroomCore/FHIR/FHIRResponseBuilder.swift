import Foundation

/// Builds FHIR response messages (DOMAIN.md §4.4).
public enum FHIRResponseBuilder {
    /// A response message Bundle: a MessageHeader whose `response.identifier` is the request's
    /// MessageHeader.id, `destination` the request's source, and an OperationOutcome inside.
    public static func response(to ctx: FHIRMessageContext, result: MessageResult, env: AckEnvironment) -> JSONValue {
        let ooID = env.makeID()
        let mhID = env.makeID()
        let bundleID = env.makeID()
        let code: String
        switch result.disposition {
        case .accepted, .held, .duplicate: code = "ok"
        case .rejected: code = result.transient ? "transient-error" : "fatal-error"
        }
        var event = JSONObject()
        if let s = ctx.eventSystem { event["system"] = .string(s) }
        event["code"] = .string(ctx.eventCode ?? "unknown")
        var header = JSONObject([
            "resourceType": .string("MessageHeader"),
            "id": .string(mhID),
            "eventCoding": .object(event),
        ])
        if let endpoint = ctx.sourceEndpoint {
            var dest = JSONObject()
            if let name = ctx.sourceName { dest["name"] = .string(name) }
            dest["endpoint"] = .string(endpoint)
            header["destination"] = .array([.object(dest)])
        }
        header["source"] = .object(JSONObject(["name": .string(env.application), "endpoint": .string(env.endpoint)]))
        header["response"] = .object(JSONObject([
            "identifier": .string(ctx.messageHeaderID ?? ""),
            "code": .string(code),
            "details": .object(JSONObject(["reference": .string("urn:uuid:" + ooID)])),
        ]))
        let outcome = OperationOutcomeBuilder.build(id: ooID, issues: result.issues, okText: Acknowledger.okText(result))
        return .object(JSONObject([
            "resourceType": .string("Bundle"),
            "id": .string(bundleID),
            "meta": .object(JSONObject(["lastUpdated": .string(instant(env))])),
            "identifier": .object(JSONObject(["system": .string("https://tools.ietf.org/html/rfc4122"), "value": .string(bundleID)])),
            "type": .string("message"),
            "timestamp": .string(instant(env)),
            "entry": .array([
                .object(JSONObject(["fullUrl": .string("urn:uuid:" + mhID), "resource": .object(header)])),
                .object(JSONObject(["fullUrl": .string("urn:uuid:" + ooID), "resource": outcome])),
            ]),
        ]))
    }

    /// An RFC 3339 instant with offset, in the environment's time zone.
    public static func instant(_ env: AckEnvironment) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = env.timeZone
        f.dateFormat = "yyyy-MM-dd'T'HH:mm:ssXXXXX"
        return f.string(from: env.now)
    }
}
