import PostroomCore

/// The benchmark's findings: a table for people (standard output) and the same as JSON (`bench.json`).
struct BenchReport: Sendable {
    var machine: MachineFacts
    var settings: JSONObject
    var results: [BenchResult]
    /// Things a reader must know (skipped comparisons, scaled loads).
    var notes: [String]
    var scale: Double

    /// The result of `program` on `load`.
    func result(_ load: LoadKind, _ program: Program) -> BenchResult? {
        results.first { $0.load.kind == load && $0.program == program }
    }

    /// The table: one row per load and program, medians of the runs, Postroom's ratios to the floor and the peer.
    var table: String {
        var rows = [["load", "program", "files", "messages", "wall s", "files/s", "msg/s", "MB/s", "CPU s", "RSS MiB", "vs floor", "vs peer", "vs floor+fsync", "vs peer+fsync"]]
        for r in results {
            if r.samples.isEmpty {
                rows.append([r.load.kind.rawValue, r.program.rawValue, Format.count(r.load.files), Format.count(r.load.messages),
                             "failed", "", "", "", "", "", "", "", "", ""])
                continue
            }
            var row = [r.load.kind.rawValue, r.program.rawValue, Format.count(r.load.files), Format.count(r.load.messages),
                       Format.fixed(r.wallSeconds, 2), Format.rate(r.filesPerSecond), Format.rate(r.messagesPerSecond),
                       Format.fixed(r.megabytesPerSecond, 1), Format.fixed(r.cpuSeconds, 2), Format.fixed(r.peakRSSBytes / 1_048_576, 1)]
            if r.program.isPostroom {
                row.append(ratioText(r.ratio(to: result(r.load.kind, .floor))))
                row.append(ratioText(r.ratio(to: result(r.load.kind, .peer))))
                row.append(ratioText(r.ratio(to: result(r.load.kind, .floorFsync))))
                row.append(ratioText(r.ratio(to: result(r.load.kind, .peerFsync))))
            } else {
                row += ["", "", "", ""]
            }
            rows.append(row)
        }
        var out = "Postroom benchmark — \(machine.line)\n\n" + TextTable.render(rows) + "\n"
        out += "\nMedians of the runs; rates are input / median wall time (MB = 10^6 bytes); RSS is the peak resident set of the "
            + "process (the largest single process for the peer); vs = Postroom's throughput / the other's on the same load.\n"
            + "Durability: Postroom makes every ACK, archive and database commit durable (syncfs/fsync) before an ACK appears; "
            + "floor and peer fsync nothing, floor-fsync and peer-fsync fsync every ACK and the archive (--fsync).\n"
        out += postgresLines.map { $0 + "\n" }.joined()
        if let fhir = result(.fhir, .postroom), !fhir.samples.isEmpty {
            out += "FHIR end to end: \(Format.rate(fhir.resourcesPerSecond)) resources/s (Bundle entries) for the whole run.\n"
        }
        out += "\nTargets (the issue's):\n" + targets.map { "  \($0.status.padded(7)) \($0.name): \($0.value) (goal \($0.goal))" }.joined(separator: "\n") + "\n"
        for note in notes { out += "Note: \(note)\n" }
        return out
    }

    /// One target of the issue, checked against this run's figures.
    struct Target: Sendable {
        var name: String
        var value: String
        var goal: String
        /// PASS, FAIL, or n/a when not measured.
        var status: String
    }

