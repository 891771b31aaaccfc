/*
 * Reseed after fork.  A child starts with a copy of its parent's random
 * generator state; so does every process restored from one checkpoint.
 * Most libraries notice a fork by themselves (OpenSSL 3 compares the pid,
 * 1.1.1 and LibreSSL use fork handlers or the pid), but not inside a
 * private namespace whose libc never runs its fork handlers, and not every
 * build.  dlssl does not rely on it: a fork handler registered with the
 * host's libc only raises a flag (no loader work inside fork handlers),
 * and the first use of the table in the child reseeds it (RAND_poll).
 */
#include "config.h"

#include "ossl/loader.h"

atomic_int dlssl__forked;

#ifndef _WIN32
#include <pthread.h>

static pthread_once_t watch_once = PTHREAD_ONCE_INIT;

static void
in_child(void)
{
	atomic_store_explicit(&dlssl__forked, 1, memory_order_relaxed);
}

static void
register_handler(void)
{
	(void)pthread_atfork(NULL, NULL, in_child);
}

void
dlssl__fork_watch(void)
{
	(void)pthread_once(&watch_once, register_handler);
}
#else
void
dlssl__fork_watch(void)
{
}
#endif
