extension Issue {
    /// The issue as a JSON object (`severity`, `code`, `type`, `location`, `text`).
    public var json: JSONValue {
        var o = JSONObject([
            "severity": .string(severity.rawValue),
            "code": .string(code),
            "type": .string(type),
        ])
        if let location { o["location"] = .string(location) }
        o["text"] = .string(text)
        return .object(o)
    }

    /// Reads an issue written by `json`.
    public init?(json: JSONValue) {
        guard let sev = json["severity"]?.string.flatMap(Severity.init(rawValue:)),
              let code = json["code"]?.string, let text = json["text"]?.string else { return nil }
        self.init(sev, code, type: json["type"]?.string ?? "invalid", at: json["location"]?.string, text)
    }

    /// Encodes issues as compact JSON text.
    ///
    /// One issue at a time: a streamed Bundle's message can carry tens of thousands, and the whole list as
    /// one JSON tree cost more memory than the text (PERFORMANCE.md, "Large single files").
    public static func encode(_ issues: [Issue]) -> String {
        let writer = JSONWriter()
        var scratch: [UInt8] = []
        // Measured first, so that the text is written once into a string of its exact size.
        var size = 2 + max(issues.count - 1, 0)
        for issue in issues {
            scratch.removeAll(keepingCapacity: true)
            writer.append(issue.json, to: &scratch)
            size += scratch.count
        }
        return String(unsafeUninitializedCapacity: size) { text in
            var at = 0
            func put(_ bytes: some Collection<UInt8>) {
                for b in bytes { text[at] = b; at += 1 }
            }
            put(CollectionOfOne(0x5B))
            for (i, issue) in issues.enumerated() {
                if i > 0 { put(CollectionOfOne(0x2C)) }
                scratch.removeAll(keepingCapacity: true)
                writer.append(issue.json, to: &scratch)
                put(scratch)
            }
            put(CollectionOfOne(0x5D))
            return at
        }
    }

    /// Decodes issues written by `encode`; unreadable text gives no issues.
    public static func decode(_ text: String?) -> [Issue] {
        guard let text, let v = try? JSONParser().parse(text), let a = v.array else { return [] }
        return a.compactMap(Issue.init(json:))
    }
}
