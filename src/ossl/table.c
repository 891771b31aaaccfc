/*
 * The published function table: one load at a time under a lock, published
 * whole with a release store, read lock-free with an acquire load.  A
 * failed load is not remembered; every successful load or reload is a new
 * generation, and old generations are never freed or unmapped.
 */
#include "config.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "compat/path.h"
#include "compat/thread.h"
#include "compat/time.h"
#include "error.h"
#include "ossl/loader.h"

static dl_mutex load_lock = DL_MUTEX_INIT;
static _Atomic(const struct dlssl__ossl *) current;
static _Atomic(const struct dlssl_library_info *) last_info;
static unsigned long generations; /* under load_lock */
static const struct dlssl__ossl *all_tables; /* every generation, newest first */

/* Options given through the API, remembered for reloads (under load_lock). */
struct saved_opts {
	int set;
	char *libssl, *libcrypto, *libdir;
	enum dlssl_mode mode;
};
static struct saved_opts saved;

static void
free_opts(struct saved_opts *o)
{
	free(o->libssl);
	free(o->libcrypto);
	free(o->libdir);
	memset(o, 0, sizeof(*o));
}

/*
 * Reports of failed attempts are freed once enough newer attempts were
 * made; successful reports live as long as their table (forever).
 */
#define FAILED_KEEP 16
static struct dl_report *failed[FAILED_KEEP];
static unsigned failed_next;

unsigned long
dlssl__now_ns(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0)
		return 0;
	return (unsigned long)ts.tv_sec * 1000000000UL + (unsigned long)ts.tv_nsec;
}

static int
save_opts(const struct dlssl_init_opts *o)
{
	char *a = NULL, *b = NULL, *c = NULL;

	if ((o->libssl_path && !(a = strdup(o->libssl_path))) ||
	    (o->libcrypto_path && !(b = strdup(o->libcrypto_path))) ||
	    (o->libdir && !(c = strdup(o->libdir)))) {
		free(a);
		free(b);
		free(c);
		dlssl__set_errorx(DLSSL_ERR_NOMEM, "out of memory");
		return -1;
	}
	free_opts(&saved);
	saved.libssl = a;
	saved.libcrypto = b;
	saved.libdir = c;
	saved.mode = o->mode;
	saved.set = 1;
	return 0;
}

static void
saved_as_opts(struct dlssl_init_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->libssl_path = saved.libssl;
	o->libcrypto_path = saved.libcrypto;
	o->libdir = saved.libdir;
	o->mode = saved.mode;
}

static void
keep_failed(struct dl_report *rep)
{
	unsigned i = failed_next++ % FAILED_KEEP;

	dlssl__report_free(failed[i]);
	failed[i] = rep;
}

/* One load attempt (under load_lock).  Returns a new table or NULL. */
static struct dlssl__ossl *
load_locked(void)
{
	struct dlssl_init_opts o;
	struct dl_config cfg;
	struct dl_report *rep;
	struct dlssl__ossl *t;
	unsigned long t0 = dlssl__now_ns();

	saved_as_opts(&o);
	if (dlssl__config_read(&cfg, saved.set ? &o : NULL) < 0) {
		/* The error names the bad setting; keep it in a report too. */
		rep = dlssl__report_new(0, DLSSL_MODE_DEFAULT);
		if (rep != NULL) {
			rep->info.error = dlssl__report_str(rep, dlssl_error());
			keep_failed(rep);
			atomic_store_explicit(&last_info, &rep->info, memory_order_release);
		}
		return NULL;
	}
	rep = dlssl__report_new(cfg.trace, cfg.mode);
	if (rep == NULL) {
		dlssl__config_free(&cfg);
		dlssl__set_errorx(DLSSL_ERR_NOMEM, "out of memory");
		return NULL;
	}
	t = dlssl__discover(&cfg, rep);
	rep->info.load_ns = dlssl__now_ns() - t0;
	dlssl__config_free(&cfg);
	if (t == NULL) {
		keep_failed(rep);
		atomic_store_explicit(&last_info, &rep->info, memory_order_release);
		return NULL;
	}
	dlssl__fork_watch();
	t->generation = ++generations;
	rep->info.generation = t->generation;
	t->info = &rep->info;
	t->previous = all_tables;
	all_tables = t;
	atomic_store_explicit(&last_info, &rep->info, memory_order_release);
	return t;
}

int
dlssl__ossl_owned_path(const char *path)
{
	const struct dlssl__ossl *t;
	char *real = realpath(path, NULL); /* the loader may name it /lib/... */
	int own = 0;

	/*
	 * Called during a load, under load_lock, like every writer of all_tables.
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

const struct dlssl_library_info *
dlssl__ossl_last_report(void)
{
	return atomic_load_explicit(&last_info, memory_order_acquire);
}

/* Does the caller's request differ from what is loaded? */
static int
conflicts(const struct dlssl__ossl *t, const struct dlssl_init_opts *o)
{
	const struct dlssl_library_info *i = t->info;

	if (o->mode != DLSSL_MODE_DEFAULT && o->mode != i->mode)
		return 1;
	if (o->libssl_path != NULL) {
		char *want = realpath(o->libssl_path, NULL);
		int differ = want == NULL || i->libssl_path == NULL || strcmp(want, i->libssl_path) != 0;

		free(want);
		return differ;
	}
	return o->libdir != NULL && (i->source != DLSSL_SOURCE_ARGUMENT);
}

const struct dlssl__ossl *
dlssl__ossl_ensure(const struct dlssl_init_opts *opts)
{
	const struct dlssl__ossl *t = dlssl__ossl_current();
	struct dlssl__ossl *n;

	if (t != NULL && opts == NULL)
		return t;
	dl_mutex_lock(&load_lock);
	t = dlssl__ossl_current();
	if (opts != NULL) {
		if (t != NULL && conflicts(t, opts)) {
			dl_mutex_unlock(&load_lock);
			dlssl__set_errorx(DLSSL_ERR_USAGE,
			    "libssl is already loaded from %s; call dlssl_reload_opts() to switch",
			    t->info->libssl_path ? t->info->libssl_path : "elsewhere");
			return NULL;
		}
		if (t == NULL && save_opts(opts) < 0) {
			dl_mutex_unlock(&load_lock);
			return NULL;
		}
	}
	if (t == NULL && (n = load_locked()) != NULL) {
		atomic_store_explicit(&current, n, memory_order_release);
		t = n;
	}
	dl_mutex_unlock(&load_lock);
	return t;
}

const struct dlssl__ossl *
dlssl__ossl_reload(const struct dlssl_init_opts *opts, int replace_opts)
{
	struct dlssl__ossl *n;

	struct saved_opts keep;

	dl_mutex_lock(&load_lock);
	keep = saved;
	if (replace_opts) {
		saved.libssl = saved.libcrypto = saved.libdir = NULL;
		saved.set = 0;
		if (opts != NULL && save_opts(opts) < 0) {
			saved = keep;
			dl_mutex_unlock(&load_lock);
			return NULL;
		}
	}
	n = load_locked();
	if (n != NULL) {
		atomic_store_explicit(&current, n, memory_order_release);
		if (replace_opts)
			free_opts(&keep);
	} else if (replace_opts) {
		/* A failed reload changes nothing: the previous options stay. */
		free_opts(&saved);
		saved = keep;
	}
	dl_mutex_unlock(&load_lock);
	if (n != NULL && dlssl__ossl_reseed(n) < 0) {
		dlssl__set_errorx(DLSSL_ERR_TLS, "reloaded, but reseeding the random generator failed");
		dlssl__ossl_append_errors(n);
		return NULL;
	}
	return n;
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
