/*
 * The published function table: published whole with a release store,
 * read lock-free with an acquire load.  Every successful load or reload is
 * a new generation, and old generations are never freed or unmapped.
 * Loading itself (one at a time, under a lock) is load.c's: it drives
 * discovery, which is above this file, and hands the result down here.
 */
#include "config.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "compat/path.h"
#include "compat/time.h"
#include "error.h"
#include "ossl/loader.h"

static _Atomic(const struct dlssl__ossl *) current;
static unsigned long generations; /* under the loader's lock (load.c) */
static const struct dlssl__ossl *all_tables; /* every generation, newest first */

unsigned long
dlssl__now_ns(void)
{
	struct timespec ts;

	if (dlssl__clock_gettime(CLOCK_MONOTONIC, &ts) != 0)
		return 0;
	return (unsigned long)ts.tv_sec * 1000000000UL + (unsigned long)ts.tv_nsec;
}

unsigned long
dlssl__ossl_keep(struct dlssl__ossl *t)
{
	t->generation = ++generations;
	t->previous = all_tables;
	all_tables = t;
	return t->generation;
}

void
dlssl__ossl_publish(const struct dlssl__ossl *t)
{
	atomic_store_explicit(&current, t, memory_order_release);
}

int
dlssl__ossl_owned_path(const char *path)
{
	const struct dlssl__ossl *t;
	char *real = dlssl__realpath(path, NULL); /* the loader may name it /lib/... */
	int own = 0;

	/*
	 * Called during a load, under load.c's lock, like every writer of all_tables.
	 * A copy in a private namespace is not the one the host mapped.
	 */
	for (t = all_tables; t != NULL && !own; t = t->previous)
		own = !t->host_owned && t->info->link_map == 0 && t->info->libssl_path != NULL &&
		    strcmp(t->info->libssl_path, real ? real : path) == 0;
	free(real);
	return own;
}

const struct dlssl__ossl *
dlssl__ossl_current(void)
{
	const struct dlssl__ossl *t = atomic_load_explicit(&current, memory_order_acquire);

	/* The first use in a forked child reseeds (fork.c). */
	if (atomic_load_explicit(&dlssl__forked, memory_order_relaxed) && t != NULL &&
	    atomic_exchange(&dlssl__forked, 0))
		(void)dlssl__ossl_reseed(t);
	return t;
}

int
dlssl__ossl_check_current(const struct dlssl__ossl *api)
{
	const struct dlssl__ossl *cur = dlssl__ossl_current();

	if (api != NULL && api == cur)
		return 0;
	dlssl__set_errorx(DLSSL_ERR_STALE,
	    "object made under libssl generation %lu, but generation %lu is current "
	    "(dlssl_reload was called): make a new one",
	    api ? api->generation : 0UL, cur ? cur->generation : 0UL);
	return -1;
}

/* SSL_AD_REASON_OFFSET: a received alert N is queued as SSL reason 1000 + N. */
#define DL_ALERT_REASON_OFFSET 1000

void
dlssl__ossl_append_errors(const struct dlssl__ossl *api)
{
	unsigned long e;
	int n = 0, alert, reason;
	char buf[256];

	/* At most four distinct entries; repeats are dropped (error.c). */
	while ((e = api->ERR_get_error()) != 0) {
		if (n >= 4)
			continue;
		reason = dlssl__ossl_err_reason(api, e);
		alert = dlssl__ossl_err_lib(api, e) == DL_ERR_LIB_SSL &&
		    reason >= DL_ALERT_REASON_OFFSET && reason < DL_ALERT_REASON_OFFSET + 256 ?
		    reason - DL_ALERT_REASON_OFFSET : -1;
		api->ERR_error_string_n(e, buf, sizeof(buf));
		n += dlssl__error_append_queued(buf, alert);
	}
}
