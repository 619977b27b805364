#ifndef POSTROOM_CZLIB_SHIM_H
#define POSTROOM_CZLIB_SHIM_H
#include <zlib.h>
/* deflateInit/inflateInit are macros: give Swift plain functions. */
static inline int CZlibDeflateInit(z_streamp s, int level) { return deflateInit(s, level); }
static inline int CZlibInflateInit(z_streamp s) { return inflateInit(s); }
#endif
