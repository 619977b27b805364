import Synchronization

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
        // Most messages carry the same few issues as the one before (a lab's batch of held reports: one
        // each, the same): their text is made once (this took 2% of the writer's time on a batch).
        guard issues.count <= 4 else { return write(issues) }
        if let text = lastEncoded.withLock({ $0.issues == issues ? $0.text : nil }) { return text }
        let text = write(issues)
        lastEncoded.withLock { $0 = (issues, text) }
        return text
    }

    /// The last short list encoded and its text (any thread may encode: the pair is taken under a lock).
    private static let lastEncoded = Mutex<(issues: [Issue], text: String)>(([], "[]"))

    private static func write(_ issues: [Issue]) -> String {
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
