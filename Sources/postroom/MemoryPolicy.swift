@_silgen_name("mallopt")
private func c_mallopt(_ param: Int32, _ value: Int32) -> Int32

/// Keeps the process small whatever it processes: glibc gives each thread that allocates its own
/// malloc arena (and keeps freed memory in it); two arenas serve Postroom's two stages. Blocks of
/// 256 KiB and more (file contents, view records, framing buffers) are mapped and unmapped on their
/// own, and free memory past 256 KiB at the heap's top goes back to the system: glibc otherwise raises
/// both thresholds as large blocks are freed and keeps them. On a 1,000,000-file inbox this took the
/// peak RSS from 65.7–67.8 MiB to 62.8–64.0 MiB, with no change the benchmark's loads could show
/// (PERFORMANCE.md, 2026-12-05 21:39).
enum MemoryPolicy {
    static func apply() {
        _ = c_mallopt(-8, 2)  // M_ARENA_MAX (a macro Swift does not import)
        _ = c_mallopt(-3, 256 << 10)  // M_MMAP_THRESHOLD
        _ = c_mallopt(-1, 256 << 10)  // M_TRIM_THRESHOLD
    }
}
