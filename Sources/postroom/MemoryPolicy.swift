@_silgen_name("mallopt")
private func c_mallopt(_ param: Int32, _ value: Int32) -> Int32

/// Keeps the process small whatever it processes: glibc gives each thread that allocates its own
/// malloc arena (and keeps freed memory in it); two arenas serve Postroom's two stages.
enum MemoryPolicy {
    static func apply() {
        _ = c_mallopt(-8, 2)  // M_ARENA_MAX (a macro Swift does not import)
    }
}
