import Foundation

/// What became of one message once it was checked and applied: the input to its acknowledgement.
public struct MessageResult: Sendable {
    public enum Disposition: String, Sendable, Codable {
        /// Stored and applied.
        case accepted
        /// Stored, but waiting for its request (a result that arrived first).
        case held
        /// Not applied: see the issues.
        case rejected
        /// Seen before: not applied again; the original acknowledgement is sent again.
        case duplicate
    }

    public var disposition: Disposition
    /// Validation issues plus those raised while applying (patient mismatch, invalid transition…).
    public var issues: [Issue]
    /// True when the failure was ours (storage), so a resend may succeed (AR / `transient-error`).
    public var transient: Bool
    /// For FHIR transaction and batch Bundles: one result per entry, in entry order.
    public var entryResults: [FHIRBundleEntryResult]?

    public init(disposition: Disposition, issues: [Issue], transient: Bool = false, entryResults: [FHIRBundleEntryResult]? = nil) {
        self.disposition = disposition
        self.issues = issues
        self.transient = transient
        self.entryResults = entryResults
    }

    /// Whether the sender should consider the message accepted.
    public var isPositive: Bool { disposition != .rejected }
}

/// The clock and id source that acknowledgement builders use, passed in so the core stays pure and testable.
public struct AckEnvironment: Sendable {
    public var now: Date
    public var timeZone: TimeZone
    /// Makes a new unique id (lower-case UUID by default).
    public var makeID: @Sendable () -> String

    /// A new HL7 v2 control id (MSH-10, BHS-11, FHS-11): 20 characters, the length HL7 v2.5 gives
    /// MSH-10 (ST 20) and that many receivers enforce — a new id without its hyphens, upper-case,
    /// cut to 20 characters (for a UUID: its first 80 bits in hex).
    public func makeControlID() -> String {
        let id = makeID()
        // A printable ASCII id (a UUID's text) by its bytes, one character each; anything else by its characters.
        guard id.isPrintableASCII else { return String(id.filter { $0 != "-" }.uppercased().prefix(20)) }
        var out: [UInt8] = []
        out.reserveCapacity(20)
        for b in id.utf8 where b != UInt8(ascii: "-") {
            out.append(b >= UInt8(ascii: "a") && b <= UInt8(ascii: "z") ? b - 0x20 : b)
            if out.count == 20 { break }
        }
        return String(decoding: out, as: UTF8.self)
    }
    /// How Postroom names itself in MSH-3/4 and MessageHeader.source.
    public var application: String
    public var facility: String
    public var endpoint: String

    public init(now: Date = Date(), timeZone: TimeZone = TimeZone(identifier: "Europe/London") ?? .gmt,
                makeID: @escaping @Sendable () -> String = RandomUUID.string,
                application: String = "POSTROOM", facility: String = "POSTROOM",
                endpoint: String = "urn:postroom") {
        self.now = now
        self.timeZone = timeZone
        self.makeID = makeID
        self.application = application
        self.facility = facility
        self.endpoint = endpoint
    }
}

/// One acknowledgement file to write: a name suffix (after `<drop name>.<drop id>.`) and its bytes.
public struct AckFile: Sendable, Equatable {
    public var suffix: String
    public var bytes: [UInt8]

    public init(suffix: String, bytes: [UInt8]) {
        self.suffix = suffix
        self.bytes = bytes
    }
}
