import Foundation
import PostroomCore

/// The configuration in `pipeline.json`, with every path made absolute against the file's folder.
public struct PipelineConfig: Sendable {
    /// How Postroom tells that a dropped file is complete.
    public enum Completion: Sendable, Equatable {
        /// Size, mtime and ctime unchanged across two looks this many seconds apart.
        case stable(seconds: Double)
        /// A marker file `<name><suffix>` appears (e.g. `.done`, `.ok`); it is consumed with the file.
        case marker(suffixes: [String])
        /// The writer renames into place: take what is there.
        case rename
    }

    /// One inbox and what is done with its files.
    public struct Channel: Sendable {
        public var name: String
        public var inbox: String
        public var outbox: String
        public var formats: Set<PayloadFormat>
        public var role: WorkflowRole
        public var completion: Completion
        public var ignore: [String]
        public var maxFileSize: Int64
        /// For v2 batches: answer every message, or only the negative ones.
        public var errorsOnly: Bool
        public var timeZone: String
        public var stateMachine: TaskStateMachine
        /// Broker routing: owner ODS code → channel whose outbox receives the Task.
        public var routes: [String: String]
        /// Whether a parent Task may complete while a sub-task is still open.
        public var allowOpenSubtasks: Bool
        /// Files the channel expects on a schedule (`expect`).
        public var expectations: [FileExpectation] = []
        /// Report the channel when no file at all came for this many hours (`maxSilenceHours`).
        public var maxSilenceHours: Double?
    }

    public var configPath: String
    public var dataFolder: String
    public var database: String
    public var workFolder: String
    public var archiveFolder: String
    public var errorFolder: String
    public var lockFile: String
    public var metricsFile: String
    public var compression: ArchiveCompression
    /// At most this many drops per archive part (`<run>.tar.gz`, `<run>-2.tar.gz`, …).
    public var archivePartDrops: Int
    public var groupSize: Int
    public var application: String
    public var facility: String
    public var endpoint: String
    public var channels: [Channel]
    /// Archive drops (zip / tar.gz in an inbox): bounds against bombs.
    public var maxArchiveMembers: Int
    public var maxArchiveBytes: Int64
    public var maxCompressionRatio: Double
    /// HL7 v2 files larger than this are streamed (processed in chunks, never read whole).
    public var streamAbove: Int64
    /// Local dates (`YYYY-MM-DD`) on which no expectation applies (`holidays`: bank holidays).
    public var holidays: Set<String>
    /// How identifiers of one namespace meet across formats (`namespaces`).
    public var identity: IdentityNamespaces
    /// The system of the business identifiers of the Tasks Postroom creates.
    public var taskIdentifierSystem: String
    /// The raw `serve` object (address, port, credentials of `postroom serve`), read by the server.
    public var serve: JSONValue?
    /// When the FHIR view is brought up to date with the view journal (`view`).
    public var view: ViewTiming = .deferred
    /// Where the state lives (`store`): SQLite at `database` (default) or PostgreSQL (docs/POSTGRES.md).
    public var store: StoreConfig = .sqlite

    /// `view`: `deferred` (default) leaves a run's resources for the next run (after its own
    /// acknowledgements), a watcher's idle time, or `serve` (in the background, and before a search);
    /// `afterRun` materialises them once the run's acknowledgements are placed, before the run ends.
    /// Either way reads by id see them at once.
    public enum ViewTiming: String, Sendable {
        case afterRun, deferred
    }

    public func channel(named name: String) -> Channel? { channels.first { $0.name == name } }
}

/// A configuration problem, naming the key (exit code 78).
public struct ConfigError: Error, CustomStringConvertible, Sendable {
    public var key: String
    public var message: String
    public var description: String { key.isEmpty ? message : "\(key): \(message)" }

    public init(key: String, message: String) {
        self.key = key
        self.message = message
    }
}

