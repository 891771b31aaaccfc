/*
 * Discovery: build the ordered candidate list from the configuration and
 * probe each until one is accepted.  Order: explicit paths (API, then
 * environment), then by mode what the process already mapped, then the
 * system's versioned sonames.  An explicit source that fails is an error,
 * never a silent fallback.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compat/path.h"
#include "error.h"
#include "ossl/dl.h"
#include "ossl/loader.h"
#include "ossl/sonames.h"

#define DL_PAIR(ssl, crypto) { ssl, crypto },
#define DL_NOSEP()
static const struct {
	const char *ssl, *crypto;
} pairs[] = { DLSSL_SONAME_PAIRS(DL_PAIR, DL_NOSEP) };
#define NPAIRS (sizeof(pairs) / sizeof(pairs[0]))

/* Initialise a library dlssl owns (never one the host owns). */
static int
init_library(struct dlssl__ossl *t, char *reason, size_t n)
{
	if (t->OPENSSL_init_ssl != NULL) {
		uint64_t flags = DL_OPENSSL_INIT_LOAD_SSL_STRINGS | DL_OPENSSL_INIT_LOAD_CRYPTO_STRINGS;

		/* No atexit handler (1.1.1b+): the host decides about cleanup. */
		if (t->flavor == DLSSL_FLAVOR_OPENSSL && t->raw_number >= 0x10101020UL)
			flags |= DL_OPENSSL_INIT_NO_ATEXIT;
		if (t->OPENSSL_init_ssl(flags, NULL) != 1) {
			snprintf(reason, n, "OPENSSL_init_ssl failed");
			return -1;
		}
		return 0;
	}
	if (t->SSL_library_init != NULL) {
		t->SSL_library_init();
		t->SSL_load_error_strings();
		/* EVP_get_digestbyname knows only SSL's digests until this. */
		if (t->OpenSSL_add_all_digests != NULL)
			t->OpenSSL_add_all_digests();
		if (dlssl__legacy102_init(t) < 0) {
			snprintf(reason, n, "cannot set up OpenSSL 1.0.2 locking");
			return -1;
		}
		return 0;
	}
	snprintf(reason, n, "no initialisation function");
	return -1;
}

static void
finish_caps(struct dlssl__ossl *t)
{
	if (t->flavor == DLSSL_FLAVOR_OPENSSL) {
		t->caps |= DLSSL_CAP_OLD_TLS;
		if (t->level >= DL_V111)
			t->caps |= DLSSL_CAP_TLS13 | DLSSL_CAP_TLS13_RESUME;
		if (t->level >= DL_V110)
			t->caps |= DLSSL_CAP_MINMAX_PROTO;
		if (t->level >= DL_V300)
			t->caps |= DLSSL_CAP_EOF_OPTION;
	} else if (t->flavor == DLSSL_FLAVOR_LIBRESSL) {
		/*
		 * No DLSSL_CAP_TLS13_RESUME: LibreSSL's TLS 1.3 client sends no
		 * pre_shared_key and its server issues no NewSessionTicket (up to
		 * 4.3 at least; libressl/portable issues 719 and 1144).
		 */
		if (t->major > 3 || (t->major == 3 && t->minor >= 2))
			t->caps |= DLSSL_CAP_TLS13;
		if (t->major == 3 && t->minor == 2)
			t->quirks |= DL_QUIRK_NEW_VERIFIER;
		t->caps |= DLSSL_CAP_MINMAX_PROTO;
		/* LibreSSL 3.8.1 removed TLS 1.0 and 1.1. */
		if (t->major < 3 || (t->major == 3 && (t->minor < 8 || (t->minor == 8 && t->patch < 1))))
			t->caps |= DLSSL_CAP_OLD_TLS;
	}
}