    /// With `--store postgres`: the cost per message of each PostgreSQL run (Postroom's CPU and the
    /// server's, medians) beside the SQLite store's on the same load.
    var postgresLines: [String] {
        let runs = results.filter { $0.program.usesPostgres && !$0.samples.isEmpty }
        guard !runs.isEmpty else { return [] }
        var out = ["PostgreSQL store (CPU per message, medians; the server's CPU is not in the table's CPU column):"]
        for r in runs {
            let messages = Double(max(r.load.messages, 1))
            let server = r.serverCPUSeconds ?? 0
            var line = "  \(r.load.kind.rawValue) \(r.program.rawValue): \(Format.fixed((r.cpuSeconds + server) / messages * 1000, 2)) ms "
                + "(postroom \(Format.fixed(r.cpuSeconds / messages * 1000, 2)) + server \(Format.fixed(server / messages * 1000, 2)))"
            if let sqlite = result(r.load.kind, .postroom), !sqlite.samples.isEmpty {
                line += "; SQLite store \(Format.fixed(sqlite.cpuSeconds / messages * 1000, 2)) ms, throughput \(ratioText(r.ratio(to: sqlite))) of SQLite's"
            }
            out.append(line)
        }
        return out
    }

    /// The targets that these loads measure (issue 16), for each Postroom program.
    var targets: [Target] {
        var out: [Target] = []
        for program in [Program.postroom, .postroomAfterRun] where results.contains(where: { $0.program == program && !$0.samples.isEmpty }) {
            out += floorTargets(program)
            if let batch = result(.batch, program), !batch.samples.isEmpty {
                let peer = batch.ratio(to: result(.batch, .peer))
                let ok = batch.messagesPerSecond >= 20_000 && (peer ?? 0) >= 3
                out.append(Target(name: "\(program.rawValue): v2 batch file",
                                  value: "\(Format.rate(batch.messagesPerSecond)) messages/s, \(peer.map { Format.fixed($0, 2) + "x" } ?? "n/a") the peer",
                                  goal: "≥ 20,000 messages/s and ≥ 3x the peer", status: ok ? "PASS" : "FAIL"))
            }
            out += stateTargets(program)
        }
        return out
    }

    /// Throughput against the floor (and the peer for v2) per load.
    private func floorTargets(_ program: Program) -> [Target] {
        let goals: [(LoadKind, Double)] = [(.v2, 0.5), (.fhir, 0.8), (.cda, 0.9), (.mixed, 0.7)]
        return goals.compactMap { kind, goal in
            guard let r = result(kind, program), !r.samples.isEmpty else { return nil }
            let name = "\(program.rawValue): \(kind.rawValue) vs the floor" + (kind == .v2 ? " and the peer" : "")
            guard let floor = r.ratio(to: result(kind, .floor)) else {
                return Target(name: name, value: "not measured", goal: "needs --compare", status: "n/a")
            }
            let peer = r.ratio(to: result(kind, .peer))
            let ok = floor >= goal && (kind != .v2 || (peer ?? 0) >= 1.5)
            let value = "\(Format.fixed(floor * 100, 0))% of the floor" + (kind == .v2 ? ", \(peer.map { Format.fixed($0, 2) + "x" } ?? "n/a") the peer" : "")
            return Target(name: name, value: value, goal: "≥ \(Format.fixed(goal * 100, 0))%" + (kind == .v2 ? " and ≥ 1.5x the peer" : ""),
                          status: ok ? "PASS" : "FAIL")
        }
    }

    /// Memory on every load, and the mixed load's links.
    private func stateTargets(_ program: Program) -> [Target] {
        var out: [Target] = []
        let measured = results.filter { $0.program == program && !$0.samples.isEmpty }
        if let worst = measured.max(by: { $0.maxRSSBytes < $1.maxRSSBytes }) {
            let mib = Double(worst.maxRSSBytes) / 1_048_576
            out.append(Target(name: "\(program.rawValue): peak RSS, every load", value: "\(Format.fixed(mib, 1)) MiB at most (load \(worst.load.kind.rawValue))",
                              goal: "≤ 64 MiB", status: mib <= 64 ? "PASS" : "FAIL"))
        }
        if let mixed = result(.mixed, program), let last = mixed.samples.last {
            let ok = last.linked == mixed.load.count && last.tasksCompleted == mixed.load.count
            out.append(Target(name: "\(program.rawValue): mixed load", value: "\(last.linked ?? 0) report(s) linked, \(last.tasksCompleted ?? 0) Task(s) completed",
                              goal: "all \(mixed.load.count) (checked on every run)", status: ok ? "PASS" : "FAIL"))
        }
        return out
    }

