import PostroomCore
import PostroomDigest
import Testing

/// The digests (through Nettle) against the standards' own test vectors, whole and in pieces.
@Suite struct DigestTests {
    @Test func sha256OfTheStandardsVectors() {
        #expect(SHA256Digest.hex(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256Digest.hex([]) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256Digest.hex(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8))
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    }

    @Test func aStreamInPiecesGivesTheDigestOfTheWhole() {
        let bytes = (0..<1_000_003).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        let sha256 = SHA256Stream(), sha1 = SHA1Stream()
        var start = 0
        for size in [0, 1, 63, 64, 65, 4_096, 131_072, 1_000_000] where start < bytes.count {
            let end = min(bytes.count, start + size)
            bytes[start..<end].withUnsafeBytes { sha256.update($0); sha1.update($0) }
            start = end
        }
        bytes[start...].withUnsafeBytes { sha256.update($0); sha1.update($0) }
        #expect(sha256.finish() == SHA256Digest.hex(bytes))
        #expect(sha1.finishBase64() == SHA256Digest.sha1Base64(bytes))
    }

    @Test func sha1OfTheStandardsVector() {
        // FIPS 180 "abc" (a9993e36…9cd0d89d).
        #expect(SHA256Digest.sha1Base64(Array("abc".utf8)) == "qZk+NkcGgWq6PiVxeFDCbJzQ2J0=")
        // Two blocks (84983e44…e54670f1), and a million "a" (34aa973c…6534016f).
        #expect(SHA256Digest.sha1Base64(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8))
                == "hJg+RBw70m66rkqh+VEp5eVGcPE=")
        #expect(SHA256Digest.sha1Base64([UInt8](repeating: 0x61, count: 1_000_000)) == "NKqXPNTE2qT2Husr260nMWU0AW8=")
    }

    /// RFC 4231 test cases 1 and 6 (a key longer than the block is hashed first).
    @Test func hmacOfRFC4231() {
        #expect(Hex.lowercase(SHA256Digest.hmac(key: [UInt8](repeating: 0x0b, count: 20), Array("Hi There".utf8)))
                == "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7")
        #expect(Hex.lowercase(SHA256Digest.hmac(key: [UInt8](repeating: 0xaa, count: 131),
                                                Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8)))
                == "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54")
    }
}
