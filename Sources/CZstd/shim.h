#ifndef POSTROOM_CZSTD_SHIM_H
#define POSTROOM_CZSTD_SHIM_H
#include <zstd.h>
#endif
