import CNettle
import Foundation

/// SHA-1 over data that arrives in pieces: the `Attachment.hash` of a document read in chunks
/// (base64, as `SHA256Digest.sha1Base64` gives it for a document held whole).
public final class SHA1Stream: DigestStream {
    public init() { super.init(nettle_sha1) }

    /// The base64 digest (call once).
    public func finishBase64() -> String { Data(finishBytes()).base64EncodedString() }
}
