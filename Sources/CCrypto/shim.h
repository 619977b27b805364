#ifndef POSTROOM_CCRYPTO_SHIM_H
#define POSTROOM_CCRYPTO_SHIM_H
#include <openssl/sha.h>
#include <openssl/evp.h>
#endif
