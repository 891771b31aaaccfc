/*
 * Loading: one load at a time under a lock.  Reads the configuration,
 * runs discovery (discover.c), keeps the report of each attempt, and hands
 * a new table to table.c, which numbers and publishes it.  A failed load
 * is not remembered.  The top of the loader: it calls down into discovery
 * and the table, and nothing in src/ossl calls back up into it.
 */
#include "config.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "compat/path.h"
#include "compat/thread.h"
#include "error.h"
#include "ossl/loader.h"

static dl_mutex load_lock = DL_MUTEX_INIT;
static _Atomic(const struct dlssl_library_info *) last_info;

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
	t->info = &rep->info;
	rep->info.generation = dlssl__ossl_keep(t);
	atomic_store_explicit(&last_info, &rep->info, memory_order_release);
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
		char *want = dlssl__realpath(o->libssl_path, NULL);
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
		dlssl__ossl_publish(n);
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
		dlssl__ossl_publish(n);
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

