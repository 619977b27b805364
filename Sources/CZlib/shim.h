#ifndef POSTROOM_CZLIB_SHIM_H
#define POSTROOM_CZLIB_SHIM_H
#include <zlib.h>
/* inflateInit is a macro: give Swift a plain function. */
static inline int CZlibInflateInit(z_streamp s) { return inflateInit(s); }
#endif
