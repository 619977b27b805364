// The `postroom` executable's malloc is jemalloc's (Debian: libjemalloc-dev), linked ahead of the C
// library's: on the benchmark's loads a run takes 5-11% less CPU than with glibc's malloc (whose
// consolidation and cross-thread frees showed in the profiles) and 7-15% less time (PERFORMANCE.md).
// jemalloc reads its options from this symbol before its first allocation.
//
// - narenas:1: one arena; the process has a writer and a few helper threads, and every arena keeps
//   pages of its own (the memory bound is 64 MiB).
// - dirty_decay_ms:100, muzzy_decay_ms:0: freed pages go back to the system after 0.1 s, not 10 s
//   (as the process allocates and frees: there is no background thread, so an idle `watch` keeps
//   them until its next allocation; the peak is what the bound is about).
// - tcache_nslots_small_max:32: each thread caches fewer small objects (the default is 200).
#include "PostroomAllocator.h"
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

__attribute__((used, visibility("default")))
const char *malloc_conf = "narenas:1,dirty_decay_ms:100,muzzy_decay_ms:0,tcache_nslots_small_max:32";

// jemalloc's control interface (declared here: jemalloc.h would declare malloc a second time for Swift).
int mallctl(const char *name, void *oldp, size_t *oldlenp, void *newp, size_t newlen);

const char *postroom_allocator_version(void) {
    const char *version = NULL;
    size_t length = sizeof(version);
    if (mallctl("version", &version, &length, NULL, 0) != 0) return NULL;
    // jemalloc counts what this thread allocated: it grows by a malloc only if jemalloc served it.
    uint64_t before = 0, after = 0;
    size_t size = sizeof(before);
    if (mallctl("thread.allocated", &before, &size, NULL, 0) != 0) return NULL;
    void *volatile probe = malloc(1 << 16);
    size = sizeof(after);
    int failed = mallctl("thread.allocated", &after, &size, NULL, 0);
    free(probe);
    return failed == 0 && after - before >= (1 << 16) ? version : NULL;
}
