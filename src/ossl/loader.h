/* Private to src/ossl/: the pieces of one load attempt. */
#ifndef DLSSL_OSSL_LOADER_H
#define DLSSL_OSSL_LOADER_H

#include <stdarg.h>
#include <stdatomic.h>

#include "ossl/ossl.h"

/* ---- configuration (env.c) ---- */
int dlssl__config_read(struct dl_config *cfg, const struct dlssl_init_opts *opts);
void dlssl__config_free(struct dl_config *cfg);

/* ---- the report of one attempt (report.c) ---- */
struct dl_report {
	struct dlssl_library_info info;
	struct dlssl_candidate *cands;
	size_t ncands, capcands;
	char **strs; /* every string the report owns */
	size_t nstrs, capstrs;
	int trace;
};

struct dl_report *dlssl__report_new(int trace, enum dlssl_mode mode);
void dlssl__report_free(struct dl_report *rep);
/* A copy owned by the report (NULL stays NULL; NULL on OOM). */
const char *dlssl__report_str(struct dl_report *rep, const char *s);
const char *dlssl__report_printf(struct dl_report *rep, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Record a candidate's outcome (and trace it). */
void dlssl__report_candidate(struct dl_report *rep, const char *ssl, const char *crypto,
    enum dlssl_source source, int accepted, const char *reason, const char *missing);
/* Record the overall failure (and set the thread's error). */
void dlssl__report_fail(struct dl_report *rep, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void dlssl__trace(int on, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* ---- one candidate (probe.c) ---- */
struct dl_cand {
	const char *ssl;    /* path or soname */
	const char *crypto; /* path or soname, or NULL to take libssl's */
	enum dlssl_source source;
	int noload;         /* only if already mapped */
	long ns;            /* DL_NS_BASE, DL_NS_NEW or a namespace to reuse */
};

struct dl_probe {
	void *ssl, *crypto;
	char *ssl_path, *crypto_path;
	enum dlssl_flavor flavor;
	unsigned int major, minor, patch;
	unsigned long raw;
	unsigned long level;
	char text[128];
	char reason[512];
	char *missing; /* malloc'd list of missing names */
	unsigned long bind_ns; /* identify + bind, after the dynamic linker */
	long ns;               /* the namespace the pair is in */
	int new_ns;            /* it was made for this candidate */
};

/* The libcrypto beside a libssl named by path (malloc'd), or NULL if there is none. */
char *dlssl__sibling_crypto(const char *ssl_path);
/* Open, identify, pair and bind; 0 with *t filled, or -1 with p->reason. */
int dlssl__probe(const struct dl_cand *c, struct dl_probe *p, struct dlssl__ossl *t);
void dlssl__probe_release(struct dl_probe *p, int close_handles);

/* ---- private namespaces, one per pair of files (ns.c) ---- */
/* The namespace already holding these files (names as requested), or DL_NS_NEW. */
long dlssl__ns_lookup(const char *ssl, const char *crypto);
/* Remember that the files the names led to are in namespace ns. */
void dlssl__ns_remember(const char *ssl, const char *crypto, const char *ssl_path,
    const char *crypto_path, long ns);

/* ---- binding (bind.c) ---- */
/* Bind every slot that applies; returns the count of missing required ones
 * (their names in *missing, malloc'd) or -1 on OOM. */
int dlssl__bind(struct dlssl__ossl *t, void *ssl, void *crypto, char **missing);

/* ---- discovery (discover.c) ---- */
/* Run discovery; on success a new table (not yet published). */
struct dlssl__ossl *dlssl__discover(const struct dl_config *cfg, struct dl_report *rep);

/*
 * Up to max names of versioned libssl files in dir ("libssl.so.N...", newest
 * first; none on Windows), each malloc'd for the caller to free (libdir_scan.c).
 */
size_t dlssl__libdir_scan(const char *dir, char **names, size_t max);

/* ---- 1.0.2 thread callbacks (legacy102.c) ---- */
int dlssl__legacy102_init(const struct dlssl__ossl *t);

/* ---- the generations of the table (table.c); load.c holds its lock around these ---- */
/* Was this libssl (absolute path) loaded by dlssl itself, not by the host? */
int dlssl__ossl_owned_path(const char *path);
/* Number a newly loaded table and keep it for good; returns its generation. */
unsigned long dlssl__ossl_keep(struct dlssl__ossl *t);
/* Make t the current table (a release store). */
void dlssl__ossl_publish(const struct dlssl__ossl *t);

/* ---- reseed after fork (fork.c) ---- */
/* Raised in the child of a fork; the next use of the table reseeds it. */
extern atomic_int dlssl__forked;
/* Register the fork handler (once). */
void dlssl__fork_watch(void);

/* Monotonic nanoseconds (table.c). */
unsigned long dlssl__now_ns(void);

/* ---- the host's already-mapped libraries (dl_*.c) ---- */
typedef void (*dl_mapped_cb)(const char *path, void *arg);
void dlssl__dl_each_mapped_libssl(dl_mapped_cb cb, void *arg);

#endif