    private func ratioText(_ ratio: Double?) -> String {
        ratio.map { Format.fixed($0, 2) + "x" } ?? ""
    }

    /// The whole report as JSON.
    var json: JSONValue {
        func number(_ v: Double, _ digits: Int) -> JSONValue { v.isFinite ? .number(Format.fixed(v, digits)) : .null }
        let rows: [JSONValue] = results.map { r in
            var o = JSONObject([
                "load": .string(r.load.kind.rawValue), "program": .string(r.program.rawValue),
                "files": .number(String(r.load.files)), "messages": .number(String(r.load.messages)),
                "wallSeconds": number(r.wallSeconds, 3), "filesPerSecond": number(r.filesPerSecond, 1),
                "messagesPerSecond": number(r.messagesPerSecond, 1), "megabytesPerSecond": number(r.megabytesPerSecond, 2),
                "cpuSeconds": number(r.cpuSeconds, 3), "peakRSSMiB": number(r.peakRSSBytes / 1_048_576, 1),
                "maxRSSMiB": number(Double(r.maxRSSBytes) / 1_048_576, 1),
            ])
            if let server = r.serverCPUSeconds { o["serverCPUSeconds"] = number(server, 3) }
            if r.load.resources > 0 { o["resourcesPerSecond"] = number(r.resourcesPerSecond, 1) }
            if r.program.isPostroom {
                o["ratioToFloor"] = r.ratio(to: result(r.load.kind, .floor)).map { number($0, 3) } ?? .null
                o["ratioToPeer"] = r.ratio(to: result(r.load.kind, .peer)).map { number($0, 3) } ?? .null
                o["ratioToFloorFsync"] = r.ratio(to: result(r.load.kind, .floorFsync)).map { number($0, 3) } ?? .null
                o["ratioToPeerFsync"] = r.ratio(to: result(r.load.kind, .peerFsync)).map { number($0, 3) } ?? .null
            }
            if let failure = r.failure { o["failure"] = .string(failure) }
            o["runs"] = .array(r.samples.map { s in
                .object(JSONObject([
                    "run": .number(String(s.run)), "wallSeconds": number(s.outcome.wallSeconds, 3),
                    "userSeconds": number(s.outcome.userSeconds, 3), "systemSeconds": number(s.outcome.systemSeconds, 3),
                    "peakRSSMiB": number(Double(s.outcome.peakRSSBytes) / 1_048_576, 1),
                    "reportedSeconds": s.reportedSeconds.map { number($0, 3) }, "held": s.held.map { .number(String($0)) },
                    "linked": s.linked.map { .number(String($0)) }, "tasksCompleted": s.tasksCompleted.map { .number(String($0)) },
                    "serverCPUSeconds": s.serverCPUSeconds.map { number($0, 3) },
                ]))
            })
            return .object(o)
        }
        var loads: [LoadManifest] = []
        for r in results where !loads.contains(where: { $0.kind == r.load.kind }) { loads.append(r.load) }
        return .object(JSONObject([
            "machine": machine.json, "settings": .object(settings),
            "loads": .array(loads.map { m in
                .object(JSONObject([
                    "load": .string(m.kind.rawValue), "description": .string(m.kind.summary), "files": .number(String(m.files)),
                    "messages": .number(String(m.messages)), "resources": .number(String(m.resources)), "bytes": .number(String(m.bytes)),
                    "averageFileBytes": .number(String(m.bytes / Int64(max(m.files, 1)))),
                ]))
            }),
            "results": .array(rows),
            "targets": .array(targets.map { t in
                .object(JSONObject(["name": .string(t.name), "value": .string(t.value), "goal": .string(t.goal), "status": .string(t.status)]))
            }),
            "notes": .array(notes.map { .string($0) }),
        ]))
    }
}

extension String {
    /// The string padded with spaces to `width` characters.
    func padded(_ width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }
}
