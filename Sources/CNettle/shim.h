#ifndef POSTROOM_CNETTLE_SHIM_H
#define POSTROOM_CNETTLE_SHIM_H
#include <nettle/nettle-meta.h>
#include <nettle/sha1.h>
#include <nettle/sha2.h>
#endif