/* Fill the report from an accepted probe. */
static void
fill_info(struct dl_report *rep, const struct dl_cand *c, const struct dl_probe *p,
    const struct dlssl__ossl *t)
{
	struct dlssl_library_info *i = &rep->info;

	i->loaded = 1;
	i->libssl_path = dlssl__report_str(rep, p->ssl_path ? p->ssl_path : c->ssl);
	i->libcrypto_path = dlssl__report_str(rep, p->crypto_path ? p->crypto_path : c->crypto);
	i->source = c->source;
	i->flavor = t->flavor;
	i->version_text = dlssl__report_str(rep, p->text);
	i->version_number = t->raw_number;
	i->version_major = t->major;
	i->version_minor = t->minor;
	i->version_patch = t->patch;
	i->capabilities = t->caps;
	i->host_owned = t->host_owned;
	i->bind_ns = p->bind_ns;
}

struct other_copy {
	const char *ours;
	char *found;
};

static void
note_other_copy(const char *path, void *arg)
{
	struct other_copy *o = arg;
	char *real;

	if (o->found != NULL || (real = dlssl__realpath(path, NULL)) == NULL)
		return;
	if (o->ours == NULL || strcmp(real, o->ours) != 0)
		o->found = real;
	else
		free(real);
}

/*
 * Two OpenSSL copies in one process work, but objects must never cross
 * between them (the classic crash of hosts that load one and a plugin that
 * loads another): say so in the report.
 */
static void
warn_other_copies(struct dl_report *rep, const char *ours)
{
	struct other_copy o = { ours, NULL };

	dlssl__dl_each_mapped_libssl(note_other_copy, &o);
	if (o.found == NULL)
		return;
	rep->info.warning = dlssl__report_printf(rep, "another libssl is mapped into this process "
	    "(%s); never pass its objects to dlssl or the other way round", o.found);
	dlssl__trace(rep->trace, "warning: %s", rep->info.warning ? rep->info.warning : "");
	free(o.found);
}

/*
 * The private namespace that already holds the candidate's files, or
 * DL_NS_NEW.  A soname the process maps already names those files.
 */
static long
lookup_ns(const struct dl_cand *c)
{
	char err[256], *ssl = NULL, *crypto = NULL;
	void *h;
	long ns;

	if (!dlssl__dl_is_absolute(c->ssl) && (h = dlssl__dl_open(c->ssl, 1, err, sizeof(err)))) {
		ssl = dlssl__dl_path_of_handle(h);
		dlssl__dl_close(h);
		if (c->crypto != NULL && (h = dlssl__dl_open(c->crypto, 1, err, sizeof(err)))) {
			crypto = dlssl__dl_path_of_handle(h);
			dlssl__dl_close(h);
		}
	}
	ns = dlssl__ns_lookup(c->ssl, c->crypto);
	if (ns == DL_NS_NEW && ssl != NULL && (c->crypto == NULL || crypto != NULL))
		ns = dlssl__ns_lookup(ssl, crypto);
	free(ssl);
	free(crypto);
	return ns;
}

/*
 * Where the candidate goes: the process's own namespace, or a private one
 * (private mode; auto mode when the process already holds another OpenSSL
 * the pair would mix with).  The reason lands in *why (the report's).
 */
static long
choose_ns(const struct dl_cand *c, struct dl_report *rep, const char **why)
{
	char conflict[600], *sibling = NULL;
	int priv = rep->info.mode == DLSSL_MODE_PRIVATE, clash = 0;

	*why = NULL;
	if (c->noload || c->source == DLSSL_SOURCE_HOST)
		return DL_NS_BASE;
	if (!priv) {
		/* The libcrypto the probe will take beside a libssl named by path. */
		if (c->crypto == NULL && dlssl__dl_is_absolute(c->ssl))
			sibling = dlssl__sibling_crypto(c->ssl);
		clash = dlssl__dl_base_conflict(c->ssl, c->crypto ? c->crypto : sibling, conflict,
		    sizeof(conflict));
		free(sibling);
	}
	if (clash) {
		if (!dlssl__dl_ns_supported()) {
			*why = dlssl__report_printf(rep, "not isolated: %s, and this platform has no "
			    "link-map namespaces", conflict);
			return DL_NS_BASE;
		}
		*why = dlssl__report_printf(rep, "auto mode isolated it: %s", conflict);
		priv = 1;
	} else if (priv) {
		*why = dlssl__report_str(rep, dlssl__dl_ns_supported() ? "private mode" :
		    "private mode, but not isolated: this platform has no link-map namespaces "
		    "(dlmopen), so the library shares the process's symbol scope; dlssl still "
		    "loads its own copy by path and checks that libssl and libcrypto pair");
		if (!dlssl__dl_ns_supported())
			return DL_NS_BASE;
	}
	if (!priv)
		return DL_NS_BASE;
	return lookup_ns(c);
}

