import PostroomAllocator

@_silgen_name("mallopt")
private func c_mallopt(_ param: Int32, _ value: Int32) -> Int32

/// Keeps the process small whatever it processes. Its malloc is jemalloc's, with one arena and freed
/// pages returned after 0.1 s of allocating (Sources/PostroomAllocator/allocator.c). Should the C library's malloc
/// serve it after all (jemalloc not found ahead of it), that one is held to two arenas, and blocks of
/// 256 KiB and more are mapped on their own and free memory past 256 KiB at the heap's top returned:
/// glibc otherwise raises both thresholds as large blocks are freed and keeps them (on a
/// 1,000,000-file inbox, 65.7–67.8 MiB peak RSS without this, 62.8–64.0 MiB with it).
enum MemoryPolicy {
    /// jemalloc's version, when it serves this process's malloc.
    static var allocator: String? { postroom_allocator_version().map { String(cString: $0) } }

    static func apply() {
        guard allocator == nil else { return }
        _ = c_mallopt(-8, 2)  // M_ARENA_MAX (a macro Swift does not import)
        _ = c_mallopt(-3, 256 << 10)  // M_MMAP_THRESHOLD
        _ = c_mallopt(-1, 256 << 10)  // M_TRIM_THRESHOLD
    }
}
