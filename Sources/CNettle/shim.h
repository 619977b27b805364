#ifndef POSTROOM_CNETTLE_SHIM_H
#define POSTROOM_CNETTLE_SHIM_H
#include <nettle/sha1.h>
#include <nettle/sha2.h>
#endif