/* Probe one candidate; on success *out is a new table. */
static int
try_one(const struct dl_cand *cand, struct dl_report *rep, struct dlssl__ossl **out)
{
	struct dl_probe p;
	struct dlssl__ossl *t = calloc(1, sizeof(*t));
	struct dl_cand cc = *cand, *c = &cc;
	const char *why;
	char reason[600];

	c->ns = choose_ns(cand, rep, &why);
	if (t == NULL) {
		dlssl__report_candidate(rep, c->ssl, c->crypto, c->source, 0, "out of memory", NULL);
		return -1;
	}
	if (dlssl__probe(c, &p, t) < 0) {
		dlssl__report_candidate(rep, c->ssl, c->crypto, c->source, 0, p.reason, p.missing);
		dlssl__probe_release(&p, 1);
		free(t);
		return -1;
	}
	t->ssl_handle = p.ssl;
	t->crypto_handle = p.crypto;
	if (p.ns != DL_NS_BASE) {
		dl_fp f = dlssl__dl_ns_libc_sym(p.ns, "__errno_location");

		memcpy(&t->lib_errno, &f, sizeof(f));
	}
	/* Host mode never initialises, even a library named by path. */
	t->host_owned = c->noload || c->source == DLSSL_SOURCE_HOST;
	finish_caps(t);
	if (!t->host_owned && init_library(t, reason, sizeof(reason)) < 0) {
		/* It may be partly initialised now: keep it mapped. */
		dlssl__report_candidate(rep, c->ssl, c->crypto, c->source, 0, reason, NULL);
		dlssl__probe_release(&p, 0);
		free(t);
		return -1;
	}
	if (dlssl__ossl_ex_indexes(t) < 0) {
		dlssl__report_candidate(rep, c->ssl, c->crypto, c->source, 0,
		    "cannot allocate ex_data indexes", NULL);
		dlssl__probe_release(&p, 0);
		free(t);
		return -1;
	}
	fill_info(rep, c, &p, t);
	rep->info.link_map = p.ns;
	rep->info.isolation = why;
	if (p.ns != DL_NS_BASE)
		dlssl__ns_remember(c->ssl, c->crypto, p.ssl_path, p.crypto_path, p.ns);
	else
		warn_other_copies(rep, p.ssl_path);
	snprintf(reason, sizeof(reason), "%s at %s%s", p.text, p.ssl_path ? p.ssl_path : c->ssl,
	    p.ns != DL_NS_BASE ? " (private link-map namespace)" : "");
	dlssl__report_candidate(rep, c->ssl, c->crypto, c->source, 1, reason, NULL);
	dlssl__probe_release(&p, 0);
	*out = t;
	return 0;
}

static char *
join(const char *dir, const char *name)
{
	size_t n = strlen(dir) + strlen(name) + 2;
	char *s = malloc(n);

	if (s != NULL)
#ifdef _WIN32
		snprintf(s, n, "%s%s%s", dir, (dir[0] && strchr("/\\", dir[strlen(dir) - 1])) ? "" : "\\",
		    name);
#else
		snprintf(s, n, "%s%s%s", dir, (dir[0] && dir[strlen(dir) - 1] == '/') ? "" : "/", name);
#endif
	return s;
}

/* Is name one of the soname list's libssl names? */
static int
known_libssl(const char *name)
{
	size_t i;

	for (i = 0; i < NPAIRS; i++)
		if (strcmp(pairs[i].ssl, name) == 0)
			return 1;
	return 0;
}

