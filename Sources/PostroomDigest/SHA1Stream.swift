import CCrypto
import Foundation

/// SHA-1 over data that arrives in pieces: the `Attachment.hash` of a document read in chunks
/// (base64, as `SHA256Digest.sha1Base64` gives it for a document held whole).
public final class SHA1Stream {
    private let ctx: OpaquePointer

    public init() {
        ctx = EVP_MD_CTX_new()
        EVP_DigestInit_ex(ctx, EVP_sha1(), nil)
    }

    deinit { EVP_MD_CTX_free(ctx) }

    public func update(_ bytes: UnsafeRawBufferPointer) {
        _ = EVP_DigestUpdate(ctx, bytes.baseAddress, bytes.count)
    }

    /// The base64 digest (call once).
    public func finishBase64() -> String {
        var digest = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var len: UInt32 = 0
        EVP_DigestFinal_ex(ctx, &digest, &len)
        return Data(digest.prefix(Int(len))).base64EncodedString()
    }
}
