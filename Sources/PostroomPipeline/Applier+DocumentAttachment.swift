import Foundation
import PostroomCore
import PostroomDigest

extension Applier {
    /// The attachment of a stored document: the original's bytes (`data`, `size`, `hash`) — or, for a
    /// document streamed because of its size (`Pipeline.processStreamedCDA`), the reference its
    /// decoder gave it (`url` `Binary/<drop id>`, `size`, `hash`), with no `data`.
    func documentAttachment(_ o: JSONObject) -> JSONObject {
        let given = o["content"]?[0]?["attachment"]
        let contentType = JSONValue.string(given?["contentType"]?.string ?? "application/hl7-v3+xml")
        if let url = given?["url"]?.string, let size = given?["size"], let hash = given?["hash"] {
            return JSONObject(["contentType": contentType, "url": .string(url), "size": size, "hash": hash])
        }
        return JSONObject([
            "contentType": contentType,
            "data": .string(Data(original).base64EncodedString()),
            "size": .number(String(original.count)),
            "hash": .string(SHA256Digest.sha1Base64(original)),
        ])
    }
}
