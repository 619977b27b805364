import CNettle
import Foundation
import PostroomCore

/// SHA-256 (and HMAC-SHA256, and the SHA-1 of FHIR `Attachment.hash`) through GNU Nettle: the one
/// wrapper the pipeline and the server share. Nettle is the library libarchive already loads, so the
/// digests map no library of their own (OpenSSL's libcrypto, used before, kept 3.4 MB of its pages
/// resident from the moment it was loaded, against the 64 MiB bound).
public enum SHA256Digest {
    /// The raw SHA-256 of `bytes`.
    public static func bytes(_ input: [UInt8]) -> [UInt8] {
        var ctx = sha256_ctx()
        nettle_sha256_init(&ctx)
        input.withUnsafeBufferPointer { nettle_sha256_update(&ctx, $0.count, $0.baseAddress) }
        var digest = [UInt8](repeating: 0, count: Int(SHA256_DIGEST_SIZE))
        nettle_sha256_digest(&ctx, digest.count, &digest)
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
        let stream = SHA1Stream()
        bytes.withUnsafeBytes { stream.update($0) }
        return stream.finishBase64()
    }
}

/// A digest over data that arrives in pieces (a file read in chunks), through Nettle's description of
/// the algorithm (`nettle_hash`, as in Nettle 3; Nettle 4 drops the digest's length argument, and the
/// build says so): `SHA256Stream` and `SHA1Stream` differ only in the algorithm and how the
/// digest is written.
public class DigestStream {
    private let hash: nettle_hash
    private let ctx: UnsafeMutableRawPointer

    init(_ hash: nettle_hash) {
        self.hash = hash
        ctx = .allocate(byteCount: Int(hash.context_size), alignment: 16)
        hash.`init`(ctx)
    }

    deinit { ctx.deallocate() }

    public func update(_ bytes: UnsafeRawBufferPointer) {
        hash.update(ctx, bytes.count, bytes.baseAddress?.assumingMemoryBound(to: UInt8.self))
    }

    /// The raw digest (call once).
    public func finishBytes() -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: Int(hash.digest_size))
        hash.digest(ctx, digest.count, &digest)
        return digest
    }
}

/// SHA-256 over data that arrives in pieces (a file read in chunks).
public final class SHA256Stream: DigestStream {
    public init() { super.init(nettle_sha256) }

    /// The lower-case hex digest (call once).
    public func finish() -> String { Hex.lowercase(finishBytes()) }
}
