#ifndef POSTROOM_CSQLITECONFIG_SHIM_H
#define POSTROOM_CSQLITECONFIG_SHIM_H
#include <sqlite3.h>
/* sqlite3_config is variadic: give Swift a plain function. Turns off SQLite's memory statistics, which
   take a process-wide mutex around every allocation and free SQLite makes. Only before SQLite is
   initialised (the first connection opened): later it returns SQLITE_MISUSE and changes nothing. */
static inline int CSQLiteConfigMemoryStatisticsOff(void) { return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0); }
#endif