/*
 * A directory's libssl files of other names (LibreSSL's libssl.so.48 ...),
 * newest first, each with the libcrypto its own dependency names.
 */
static struct dlssl__ossl *
discover_other_names(const struct dl_config *cfg, struct dl_report *rep, int noload, size_t *found)
{
	char *names[16];
	size_t i, n = dlssl__libdir_scan(cfg->libdir, names, sizeof(names) / sizeof(names[0]));
	struct dlssl__ossl *t = NULL;

	for (i = 0; i < n; i++) {
		char *ssl = NULL;

		if (t == NULL && !known_libssl(names[i]) && (ssl = join(cfg->libdir, names[i])) != NULL) {
			struct dl_cand c = { ssl, NULL, cfg->path_source, noload, DL_NS_BASE };

			(*found)++;
			if (try_one(&c, rep, &t) != 0)
				t = NULL;
		}
		free(ssl);
		free(names[i]);
	}
	return t;
}

/* Explicit: a path pair, or a directory searched with the soname list, then its other libssl files. */
static struct dlssl__ossl *
discover_explicit(const struct dl_config *cfg, struct dl_report *rep)
{
	struct dlssl__ossl *t = NULL;
	const char *what = cfg->path_source == DLSSL_SOURCE_ARGUMENT ? "the path given" : "the environment";
	int noload = cfg->mode == DLSSL_MODE_HOST;
	size_t i, found = 0;

	if (cfg->libssl != NULL) {
		struct dl_cand c = { cfg->libssl, cfg->libcrypto, cfg->path_source, noload, DL_NS_BASE };

		if (try_one(&c, rep, &t) == 0)
			return t;
		dlssl__report_fail(rep, DLSSL_ERR_LOAD, "cannot use %s named by %s: %s",
		    cfg->libssl, what,
		    rep->ncands ? rep->cands[rep->ncands - 1].reason : "rejected");
		if (rep->ncands && rep->cands[rep->ncands - 1].missing)
			dlssl__error_append(rep->cands[rep->ncands - 1].missing);
		return NULL;
	}
	for (i = 0; i < NPAIRS; i++) {
		char *ssl = join(cfg->libdir, pairs[i].ssl);
		char *crypto = join(cfg->libdir, pairs[i].crypto);
		struct dl_cand c = { ssl, crypto, cfg->path_source, noload, DL_NS_BASE };

		if (ssl != NULL && crypto != NULL && dlssl__dl_file_exists(ssl)) {
			found++;
			if (try_one(&c, rep, &t) == 0) {
				free(ssl);
				free(crypto);
				return t;
			}
		}
		free(ssl);
		free(crypto);
	}
	if ((t = discover_other_names(cfg, rep, noload, &found)) != NULL)
		return t;
	if (found == 0)
		dlssl__report_fail(rep, DLSSL_ERR_LOAD, "the directory %s named by %s holds no "
		    "libssl (none of the names dlssl knows, %s, ..., nor another libssl.so.N)",
		    cfg->libdir, what, pairs[0].ssl);
	else
		dlssl__report_fail(rep, DLSSL_ERR_LOAD, "no usable libssl in %s named by %s: %s",
		    cfg->libdir, what, rep->cands[rep->ncands - 1].reason);
	return NULL;
}

struct mapped_ctx {
	struct dl_report *rep;
	struct dlssl__ossl *t;
	size_t tried;
};

static void
try_mapped_path(const char *path, void *arg)
{
	struct mapped_ctx *m = arg;
	struct dl_cand c = { path, NULL, DLSSL_SOURCE_HOST, 1, DL_NS_BASE };
	size_t i;

	if (m->t != NULL || dlssl__ossl_owned_path(path))
		return;
	for (i = 0; i < m->rep->ncands; i++)
		if (m->rep->cands[i].libssl && strcmp(m->rep->cands[i].libssl, path) == 0)
			return;
	m->tried++;
	(void)try_one(&c, m->rep, &m->t);
}

