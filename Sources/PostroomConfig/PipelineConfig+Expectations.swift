import PostroomCore

extension PipelineConfig {
    /// Reads a channel's `expect`: `[{ "name": …, "days": "Mon-Fri", "by": "07:00", "atLeast": 1 }]`.
    static func expectations(_ r: ConfigReader, key: String) throws(ConfigError) -> [FileExpectation] {
        var out: [FileExpectation] = []
        for (i, entry) in (try r.array("expect") ?? []).enumerated() {
            let k = "\(key).expect[\(i)]"
            guard entry.object != nil else { throw ConfigError(key: k, message: "must be an object") }
            let er = ConfigReader(entry, key: k)
            try er.only(["name", "days", "by", "atLeast"])
            guard let name = try er.string("name"), !name.isEmpty else { throw ConfigError(key: k + ".name", message: "is required") }
            guard !out.contains(where: { $0.name == name }) else {
                throw ConfigError(key: k + ".name", message: "\"\(name)\" names another expectation of this channel")
            }
            let daysText = try er.string("days") ?? "daily"
            guard let days = FileExpectation.parseDays(daysText) else {
                throw ConfigError(key: k + ".days", message: "must be days such as Mon-Fri, Mon,Wed,Fri or daily, not \"\(daysText)\"")
            }
            guard let byText = try er.string("by") else { throw ConfigError(key: k + ".by", message: "is required: a local time HH:MM") }
            guard let by = FileExpectation.parseTime(byText) else {
                throw ConfigError(key: k + ".by", message: "must be a local time HH:MM (24-hour), not \"\(byText)\"")
            }
            let atLeast = try er.int("atLeast") ?? 1
            guard atLeast >= 1 else { throw ConfigError(key: k + ".atLeast", message: "must be 1 or more") }
            out.append(FileExpectation(name: name, days: days, byMinutes: by, atLeast: atLeast))
        }
        return out
    }

    /// Reads `holidays`: local dates `YYYY-MM-DD` on which no expectation applies.
    static func holidays(_ r: ConfigReader) throws(ConfigError) -> Set<String> {
        var out: Set<String> = []
        for (i, v) in (try r.array("holidays") ?? []).enumerated() {
            guard let s = v.string, CivilDate.isDate(s) else {
                throw ConfigError(key: "holidays[\(i)]", message: "must be a date YYYY-MM-DD")
            }
            out.insert(s)
        }
        return out
    }
}
