import Foundation

/// Builds the FHIR answers Postroom writes: response messages (DOMAIN.md §4.4) and
/// transaction-response / batch-response Bundles (§4.6). Everything built here is valid R4.
public enum FHIRResponseBuilder {
    /// The EPS events whose response uses the EPS response event.
    static let epsResponseEvents: Set<String> = ["prescription-order", "prescription-order-update"]

    /// A response message Bundle: a MessageHeader whose `response.identifier` is the request's
    /// MessageHeader.id, `destination` the request's source, and an OperationOutcome inside.
    ///
    /// The response code is `ok` for accepted, held and duplicate messages, `transient-error`
    /// when the failure was ours, `fatal-error` when the content was refused. When the request
    /// had no MessageHeader.id, its Bundle.id is quoted instead (as some IGs do).
    public static func response(to ctx: FHIRMessageContext, result: MessageResult, env: AckEnvironment) -> JSONValue {
        let ooID = env.makeID()
        let mhID = env.makeID()
        let bundleID = env.makeID()
        let code: String
        switch result.disposition {
        case .accepted, .held, .duplicate: code = "ok"
        case .rejected: code = result.transient ? "transient-error" : "fatal-error"
        }
        var header = JSONObject([
            "resourceType": .string("MessageHeader"),
            "id": .string(mhID),
        ])
        let eventCode = ctx.eventCode ?? "unknown"
        if ctx.eventSystem == nil, eventCode.contains(":") {
            header["eventUri"] = .string(eventCode)
        } else {
            var event = JSONObject()
            if let s = ctx.eventSystem { event["system"] = .string(s) }
            let isEPS = ctx.eventSystem == EPSMessageRules.eventSystem && epsResponseEvents.contains(eventCode)
            event["code"] = .string(isEPS ? "prescription-order-response" : eventCode)
            header["eventCoding"] = .object(event)
        }
        if let endpoint = ctx.sourceEndpoint, FHIRPrimitive.url.formatProblem(endpoint) == nil {
            var dest = JSONObject()
            if let name = ctx.sourceName, FHIRPrimitive.string.formatProblem(name) == nil { dest["name"] = .string(name) }
            dest["endpoint"] = .string(endpoint)
            header["destination"] = .array([.object(dest)])
        }
        header["source"] = .object(JSONObject(["name": .string(env.application), "endpoint": .string(env.endpoint)]))
        header["response"] = .object(JSONObject([
            "identifier": .string(answeredID(ctx)),
            "code": .string(code),
            "details": .object(JSONObject(["reference": .string("urn:uuid:" + ooID)])),
        ]))
        let outcome = OperationOutcomeBuilder.build(id: ooID, issues: result.issues, okText: Acknowledger.okText(result))
        return .object(JSONObject([
            "resourceType": .string("Bundle"),
            "id": .string(bundleID),
            "meta": .object(JSONObject(["lastUpdated": .string(instant(env))])),
            "identifier": .object(JSONObject(["system": .string(FHIRIdentifierRules.uuidSystem), "value": .string(bundleID)])),
            "type": .string("message"),
            "timestamp": .string(instant(env)),
            "entry": .array([
                .object(JSONObject(["fullUrl": .string("urn:uuid:" + mhID), "resource": .object(header)])),
                .object(JSONObject(["fullUrl": .string("urn:uuid:" + ooID), "resource": outcome])),
            ]),
        ]))
    }

    /// The id quoted in `response.identifier`: the request's MessageHeader.id, else its Bundle.id,
    /// else `unknown` (the element is a required `id`).
    static func answeredID(_ ctx: FHIRMessageContext) -> String {
        for candidate in [ctx.messageHeaderID, ctx.bundleID] {
            if let id = candidate, FHIRPrimitive.id.formatProblem(id) == nil { return id }
        }
        return "unknown"
    }

    /// An RFC 3339 instant with offset, in the environment's time zone.
    public static func instant(_ env: AckEnvironment) -> String {
        instant(env.now, timeZone: env.timeZone)
    }

    /// An RFC 3339 instant with offset for `date` in `timeZone` (formatted by hand: no DateFormatter on the hot path).
    public static func instant(_ date: Date, timeZone: TimeZone) -> String {
        let t = CivilDate.local(date, in: timeZone)
        func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
        let a = abs(t.offsetSeconds) / 60
        let zone = t.offsetSeconds == 0 ? "+00:00" : "\(t.offsetSeconds < 0 ? "-" : "+")\(two(a / 60)):\(two(a % 60))"
        return "\(t.year)-\(two(t.month))-\(two(t.day))T\(two(t.hour)):\(two(t.minute)):\(two(t.second))\(zone)"
    }
}
