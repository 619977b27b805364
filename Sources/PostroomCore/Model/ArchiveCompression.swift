/// How an archive is compressed.
public enum ArchiveCompression: Sendable, Equatable {
    case gzip(level: Int)
    case zstd(level: Int)
    case none

    /// The file name extension (`tar.gz`, `tar.zst`, `tar`).
    public var fileExtension: String {
        switch self {
        case .gzip: "tar.gz"
        case .zstd: "tar.zst"
        case .none: "tar"
        }
    }
}
