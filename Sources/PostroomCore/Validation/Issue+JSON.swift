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
    public static func encode(_ issues: [Issue]) -> String {
        JSONWriter().string(.array(issues.map(\.json)))
    }

    /// Decodes issues written by `encode`; unreadable text gives no issues.
    public static func decode(_ text: String?) -> [Issue] {
        guard let text, let v = try? JSONParser().parse(text), let a = v.array else { return [] }
        return a.compactMap(Issue.init(json:))
    }
}
