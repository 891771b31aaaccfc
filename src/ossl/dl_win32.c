/* The dynamic loader on Windows: LoadLibraryExW, GetProcAddress. */
#include "config.h"

#ifdef _WIN32
#error "the Windows loader is not written yet"
#endif
