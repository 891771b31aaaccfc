/*
 * dlssl__clock_gettime(CLOCK_MONOTONIC or CLOCK_REALTIME, ts):
 * clock_gettime.  On Windows from QueryPerformanceCounter and the system
 * time, so the library needs no winpthreads (where mingw-w64's
 * clock_gettime lives).  Elsewhere <time.h>'s.
 */
#ifndef DLSSL_COMPAT_TIME_H
#define DLSSL_COMPAT_TIME_H

#include <time.h>

#ifdef _WIN32
#include <windows.h>
#include <errno.h>

#ifndef CLOCK_REALTIME
#define CLOCK_REALTIME 0
#endif
#ifndef CLOCK_MONOTONIC
#define CLOCK_MONOTONIC 1
#endif

static inline int
dlssl__clock_gettime(int clock, struct timespec *ts)
{
	if (clock == CLOCK_MONOTONIC) {
		LARGE_INTEGER f, c;

		/* Never fails on Windows XP and later. */
		QueryPerformanceFrequency(&f);
		QueryPerformanceCounter(&c);
		ts->tv_sec = (time_t)(c.QuadPart / f.QuadPart);
		ts->tv_nsec = (long)((c.QuadPart % f.QuadPart) * 1000000000LL / f.QuadPart);
		return 0;
	}
	if (clock == CLOCK_REALTIME) {
		FILETIME ft;
		ULARGE_INTEGER t;

		/* 100 ns units since 1601-01-01. */
		GetSystemTimeAsFileTime(&ft);
		t.LowPart = ft.dwLowDateTime;
		t.HighPart = ft.dwHighDateTime;
		t.QuadPart -= 116444736000000000ULL;
		ts->tv_sec = (time_t)(t.QuadPart / 10000000ULL);
		ts->tv_nsec = (long)(t.QuadPart % 10000000ULL) * 100;
		return 0;
	}
	errno = EINVAL;
	return -1;
}

#else
static inline int
dlssl__clock_gettime(clockid_t clock, struct timespec *ts)
{
	return clock_gettime(clock, ts);
}
#endif

#endif
