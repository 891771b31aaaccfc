/* The monotonic clock of timeouts and deadlines (public: dlssl_monotonic). */
#include "config.h"

#include <time.h>

#include "compat/time.h"
#include "dlssl.h"

DLSSL_EXPORT double
dlssl_monotonic(void)
{
	struct timespec ts;

	dlssl__clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}
