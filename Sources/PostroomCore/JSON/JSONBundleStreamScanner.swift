/// Reads a JSON Bundle pushed in chunks without building its tree: the members of the root object
/// other than `entry` (kept as raw bytes, each bounded) and each element of `entry` as the raw bytes
/// of one JSON object, handed out as soon as it is complete.
///
/// It checks the structure around the entries (the root object, `entry` an array of objects, commas,
/// colons, nothing after the root, not truncated); the entries' own syntax is left to `JSONParser`,
/// which parses each entry on its own. Pure: no I/O.
public struct JSONBundleStreamScanner {
    /// Why the file is not a Bundle this scanner can read, with where (1-based line and column).
    public struct Failure: Error, Sendable, Equatable {
        public var message: String
        public var line: Int
        public var column: Int
        /// A root member other than `entry` was larger than `maxMemberBytes` (not a syntax error).
        public var oversizedMember = false
    }

    /// The largest raw member other than `entry` (a Bundle's envelope is small: id, type, meta, …).
    public static let maxMemberBytes = 1 << 20

    /// The root members other than `entry`, in file order, raw.
    public private(set) var members: [(key: String, raw: [UInt8])] = []
    /// Entries handed out so far.
    public private(set) var entryCount = 0
    /// Whether the root has an `entry` member.
    public private(set) var hasEntry = false

    private enum State { case start, keyOrEnd, key, colon, value, member, afterMember, keyNext, firstEntry, entryNext, entry, afterEntry, done }
    private var state = State.start
    private var key: [UInt8] = []
    private var capture: [UInt8] = []
    private var depth = 0
    private var inString = false
    private var escaped = false
    private var scalar = false
    private var line = 1, column = 0
    private var offset = 0

    public init() {}

    /// Feeds the next chunk; returns the entries completed in it (raw JSON objects).
    public mutating func push(_ chunk: UnsafeBufferPointer<UInt8>) throws(Failure) -> [[UInt8]] {
        var out: [[UInt8]] = []
        var i = 0
        var captureFrom = 0
        while i < chunk.count {
            let b = chunk[i]
            if b == 0x0A { line += 1; column = 0 } else { column += 1 }
            offset += 1
            switch state {
            case .member, .entry:
                if !skipValue(b) { i += 1; continue }
                if scalar {
                    // A scalar ends at the delimiter after it, which is read again in the next state.
                    capture.append(contentsOf: chunk[captureFrom..<i])
                    finishValue(into: &out)
                    offset -= 1
                    if b == 0x0A { line -= 1 } else { column -= 1 }
                    continue
                }
                capture.append(contentsOf: chunk[captureFrom...i])
                finishValue(into: &out)
            case .key:
                if escaped { escaped = false; key.append(b) } else if b == 0x5C { escaped = true; key.append(b) }
                else if b == 0x22 { state = .colon } else { key.append(b) }
            default:
                if try structural(b) { captureFrom = i }
            }
            if capture.count > Self.maxMemberBytes, state == .member {
                var failure = fail("The Bundle member \"\(keyText)\" is larger than \(Self.maxMemberBytes) bytes")
                failure.oversizedMember = true
                throw failure
            }
            i += 1
        }
        if state == .member || state == .entry { capture.append(contentsOf: chunk[captureFrom..<chunk.count]) }
        return out
    }

    /// Feeds a chunk held in an array.
    public mutating func push(_ chunk: [UInt8]) throws(Failure) -> [[UInt8]] {
        let r: Result<[[UInt8]], Failure> = chunk.withUnsafeBufferPointer { b in
            do throws(Failure) { return .success(try push(b)) } catch { return .failure(error) }
        }
        return try r.get()
    }

    /// The end of the file: the root object must be closed.
    public mutating func finish() throws(Failure) {
        guard state == .done else { throw fail("The file ends before the Bundle is complete (truncated?)") }
    }

    private var keyText: String { String(decoding: key, as: UTF8.self) }

    private func fail(_ message: String) -> Failure {
        Failure(message: message, line: line, column: max(column, 1))
    }

    private static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 }

    /// A byte outside any captured value; true when a captured value starts at it.
    private mutating func structural(_ b: UInt8) throws(Failure) -> Bool {
        if Self.isSpace(b) { return false }
        switch state {
        case .start:
            if b == 0xEF || b == 0xBB || b == 0xBF, offset <= 3 { return false }
            guard b == 0x7B else { throw fail("A FHIR Bundle must be a JSON object") }
            state = .keyOrEnd
        case .keyOrEnd, .keyNext:
            if b == 0x7D, state == .keyOrEnd { state = .done; return false }
            guard b == 0x22 else { throw fail("A member name (a string) is expected") }
            key.removeAll(keepingCapacity: true)
            state = .key
        case .colon:
            guard b == 0x3A else { throw fail("':' is expected after a member name") }
            state = .value
        case .value:
            if keyText == "entry" {
                guard !hasEntry else { throw fail("Duplicate member name \"entry\"") }
                guard b == 0x5B else { throw fail("Bundle.entry must be an array") }
                hasEntry = true
                state = .firstEntry
                return false
            }
            guard !members.contains(where: { $0.key == keyText }) else { throw fail("Duplicate member name \"\(keyText)\"") }
            startValue(b, in: .member)
            return true
        case .afterMember:
            if b == 0x2C { state = .keyNext } else if b == 0x7D { state = .done }
            else { throw fail("',' or '}' is expected after a member") }
        case .firstEntry, .entryNext:
            if b == 0x5D, state == .firstEntry { state = .afterMember; return false }
            guard b == 0x7B else { throw fail("Each Bundle.entry must be a JSON object") }
            startValue(b, in: .entry)
            return true
        case .afterEntry:
            if b == 0x2C { state = .entryNext } else if b == 0x5D { state = .afterMember }
            else { throw fail("',' or ']' is expected after an entry") }
        case .done:
            throw fail("Content after the end of the Bundle")
        case .member, .entry, .key:
            break
        }
        return false
    }

    private mutating func startValue(_ b: UInt8, in next: State) {
        capture.removeAll(keepingCapacity: next == .entry)
        depth = 0
        inString = false
        escaped = false
        scalar = !(b == 0x7B || b == 0x5B || b == 0x22)
        state = next
        _ = skipValue(b)
    }

    /// Advances over one byte of the captured value; true when the value is complete (a scalar: at the byte after it).
    private mutating func skipValue(_ b: UInt8) -> Bool {
        if scalar {
            return Self.isSpace(b) || b == 0x2C || b == 0x7D || b == 0x5D
        }
        if inString {
            if escaped { escaped = false } else if b == 0x5C { escaped = true } else if b == 0x22 {
                inString = false
                return depth == 0
            }
            return false
        }
        switch b {
        case 0x22: inString = true
        case 0x7B, 0x5B: depth += 1
        case 0x7D, 0x5D:
            depth -= 1
            return depth == 0
        default: break
        }
        return false
    }

    private mutating func finishValue(into out: inout [[UInt8]]) {
        if state == .entry {
            out.append(capture)
            capture = []
            entryCount += 1
            state = .afterEntry
        } else {
            members.append((key: keyText, raw: capture))
            capture = []
            state = .afterMember
        }
    }
}