extension PipelineConfig {
    /// Reads and checks `pipeline.json`; every problem names its key.
    public static func load(path: String) throws(ConfigError) -> PipelineConfig {
        let url = URL(fileURLWithPath: path).standardizedFileURL
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw ConfigError(key: "", message: "cannot read the configuration file \(path)")
        }
        let json: JSONValue
        do {
            json = try JSONParser().parse(data)
        } catch {
            throw ConfigError(key: "", message: "\(path) is not valid JSON: \(error)")
        }
        return try parse(json, base: url.deletingLastPathComponent().path, configPath: url.path)
    }

    /// Checks a parsed configuration; relative paths are taken against `base`.
    public static func parse(_ json: JSONValue, base: String, configPath: String) throws(ConfigError) -> PipelineConfig {
        let r = ConfigReader(json, key: "")
        try r.only(["data", "database", "timeZone", "archive", "groupSize", "application", "facility", "endpoint", "channels", "limits",
                    "serve", "namespaces", "taskIdentifierSystem", "holidays", "view", "store"])
        let data = resolve(try r.string("data") ?? "data", base)
        let database = resolve(try r.string("database") ?? "postroom.sqlite", data)
        let timeZone = try r.string("timeZone") ?? "Europe/London"
        try checkTimeZone(timeZone, key: "timeZone")
        var compression = ArchiveCompression.gzip(level: 6)
        var partDrops = 10_000
        if let a = try r.object("archive") {
            let ar = ConfigReader(a, key: "archive")
            try ar.only(["compression", "level", "partDrops"])
            partDrops = try ar.int("partDrops") ?? partDrops
            guard (1...1_000_000).contains(partDrops) else {
                throw ConfigError(key: "archive.partDrops", message: "must be between 1 and 1000000")
            }
            let kind = try ar.string("compression") ?? "gzip"
            let level = try ar.int("level")
            switch kind {
            case "gzip": compression = .gzip(level: level ?? 6)
            case "zstd": compression = .zstd(level: level ?? 3)
            case "none": compression = .none
            default: throw ConfigError(key: "archive.compression", message: "must be gzip, zstd or none, not \"\(kind)\"")
            }
            if let level, !(1...19).contains(level) {
                throw ConfigError(key: "archive.level", message: "must be between 1 and 19")
            }
        }
        var maxMembers = 10_000
        var maxBytes: Int64 = 1 << 30
        var maxRatio = 200.0
        // Above this a v2 file is streamed: decoded whole, a 7 MB batch of 4,000 messages peaked at 144 MiB.
        var streamAbove: Int64 = 512 << 10
        if let l = try r.object("limits") {
            let lr = ConfigReader(l, key: "limits")
            try lr.only(["archiveMembers", "archiveBytes", "compressionRatio", "streamAbove"])
            streamAbove = Int64(try lr.int("streamAbove") ?? Int(streamAbove))
            guard streamAbove > 0 else { throw ConfigError(key: "limits.streamAbove", message: "must be positive") }
            maxMembers = try lr.int("archiveMembers") ?? maxMembers
            maxBytes = Int64(try lr.int("archiveBytes") ?? Int(maxBytes))
            maxRatio = Double(try lr.int("compressionRatio") ?? Int(maxRatio))
        }
        let endpoint = try r.string("endpoint") ?? "urn:postroom"
        let groupSize = try r.int("groupSize") ?? 256
        guard (1...100_000).contains(groupSize) else { throw ConfigError(key: "groupSize", message: "must be between 1 and 100000") }
        guard let list = try r.array("channels"), !list.isEmpty else {
            throw ConfigError(key: "channels", message: "at least one channel is required")
        }
        var channels: [Channel] = []
        for (i, c) in list.enumerated() {
            let ch = try channel(c, key: "channels[\(i)]", data: data, base: base, defaultTimeZone: timeZone)
            if channels.contains(where: { $0.name == ch.name }) {
                throw ConfigError(key: "channels[\(i)].name", message: "\"\(ch.name)\" is used by another channel")
            }
            channels.append(ch)
        }
        for (i, ch) in channels.enumerated() {
            for (ods, target) in ch.routes where !channels.contains(where: { $0.name == target }) {
                throw ConfigError(key: "channels[\(i)].routes.\(ods)", message: "no channel is named \"\(target)\"")
            }
        }
        var config = PipelineConfig(
            configPath: configPath, dataFolder: data, database: database, workFolder: data + "/work", archiveFolder: data + "/archive",
            errorFolder: data + "/error", lockFile: data + "/postroom.lock", metricsFile: data + "/metrics.prom",
            compression: compression, archivePartDrops: partDrops, groupSize: groupSize, application: try r.string("application") ?? "POSTROOM",
            facility: try r.string("facility") ?? "POSTROOM", endpoint: endpoint,
            channels: channels, maxArchiveMembers: maxMembers, maxArchiveBytes: maxBytes, maxCompressionRatio: maxRatio,
            streamAbove: streamAbove, holidays: try holidays(r), identity: try namespaces(try r.array("namespaces")),
            taskIdentifierSystem: try taskSystem(r, endpoint: endpoint),
            serve: try r.object("serve"), view: try viewTiming(r))
        config.store = try store(r, base: base)
        return config
    }

    static func viewTiming(_ r: ConfigReader) throws(ConfigError) -> ViewTiming {
        guard let text = try r.string("view") else { return .deferred }
        guard let timing = ViewTiming(rawValue: text) else {
            throw ConfigError(key: "view", message: "must be afterRun or deferred, not \"\(text)\"")
        }
        return timing
    }

    static func taskSystem(_ r: ConfigReader, endpoint: String) throws(ConfigError) -> String {
        guard let system = try r.string("taskIdentifierSystem") else { return defaultTaskIdentifierSystem(endpoint: endpoint) }
        guard system.contains(":"), !system.contains(" "), !system.contains("|") else {
            throw ConfigError(key: "taskIdentifierSystem", message: "must be an absolute URI")
        }
        return system
    }

    static func channel(_ json: JSONValue, key: String, data: String, base: String, defaultTimeZone: String) throws(ConfigError) -> Channel {
        let r = ConfigReader(json, key: key)
        try r.only(["name", "inbox", "outbox", "formats", "role", "completion", "ignore", "maxFileSize", "ack", "timeZone",
                    "taskStateMachine", "routes", "allowOpenSubtasks", "expect", "maxSilenceHours"])
        guard let name = try r.string("name") else { throw ConfigError(key: key + ".name", message: "is required") }
        guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }), name.first != "-" else {
            throw ConfigError(key: key + ".name", message: "must be letters, digits, - and _ only")
        }
        let inbox = resolve(try r.string("inbox") ?? data + "/inbox/" + name, base)
        let outbox = resolve(try r.string("outbox") ?? data + "/outbox/" + name, base)
        guard let fl = try r.array("formats"), !fl.isEmpty else {
            throw ConfigError(key: key + ".formats", message: "is required: a list of hl7v2, fhir, cda")
        }
        var formats: Set<PayloadFormat> = []
        for (i, f) in fl.enumerated() {
            guard let s = f.string, let pf = PayloadFormat(rawValue: s) else {
                throw ConfigError(key: "\(key).formats[\(i)]", message: "must be one of hl7v2, fhir, cda")
            }
            formats.insert(pf)
        }
        guard let roleText = try r.string("role") else { throw ConfigError(key: key + ".role", message: "is required: placer, filler or broker") }
        guard let role = WorkflowRole(rawValue: roleText) else {
            throw ConfigError(key: key + ".role", message: "must be placer, filler or broker, not \"\(roleText)\"")
        }
        var completion = Completion.stable(seconds: 2)
        if let c = try r.object("completion") {
            let cr = ConfigReader(c, key: key + ".completion")
            try cr.only(["mode", "seconds", "markers"])
            switch try cr.string("mode") {
            case "stable":
                let s = try cr.number("seconds") ?? 2
                guard s >= 0, s <= 3600 else { throw ConfigError(key: key + ".completion.seconds", message: "must be between 0 and 3600") }
                completion = .stable(seconds: s)
            case "marker":
                let m = try cr.array("markers")?.compactMap(\.string) ?? [".done", ".ok"]
                guard !m.isEmpty, m.allSatisfy({ $0.hasPrefix(".") && $0.count > 1 }) else {
                    throw ConfigError(key: key + ".completion.markers", message: "must be suffixes such as \".done\"")
                }
                completion = .marker(suffixes: m)
            case "rename": completion = .rename
            case let other?: throw ConfigError(key: key + ".completion.mode", message: "must be stable, marker or rename, not \"\(other)\"")
            case nil: throw ConfigError(key: key + ".completion.mode", message: "is required")
            }
        }
        let ignore = try r.array("ignore")?.compactMap(\.string) ?? [".*", "*.tmp", "*.part"]
        let maxFileSize = Int64(try r.int("maxFileSize") ?? 64 * 1024 * 1024)
        guard maxFileSize > 0 else { throw ConfigError(key: key + ".maxFileSize", message: "must be positive") }
        let ack = try r.string("ack") ?? "all"
        guard ack == "all" || ack == "errorsOnly" else { throw ConfigError(key: key + ".ack", message: "must be all or errorsOnly") }
        let tz = try r.string("timeZone") ?? defaultTimeZone
        try checkTimeZone(tz, key: key + ".timeZone")
        let smName = try r.string("taskStateMachine") ?? "core"
        guard let sm = TaskStateMachine.named(smName) else {
            throw ConfigError(key: key + ".taskStateMachine", message: "must be core or nhs, not \"\(smName)\"")
        }
        var routes: [String: String] = [:]
        if let ro = try r.object("routes"), let obj = ro.object {
            for m in obj.members {
                guard let t = m.value.string else { throw ConfigError(key: "\(key).routes.\(m.key)", message: "must be a channel name") }
                routes[m.key] = t
            }
        }
        let silence = try r.number("maxSilenceHours")
        if let silence, !(silence > 0 && silence <= 24 * 366) {
            throw ConfigError(key: key + ".maxSilenceHours", message: "must be a number of hours above 0")
        }
        return Channel(name: name, inbox: inbox, outbox: outbox, formats: formats, role: role, completion: completion, ignore: ignore,
                       maxFileSize: maxFileSize, errorsOnly: ack == "errorsOnly", timeZone: tz, stateMachine: sm, routes: routes,
                       allowOpenSubtasks: try r.bool("allowOpenSubtasks") ?? false,
                       expectations: try expectations(r, key: key), maxSilenceHours: silence)
    }

    static func checkTimeZone(_ tz: String, key: String) throws(ConfigError) {
        guard TimeZone(identifier: tz) != nil else { throw ConfigError(key: key, message: "unknown time zone \"\(tz)\"") }
    }

    static func resolve(_ path: String, _ base: String) -> String {
        let p = path.hasPrefix("/") ? path : base + "/" + path
        return URL(fileURLWithPath: p).standardizedFileURL.path
    }
}

