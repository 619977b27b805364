#ifndef POSTROOM_CDEFLATE_SHIM_H
#define POSTROOM_CDEFLATE_SHIM_H
#include <libdeflate.h>
#endif
