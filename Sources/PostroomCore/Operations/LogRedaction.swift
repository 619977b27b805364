/// An error that knows a form of itself fit for a log (DESIGN.md §3.6: ids, hashes, counts and codes,
/// never names): file names are names, so a path's last part is replaced by a short hash of it.
public protocol LogRedactable {
    var logSafeDescription: String { get }
}

/// Paths as a log may show them: the folder (from the configuration) and a hash of the file's name.
public enum LogRedaction {
    /// `/data/inbox/lab/<name #1a2b3c4d>` for `/data/inbox/lab/SMITH_JOHN.hl7`.
    public static func path(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return name(path) }
        return String(path[...slash]) + name(String(path[path.index(after: slash)...]))
    }

    /// `<name #1a2b3c4d>`: FNV-1a (32 bits) of the name's bytes — enough to tell two failures apart
    /// or match one to a file an operator holds, not to read the name back.
    public static func name(_ name: String) -> String {
        var h: UInt32 = 2_166_136_261
        for b in name.utf8 { h = (h ^ UInt32(b)) &* 16_777_619 }
        let hex = String(h, radix: 16)
        return "<name #" + String(repeating: "0", count: 8 - hex.count) + hex + ">"
    }

    /// What of `error` may be logged: its redacted form when it has one (errors that name files),
    /// else its description.
    public static func describe(_ error: any Error) -> String {
        if let r = error as? LogRedactable { return r.logSafeDescription }
        return String(describing: error)
    }
}
