import CNettle
import Foundation

/// SHA-1 over data that arrives in pieces: the `Attachment.hash` of a document read in chunks
/// (base64, as `SHA256Digest.sha1Base64` gives it for a document held whole).
public final class SHA1Stream {
    private var ctx = sha1_ctx()

    public init() { nettle_sha1_init(&ctx) }

    public func update(_ bytes: UnsafeRawBufferPointer) {
        nettle_sha1_update(&ctx, bytes.count, bytes.bindMemory(to: UInt8.self).baseAddress)
    }

    /// The raw digest (call once).
    public func finishBytes() -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: Int(SHA1_DIGEST_SIZE))
        nettle_sha1_digest(&ctx, digest.count, &digest)
        return digest
    }

    /// The base64 digest (call once).
    public func finishBase64() -> String { Data(finishBytes()).base64EncodedString() }
}
