import CCrypto
import Foundation
import PostroomCore

/// SHA-256 (and HMAC-SHA256, and the SHA-1 of FHIR `Attachment.hash`) through OpenSSL's libcrypto:
/// the one wrapper the pipeline and the server share.
public enum SHA256Digest {
    /// SHA-256 fetched once: OpenSSL 3's one-shot `SHA256()` looks the algorithm up on every call,
    /// which took most of the time of hashing a short key (a patient's, once a message).
    private nonisolated(unsafe) static let sha256 = EVP_MD_fetch(nil, "SHA256", nil)

    /// The raw SHA-256 of `bytes`.
    public static func bytes(_ input: [UInt8]) -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: Int(SHA256_DIGEST_LENGTH))
        var length: UInt32 = 0
        let ok = input.withUnsafeBufferPointer { b in EVP_Digest(b.baseAddress, b.count, &digest, &length, sha256, nil) }
        precondition(ok == 1 && length == SHA256_DIGEST_LENGTH, "libcrypto: SHA-256 is not available")
        return digest
    }

    /// The lower-case hex SHA-256 of `bytes`.
    public static func hex(_ bytes: [UInt8]) -> String { Hex.lowercase(Self.bytes(bytes)) }

    /// HMAC-SHA256 (RFC 2104) of `message` under `key`.
    public static func hmac(key: [UInt8], _ message: [UInt8]) -> [UInt8] {
        var k = key.count > 64 ? bytes(key) : key
        k += [UInt8](repeating: 0, count: 64 - k.count)
        let inner = bytes(k.map { $0 ^ 0x36 } + message)
        return bytes(k.map { $0 ^ 0x5c } + inner)
    }

    /// The base64 SHA-1 of `bytes` (FHIR `Attachment.hash`).
    public static func sha1Base64(_ bytes: [UInt8]) -> String {
        var digest = [UInt8](repeating: 0, count: Int(SHA_DIGEST_LENGTH))
        bytes.withUnsafeBufferPointer { b in
            _ = SHA1(b.baseAddress, b.count, &digest)
        }
        return Data(digest).base64EncodedString()
    }
}

/// A digest over data that arrives in pieces (a file read in chunks), through libcrypto's EVP interface:
/// `SHA256Stream` and `SHA1Stream` differ only in the algorithm and how the digest is written.
public class DigestStream {
    private let ctx: OpaquePointer

    init(_ algorithm: OpaquePointer?) {
        ctx = EVP_MD_CTX_new()
        EVP_DigestInit_ex(ctx, algorithm, nil)
    }

    deinit { EVP_MD_CTX_free(ctx) }

    public func update(_ bytes: UnsafeRawBufferPointer) {
        _ = EVP_DigestUpdate(ctx, bytes.baseAddress, bytes.count)
    }

    /// The raw digest (call once).
    public func finishBytes() -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var len: UInt32 = 0
        EVP_DigestFinal_ex(ctx, &digest, &len)
        return Array(digest.prefix(Int(len)))
    }
}

/// SHA-256 over data that arrives in pieces (a file read in chunks).
public final class SHA256Stream: DigestStream {
    public init() { super.init(EVP_sha256()) }

    /// The lower-case hex digest (call once).
    public func finish() -> String { Hex.lowercase(finishBytes()) }
}
