#ifndef POSTROOM_ALLOCATOR_H
#define POSTROOM_ALLOCATOR_H

/// jemalloc's version when it serves this process's malloc (it is linked into `postroom` ahead of the
/// C library's), else NULL.
const char *postroom_allocator_version(void);

#endif
