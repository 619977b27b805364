import Foundation
import PostroomConfig
import PostroomCore
import PostroomPipeline
import PostroomStore

/// Human and JSON renderings of a run's summary.
enum SummaryText {
    static func render(_ s: RunSummary, config: PipelineConfig, store: Store) -> String {
        var out = "Postroom run \(s.runID) finished in \(String(format: "%.2f", s.seconds)) s\n\n"
        var rows = [["channel", "accepted", "rejected", "duplicate", "partial", "held", "messages"]]
        for ch in config.channels {
            let c = s.channels[ch.name] ?? RunSummary.Counts()
            rows.append([ch.name, "\(c.accepted)", "\(c.rejected)", "\(c.duplicates)", "\(c.partial)", "\(c.held)", "\(c.messages)"])
        }
        let t = s.total
        rows.append(["total", "\(t.accepted)", "\(t.rejected)", "\(t.duplicates)", "\(t.partial)", "\(t.held)", "\(t.messages)"])
        out += Table.render(rows) + "\n"
        if s.recovered > 0 { out += "Recovered from an earlier interrupted run: \(s.recovered) drop(s)\n" }
        let reports = (try? store.read { try $0.reportCounts() }) ?? []
        let tasks = (try? store.read { try $0.taskCounts() }) ?? []
        let rc = Dictionary(reports.map { ($0.state, $0.count) }, uniquingKeysWith: +)
        out += "Reports linked to their request: \(rc["linked", default: 0])"
        out += "   held (waiting for their request): \(rc["held", default: 0])"
        if let m = rc["mismatch"] { out += "   parked (patient mismatch): \(m)" }
        if let sup = rc["superseded"] { out += "   superseded: \(sup)" }
        out += "\n"
        out += "Tasks: " + (tasks.isEmpty ? "none" : tasks.map { "\($0.status) \($0.count)" }.joined(separator: ", ")) + "\n"
        let prescriptions = (try? store.read { try $0.prescriptionCounts() }) ?? []
        if !prescriptions.isEmpty {
            out += "Prescriptions (EPS) by business status: " + prescriptions.map { p in
                "\(p.businessStatus) \(PrescriptionPlanner.BusinessStatus(rawValue: p.businessStatus)?.display ?? "") \(p.count)"
            }.joined(separator: ", ") + "   (postroom requests)\n"
        }
        out += "Acknowledgements: " + Set(config.channels.map { relative($0.outbox) }).sorted().joined(separator: ", ") + "\n"
        out += "Archive: " + (s.archivePath.map(relative) ?? "none (nothing accepted)")
            + (s.archivePaths.count > 1 ? " (+\(s.archivePaths.count - 1) more part(s))" : "") + "\n"
        if !s.errorFiles.isEmpty {
            out += "Rejected (each with a .error.json saying why):\n"
            for e in s.errorFiles { out += "  \(relative(e))\n" }
            let moved = t.rejected
            if moved > s.errorFiles.count { out += "  … and \(moved - s.errorFiles.count) more (postroom messages --state failed)\n" }
        }
        for (ch, refused) in s.refused.sorted(by: { $0.key < $1.key }) {
            for r in refused { out += "Not taken from \(ch): \(r.name): \(r.reason)\n" }
        }
        for u in s.unplaced {
            out += "Not placed (left in work/, the next run tries again): \(u)\n"
        }
        out += "Database: \(relative(config.database))   (postroom status --config \(relative(config.configPath)))"
        return out
    }

    static func json(_ s: RunSummary, store: Store) -> String {
        var channels = JSONObject()
        for (name, c) in s.channels.sorted(by: { $0.key < $1.key }) {
            channels[name] = .object(JSONObject([
                "accepted": .number("\(c.accepted)"), "rejected": .number("\(c.rejected)"), "duplicates": .number("\(c.duplicates)"),
                "partial": .number("\(c.partial)"), "held": .number("\(c.held)"), "messages": .number("\(c.messages)"),
                "bytes": .number("\(c.bytes)"),
            ]))
        }
        let o = JSONObject([
            "run": .string(s.runID), "startedAt": .string(s.startedAt), "finishedAt": .string(s.finishedAt),
            "seconds": .number(String(format: "%.3f", s.seconds)), "channels": .object(channels),
            "archive": s.archivePath.map { .string($0) } ?? .null, "archives": .array(s.archivePaths.map { .string($0) }),
            "errors": .array(s.errorFiles.map { .string($0) }), "unplaced": .array(s.unplaced.map { .string($0) }),
            "recovered": .number("\(s.recovered)"), "exitCode": .number("\(s.exitCode)"),
        ])
        return JSONWriter(pretty: true).string(.object(o)).trimmingCharacters(in: .newlines)
    }

    static func relative(_ path: String) -> String {
        let cwd = FileManager.default.currentDirectoryPath
        return path.hasPrefix(cwd + "/") ? String(path.dropFirst(cwd.count + 1)) : path
    }
}

/// Left-aligned first column, right-aligned numbers.
enum Table {
    static func render(_ rows: [[String]]) -> String {
        guard let first = rows.first else { return "" }
        var widths = Array(repeating: 0, count: first.count)
        for r in rows { for (i, c) in r.enumerated() where i < widths.count { widths[i] = max(widths[i], c.count) } }
        return rows.map { r in
            r.enumerated().map { i, c in
                i == 0 ? c.padding(toLength: widths[i], withPad: " ", startingAt: 0)
                    : String(repeating: " ", count: widths[i] - c.count) + c
            }.joined(separator: "  ")
        }.joined(separator: "\n")
    }
}
