#ifndef POSTROOM_CARCHIVE_SHIM_H
#define POSTROOM_CARCHIVE_SHIM_H
#include <archive.h>
#include <archive_entry.h>
/* Swift cannot import the cast macros AE_IF*: give them plain values. */
static const unsigned int CArchiveFileTypeRegular = 0100000;
static const unsigned int CArchiveFileTypeDirectory = 0040000;
static const unsigned int CArchiveFileTypeSymlink = 0120000;
static const unsigned int CArchiveFileTypeMask = 0170000;
#endif
