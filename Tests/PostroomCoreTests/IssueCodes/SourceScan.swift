import Foundation

/// Reads Postroom's own sources for the catalogue tests (located through `#filePath`).
enum SourceScan {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().path
    static let catalogueFolder = root + "/Sources/PostroomCore/IssueCodes"

    /// The Swift files of the targets that report issues (not the benchmark and generator tools).
    static func sourceFiles() throws -> [(path: String, text: String)] {
        var out: [(String, String)] = []
        let sources = root + "/Sources"
        for target in try FileManager.default.contentsOfDirectory(atPath: sources).sorted()
        where ["PostroomCore", "PostroomPipeline", "PostroomServer", "PostroomStore", "PostroomArchive", "postroom"].contains(target) {
            guard let e = FileManager.default.enumerator(atPath: sources + "/" + target) else { continue }
            for case let rel as String in e where rel.hasSuffix(".swift") {
                let path = "Sources/\(target)/\(rel)"
                out.append((path, try String(contentsOfFile: root + "/" + path, encoding: .utf8)))
            }
        }
        return out.sorted { $0.0 < $1.0 }
    }

    /// Every match of `pattern` in `text`, as its capture groups.
    static func matches(_ pattern: String, in text: String) -> [[String]] {
        let re = try! NSRegularExpression(pattern: pattern)
        let ns = text as NSString
        return re.matches(in: text, range: NSRange(location: 0, length: ns.length)).map { m in
            (0..<m.numberOfRanges).map { i in
                m.range(at: i).location == NSNotFound ? "" : ns.substring(with: m.range(at: i))
            }
        }
    }

    /// Line number of `fragment`'s first occurrence in `text` (for messages).
    static func line(of fragment: String, in text: String) -> Int {
        guard let r = text.range(of: fragment) else { return 0 }
        return text[..<r.lowerBound].filter { $0 == "\n" }.count + 1
    }

    /// The catalogue's declarations: member name → code string, from the `IssueCode+*.swift` files.
    static func declaredMembers() throws -> [String: String] {
        var out: [String: String] = [:]
        for file in try FileManager.default.contentsOfDirectory(atPath: catalogueFolder) where file.hasSuffix(".swift") {
            let text = try String(contentsOfFile: catalogueFolder + "/" + file, encoding: .utf8)
            for m in matches(#"static let (\w+) = IssueCode\("([^"]+)""#, in: text) { out[m[1]] = m[2] }
        }
        return out
    }
}