/* What the process already mapped: by soname, then any other libssl. */
static struct dlssl__ossl *
discover_host(struct dl_report *rep, size_t *tried)
{
	struct mapped_ctx m = { rep, NULL, 0 };
	size_t i;
	char err[256], *own;
	dl_fp fp;

	for (i = 0; i < NPAIRS && m.t == NULL; i++) {
		void *h = dlssl__dl_open(pairs[i].ssl, 1, err, sizeof(err));
		struct dl_cand c = { pairs[i].ssl, NULL, DLSSL_SOURCE_HOST, 1, DL_NS_BASE };

		if (h == NULL)
			continue; /* not mapped: nothing to report */
		own = dlssl__dl_path_of(dlssl__dl_sym(h, "SSL_CTX_new"));
		dlssl__dl_close(h);
		if (own != NULL && dlssl__ossl_owned_path(own)) {
			free(own); /* mapped by an earlier load of ours, not by the host */
			continue;
		}
		free(own);
		m.tried++;
		(void)try_one(&c, rep, &m.t);
	}
	if (m.t == NULL)
		dlssl__dl_each_mapped_libssl(try_mapped_path, &m);
	if (m.t == NULL && (fp = dlssl__dl_global_sym("SSL_CTX_new")) != NULL) {
		/* Linked into the program itself, or loaded RTLD_GLOBAL elsewhere. */
		char *path = dlssl__dl_path_of(fp);

		if (path != NULL)
			try_mapped_path(path, &m);
		free(path);
	}
	*tried = m.tried;
	return m.t;
}

static struct dlssl__ossl *
discover_system(struct dl_report *rep)
{
	struct dlssl__ossl *t = NULL;
	size_t i;

	for (i = 0; i < NPAIRS; i++) {
		struct dl_cand c = { pairs[i].ssl, pairs[i].crypto, DLSSL_SOURCE_SYSTEM, 0, DL_NS_BASE };

		if (try_one(&c, rep, &t) == 0)
			return t;
	}
	return NULL;
}

struct dlssl__ossl *
dlssl__discover(const struct dl_config *cfg, struct dl_report *rep)
{
	struct dlssl__ossl *t = NULL;
	size_t tried = 0;

	if (cfg->libssl != NULL || cfg->libdir != NULL)
		return discover_explicit(cfg, rep);
	if (cfg->mode != DLSSL_MODE_PRIVATE) {
		t = discover_host(rep, &tried);
		if (t != NULL)
			return t;
		if (cfg->mode == DLSSL_MODE_HOST) {
			if (tried == 0)
				dlssl__report_fail(rep, DLSSL_ERR_LOAD,
				    "host mode: no OpenSSL is mapped into this process");
			else
				dlssl__report_fail(rep, DLSSL_ERR_LOAD,
				    "host mode: the OpenSSL mapped into this process is not usable: %s",
				    rep->cands[rep->ncands - 1].reason);
			return NULL;
		}
	}
	t = discover_system(rep);
	if (t == NULL) {
		size_t i, accepted_any = 0;

		for (i = 0; i < rep->ncands; i++)
			if (strncmp(rep->cands[i].reason ? rep->cands[i].reason : "", "cannot open", 11) != 0)
				accepted_any++;
		if (accepted_any == 0)
			dlssl__report_fail(rep, DLSSL_ERR_LOAD, "no OpenSSL found: none of %s, %s, ... "
#ifdef _WIN32
			    "could be opened (put them next to the program, or set DLSSL_LIBSSL)",
#else
			    "could be opened (install libssl3, or set DLSSL_LIBSSL)",
#endif
			    pairs[0].ssl, NPAIRS > 1 ? pairs[1].ssl : "");
		else
			dlssl__report_fail(rep, DLSSL_ERR_LOAD, "no usable OpenSSL: %zu candidate%s "
			    "rejected (see dlssl info or DLSSL_TRACE=1)", rep->ncands,
			    rep->ncands == 1 ? "" : "s");
	}
	return t;
}
