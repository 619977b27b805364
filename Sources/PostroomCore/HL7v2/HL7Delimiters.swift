/// The delimiters of one HL7 v2 message, read from MSH-1 and MSH-2 (or FHS/BHS-1 and -2).
public struct HL7Delimiters: Sendable, Hashable {
    /// MSH-1, normally `|`.
    public var field: UInt8
    /// The component separator, normally `^`.
    public var component: UInt8
    /// The repetition separator, normally `~`.
    public var repetition: UInt8
    /// The escape character, normally `\`.
    public var escape: UInt8
    /// The sub-component separator, normally `&`.
    public var subcomponent: UInt8
    /// The v2.7+ truncation character (the optional fifth character of MSH-2), normally `#`.
    public var truncation: UInt8?

    /// `|^~\&`, the delimiters almost every message uses.
    public static let standard = HL7Delimiters(field: 0x7C, component: 0x5E, repetition: 0x7E, escape: 0x5C, subcomponent: 0x26, truncation: nil)

    /// Creates a set of delimiters.
    public init(field: UInt8, component: UInt8, repetition: UInt8, escape: UInt8, subcomponent: UInt8, truncation: UInt8? = nil) {
        self.field = field
        self.component = component
        self.repetition = repetition
        self.escape = escape
        self.subcomponent = subcomponent
        self.truncation = truncation
    }

    /// MSH-2 as it is written: component, repetition, escape, sub-component (and truncation).
    public var encodingCharacters: String {
        var bytes = [component, repetition, escape, subcomponent]
        if let truncation { bytes.append(truncation) }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The field separator as a character.
    public var fieldCharacter: Character { Character(Unicode.Scalar(field)) }

    /// Whether `byte` may serve as a delimiter: printable ASCII, not a letter, digit or space.
    static func isUsable(_ byte: UInt8) -> Bool {
        guard byte > 0x20, byte < 0x7F else { return false }
        switch byte {
        case 0x30...0x39, 0x41...0x5A, 0x61...0x7A: return false
        default: return true
        }
    }

    /// Reads the delimiters of a header segment (`MSH`, `FHS` or `BHS`) whose bytes start at `start`.
    ///
    /// Returns nil when not even a field separator can be read. Otherwise the delimiters
    /// (defaults fill in what MSH-2 lacks or repeats, so the message can still be answered)
    /// and the issues found, located at `<segment>-1` / `<segment>-2`.
    static func read(_ bytes: UnsafeBufferPointer<UInt8>, start: Int, end: Int, segment: String) -> (HL7Delimiters, [Issue])? {
        guard end - start >= 4 else { return nil }
        let sep = bytes[start + 3]
        guard isUsable(sep) else { return nil }
        var issues: [Issue] = []
        var chars: [UInt8] = []
        var i = start + 4
        while i < end, bytes[i] != sep { chars.append(bytes[i]); i += 1 }
        let location = "\(segment)-2"
        if chars.count < 4 || chars.count > 5 {
            issues.append(.error(.encodingCharactersInvalid, type: "structure", at: location,
                                 "\(segment)-2 must hold 4 encoding characters (5 from v2.7), found \(chars.count)"))
        }
        let defaults: [UInt8] = [0x5E, 0x7E, 0x5C, 0x26, 0x23]
        var chosen: [UInt8] = []
        var reported = !issues.isEmpty
        for role in 0..<5 {
            let given: UInt8? = role < chars.count ? chars[role] : nil
            if let given, isUsable(given), given != sep, !chosen.contains(given) {
                chosen.append(given)
                continue
            }
            if given != nil, !reported {
                issues.append(.error(.encodingCharactersInvalid, type: "structure", at: location,
                                     "\(segment)-2 encoding characters must be distinct punctuation characters other than the field separator"))
                reported = true
            }
            if role == 4 && given == nil { break }
            let fallback = ([defaults[role]] + defaults + Array("!$%*+@".utf8)).first { $0 != sep && !chosen.contains($0) } ?? 0x21
            chosen.append(fallback)
        }
        let d = HL7Delimiters(field: sep, component: chosen[0], repetition: chosen[1], escape: chosen[2], subcomponent: chosen[3],
                              truncation: chosen.count > 4 ? chosen[4] : nil)
        return (d, issues)
    }
}
