import Foundation
import PostroomCore
import PostroomStore

/// The CapabilityStatement at `/metadata`: exactly the types, interactions and search parameters served.
enum CapabilityStatementBuilder {
    static func build(base: String, anonymous: Bool, now: Date = Date()) -> JSONValue {
        let resources: [JSONValue] = FHIRSearchParameters.types.map { type in
            var params: [JSONValue] = []
            let all = FHIRSearchParameters.parameters[type] ?? []
            for p in all {
                // One entry per parameter: `based-on` and `based-on:identifier` are the one `based-on`.
                if p.kind == .referenceIdentifier, all.contains(where: { $0.kind == .reference && $0.name == p.baseName }) { continue }
                var doc = "Searches \(p.expression)."
                switch p.kind {
                case .token where p.codeOnly: doc += " A code; alternatives separated by commas."
                case .token: doc += " system|value, |value or value; alternatives separated by commas."
                case .referenceIdentifier where p.baseName == "subject":
                    doc += " Only with the :identifier modifier (system|value): matches Reference.identifier, or a referenced Patient with that identifier."
                case .referenceIdentifier: doc += " Only with the :identifier modifier (system|value): matches Reference.identifier."
                case .reference where all.contains(where: { $0.name == p.name + ":identifier" }):
                    doc += " Type/id or id; with :identifier, system|value of the request in any of its equivalent spellings (namespaces)."
                case .reference: doc += " Type/id or id."
                case .date: doc += " Prefixes eq, ne, lt, gt, le, ge; partial dates such as 2026-11; times without a zone are UTC."
                }
                params.append(.object(JSONObject([
                    "name": .string(p.baseName),
                    "definition": .string(p.definition),
                    "type": .string(p.kind == .referenceIdentifier ? "reference" : p.kind.rawValue),
                    "documentation": .string(doc),
                ])))
            }
            var o = JSONObject([
                "type": .string(type),
                "profile": .string("http://hl7.org/fhir/StructureDefinition/" + type),
                "interaction": .array(["read", "vread", "history-instance", "search-type"].map { .object(JSONObject(["code": .string($0)])) }),
                "versioning": "versioned",
                "readHistory": true,
            ])
            if let inc = FHIRSearchParameters.includes[type] { o["searchInclude"] = .array(inc.map { .string($0.value) }) }
            o["searchParam"] = .array(params)
            return .object(o)
        }
        let security = anonymous
            ? "Anonymous access is allowed by this server's configuration."
            : "Every request needs Authorization: Bearer <token> (tokens are configured as SHA-256 hashes in pipeline.json)."
        return .object(JSONObject([
            "resourceType": "CapabilityStatement",
            "id": "postroom",
            "url": .string(base + "/metadata"),
            "name": "PostroomQueryAPI",
            "title": "Postroom read-only FHIR query API",
            "status": "active",
            "date": .string(String(StoreTime.string(now).prefix(10))),
            "publisher": "Postroom",
            "description": "Read-only access to the requests, Tasks, reports, results, documents and patients Postroom has stored.",
            "kind": "instance",
            "software": .object(JSONObject(["name": "Postroom"])),
            "implementation": .object(JSONObject(["description": "postroom serve", "url": .string(base)])),
            "fhirVersion": "4.0.1",
            "format": ["json", "application/fhir+json"],
            "rest": .array([.object(JSONObject([
                "mode": "server",
                "documentation": .string("""
                    Searches answer searchset Bundles ordered by id, paged with _count (default \(FHIRSearchParameters.defaultCount), \
                    at most \(FHIRSearchParameters.maxCount)) and _offset, with next links. Unknown parameters and bad values are \
                    refused with an OperationOutcome (400). Nothing can be written.
                    """),
                "security": .object(JSONObject([
                    "cors": false,
                    "description": .string(security),
                ])),
                "resource": .array(resources),
            ]))]),
        ]))
    }
}