/// Reads typed keys out of a JSON object and names the key in every error.
struct ConfigReader {
    let object: JSONObject
    let key: String

    init(_ value: JSONValue, key: String) {
        object = value.object ?? JSONObject()
        self.key = key
    }

    func path(_ k: String) -> String { key.isEmpty ? k : key + "." + k }

    func only(_ allowed: Set<String>) throws(ConfigError) {
        for k in object.keys where !allowed.contains(k) {
            throw ConfigError(key: path(k), message: "unknown key (allowed: \(allowed.sorted().joined(separator: ", ")))")
        }
    }

    func string(_ k: String) throws(ConfigError) -> String? {
        guard let v = object[k] else { return nil }
        guard let s = v.string else { throw ConfigError(key: path(k), message: "must be a string") }
        return s
    }

    func number(_ k: String) throws(ConfigError) -> Double? {
        guard let v = object[k] else { return nil }
        guard case .number(let n) = v, let d = Double(n) else { throw ConfigError(key: path(k), message: "must be a number") }
        return d
    }

    func int(_ k: String) throws(ConfigError) -> Int? {
        guard let v = object[k] else { return nil }
        guard case .number(let n) = v, let i = Int(n) else { throw ConfigError(key: path(k), message: "must be a whole number") }
        return i
    }

    func bool(_ k: String) throws(ConfigError) -> Bool? {
        guard let v = object[k] else { return nil }
        guard let b = v.bool else { throw ConfigError(key: path(k), message: "must be true or false") }
        return b
    }

    func array(_ k: String) throws(ConfigError) -> [JSONValue]? {
        guard let v = object[k] else { return nil }
        guard let a = v.array else { throw ConfigError(key: path(k), message: "must be a list") }
        return a
    }

    func object(_ k: String) throws(ConfigError) -> JSONValue? {
        guard let v = object[k] else { return nil }
        guard v.object != nil else { throw ConfigError(key: path(k), message: "must be an object") }
        return v
    }
}
