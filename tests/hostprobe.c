/*
 * hostprobe: a fresh process for loader tests that need one (nothing
 * loaded yet, or a host that mapped OpenSSL itself).  The Check suites run
 * it with a controlled environment and read its exit status and the JSON
 * report it prints on stdout (the fields of `dlssl info --json`, plus
 * "rc", "error_code" and "message" of the last dlssl call).
 *
 *   hostprobe mapped            map the real libssl as a host would
 *                               (DLSSL_LIBSSL, else libssl.so.3 or .1.1,
 *                               RTLD_LOCAL), then load dlssl under
 *                               DLSSL_MODE and check it used that copy:
 *                               host/auto: host-owned, nothing mapped twice;
 *                               private: not host-owned, in a namespace of
 *                               its own, nothing added to the host's
 *   hostprobe threads N         N threads call dlssl_ensure_initialized at
 *                               once: all succeed with one generation
 *   hostprobe retry-opts BAD GOOD
 *   hostprobe retry-env BAD GOOD
 *                               a load that failed (libssl path BAD, as an
 *                               option or as DLSSL_LIBSSL) is not cached:
 *                               the next call, with GOOD, succeeds
 *   hostprobe opts [--libssl P] [--libcrypto P] [--libdir D]
 *                  [--mode auto|host|private] [--preload P]...
 *                               dlopen each --preload first, then call
 *                               dlssl_ensure_initialized with those options
 *
 * Exit status: 0 as expected; 1 a check failed (the reason on stderr);
 * 2 dlssl could not load libssl; 77 the setup is impossible here (skip).
 */
#include "config.h"

#include <dlfcn.h>
#include <limits.h>
#include <link.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dlssl.h"

#define MAX_THREADS 64

static int failed;

static void __attribute__((format(printf, 1, 2)))
fail(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "hostprobe: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	failed = 1;
}

#define CHECK(cond, ...) \
	do { \
		if (!(cond)) \
			fail(__VA_ARGS__); \
	} while (0)

/* ---- the report ---- */

static void
jstr(const char *key, const char *s, int comma)
{
	printf("\"%s\":", key);
	if (s == NULL) {
		printf("null");
	} else {
		putchar('"');
		for (; *s; s++) {
			if (*s == '"' || *s == '\\')
				printf("\\%c", *s);
			else if ((unsigned char)*s < 0x20)
				printf("\\u%04x", (unsigned char)*s);
			else
				putchar(*s);
		}
		putchar('"');
	}
	if (comma)
		putchar(',');
}

/* The last call's result, then dlssl_library_info(). */
static void
print_report(int rc)
{
	const struct dlssl_library_info *i;
	char msg[1024];
	int code = dlssl_error_code();
	size_t k;

	/* dlssl_library_info() clears the thread's error: take it first. */
	snprintf(msg, sizeof(msg), "%s", dlssl_error() ? dlssl_error() : "");
	i = dlssl_library_info();
	printf("{\"rc\":%d,", rc);
	jstr("error_code", dlssl_error_name(code), 1);
	jstr("message", rc < 0 ? msg : NULL, 1);
	printf("\"loaded\":%s,", i->loaded ? "true" : "false");
	jstr("libssl", i->libssl_path, 1);
	jstr("libcrypto", i->libcrypto_path, 1);
	jstr("source", dlssl_source_name(i->source), 1);
	jstr("mode", dlssl_mode_name(i->mode), 1);
	jstr("version_text", i->version_text, 1);
	printf("\"version\":\"%u.%u.%u\",\"generation\":%lu,\"host_owned\":%s,",
	    i->version_major, i->version_minor, i->version_patch, i->generation,
	    i->host_owned ? "true" : "false");
	printf("\"link_map\":%ld,", i->link_map);
	jstr("isolation", i->isolation, 1);
	jstr("error", i->error, 1);
	jstr("warning", i->warning, 1);
	printf("\"candidates\":[");
	for (k = 0; k < i->n_candidates; k++) {
		printf("%s{", k ? "," : "");
		jstr("libssl", i->candidates[k].libssl, 1);
		printf("\"accepted\":%s,", i->candidates[k].accepted ? "true" : "false");
		jstr("reason", i->candidates[k].reason, 1);
		jstr("missing", i->candidates[k].missing, 0);
		printf("}");
	}
	printf("]}\n");
}

static int
load_result(int rc)
{
	int code = dlssl_error_code();

	print_report(rc);
	if (failed)
		return 1;
	return rc == 0 ? 0 : code == DLSSL_ERR_LOAD ? 2 : 1;
}

/* ---- mapped: a host that loaded OpenSSL itself ---- */

struct mapped {
	int nssl, ncrypto;
	char ssl[PATH_MAX];
};

static int
count_cb(struct dl_phdr_info *info, size_t size, void *arg)
{
	struct mapped *m = arg;
	const char *base = info->dlpi_name ? strrchr(info->dlpi_name, '/') : NULL;

	(void)size;
	if (base == NULL || strstr(base, ".so") == NULL)
		return 0;
	if (strncmp(base + 1, "libssl", 6) == 0) {
		if (m->nssl++ == 0 && realpath(info->dlpi_name, m->ssl) == NULL)
			snprintf(m->ssl, sizeof(m->ssl), "%s", info->dlpi_name);
	} else if (strncmp(base + 1, "libcrypto", 9) == 0) {
		m->ncrypto++;
	}
	return 0;
}

static void
count_mapped(struct mapped *m)
{
	memset(m, 0, sizeof(*m));
	dl_iterate_phdr(count_cb, m);
}

static int
cmd_mapped(void)
{
	const char *ssl = getenv("DLSSL_LIBSSL"), *crypto = getenv("DLSSL_LIBCRYPTO");
	const char *mode = getenv("DLSSL_MODE");
	int host = mode == NULL || strcmp(mode, "private") != 0;
	const struct dlssl_library_info *i;
	struct mapped before, after;
	void *h;
	int rc;

	/* As a host would: libcrypto first when it is named, RTLD_LOCAL. */
	if (crypto != NULL && crypto[0] != '\0' && dlopen(crypto, RTLD_NOW | RTLD_LOCAL) == NULL) {
		fprintf(stderr, "hostprobe: SKIP: cannot map %s: %s\n", crypto, dlerror());
		return 77;
	}
	if (ssl != NULL && ssl[0] != '\0')
		h = dlopen(ssl, RTLD_NOW | RTLD_LOCAL);
	else if ((h = dlopen("libssl.so.3", RTLD_NOW | RTLD_LOCAL)) == NULL)
		h = dlopen("libssl.so.1.1", RTLD_NOW | RTLD_LOCAL);
	if (h == NULL) {
		fprintf(stderr, "hostprobe: SKIP: cannot map the real libssl: %s\n", dlerror());
		return 77;
	}
	count_mapped(&before);
	if (before.nssl != 1) {
		fprintf(stderr, "hostprobe: SKIP: %d libssl mapped by the host, not 1\n", before.nssl);
		return 77;
	}
	rc = dlssl_ensure_initialized(NULL);
	if (rc == 0) {
		i = dlssl_library_info();
		count_mapped(&after);
		CHECK(i->libssl_path != NULL && strcmp(i->libssl_path, before.ssl) == 0,
		    "dlssl uses %s, the host mapped %s", i->libssl_path, before.ssl);
		if (host) {
			CHECK(after.nssl == 1 && after.ncrypto == before.ncrypto,
			    "%d libssl and %d libcrypto mapped after loading (before: 1 and %d)",
			    after.nssl, after.ncrypto, before.ncrypto);
			CHECK(i->host_owned == 1, "host_owned is %d for the host's own libssl",
			    i->host_owned);
			CHECK(ssl != NULL || i->source == DLSSL_SOURCE_HOST,
			    "source is %s, not host", dlssl_source_name(i->source));
		} else {
			CHECK(i->host_owned == 0, "private mode, yet host_owned is 1");
			CHECK(i->source != DLSSL_SOURCE_HOST, "private mode, yet source is host");
			/* Its own copy, in a namespace of its own (glibc). */
			CHECK(i->link_map > 0, "private mode, yet in the process's namespace");
			/* Nothing of it in the host's namespace (all dl_iterate_phdr sees). */
			CHECK(after.nssl == 1 && after.ncrypto == before.ncrypto,
			    "%d libssl and %d libcrypto in the host's namespace after loading "
			    "privately (before: 1 and %d)", after.nssl, after.ncrypto, before.ncrypto);
		}
	}
	return load_result(rc);
}

/* ---- threads: concurrent first callers ---- */

struct caller {
	pthread_barrier_t *start;
	int rc, code;
	unsigned long gen;
};

static void *
call_init(void *arg)
{
	struct caller *c = arg;

	pthread_barrier_wait(c->start);
	c->rc = dlssl_ensure_initialized(NULL);
	c->code = dlssl_error_code();
	c->gen = dlssl_generation();
	return NULL;
}

static int
cmd_threads(const char *arg)
{
	pthread_t tid[MAX_THREADS];
	struct caller c[MAX_THREADS];
	pthread_barrier_t start;
	int n = (int)strtol(arg, NULL, 10), k, started = 0, ok = 0;

	if (n < 1 || n > MAX_THREADS) {
		fprintf(stderr, "hostprobe: threads: N must be 1 to %d\n", MAX_THREADS);
		return 1;
	}
	if (pthread_barrier_init(&start, NULL, (unsigned)n) != 0)
		return 1;
	for (k = 0; k < n; k++) {
		c[k].start = &start;
		c[k].rc = -9;
		if (pthread_create(&tid[k], NULL, call_init, &c[k]) != 0)
			break;
		started++;
	}
	if (started != n) {
		/* The barrier would never open: give up without joining. */
		fprintf(stderr, "hostprobe: could start only %d threads\n", started);
		_exit(1);
	}
	for (k = 0; k < n; k++)
		pthread_join(tid[k], NULL);
	pthread_barrier_destroy(&start);
	for (k = 0; k < n; k++) {
		CHECK(c[k].rc == 0, "thread %d: dlssl_ensure_initialized returned %d (%s)",
		    k, c[k].rc, dlssl_error_name(c[k].code));
		CHECK(c[k].gen == c[0].gen, "thread %d saw generation %lu, thread 0 saw %lu",
		    k, c[k].gen, c[0].gen);
		ok += c[k].rc == 0;
	}
	CHECK(ok == 0 || c[0].gen == 1, "generation %lu after the first load, not 1", c[0].gen);
	CHECK(ok == 0 || dlssl_library_info()->generation == 1, "the library was loaded more than once");
	if (ok == 0)
		return load_result(-1);
	return load_result(0);
}

/* ---- retry: a failure is not cached ---- */

static int
cmd_retry(int env, const char *bad, const char *good)
{
	struct dlssl_init_opts o = { 0 };
	const struct dlssl_library_info *i;
	char want[PATH_MAX];
	int rc;

	if (realpath(good, want) == NULL) {
		fprintf(stderr, "hostprobe: SKIP: %s does not exist\n", good);
		return 77;
	}
	o.libssl_path = bad;
	if (env)
		setenv("DLSSL_LIBSSL", bad, 1);
	rc = dlssl_ensure_initialized(env ? NULL : &o);
	CHECK(rc == -1 && dlssl_error_code() == DLSSL_ERR_LOAD,
	    "loading %s returned %d (%s), not -1 (LOAD)", bad, rc, dlssl_error_name(dlssl_error_code()));
	CHECK(dlssl_error() != NULL && strstr(dlssl_error(), bad) != NULL,
	    "the error does not name %s: %s", bad, dlssl_error() ? dlssl_error() : "(none)");
	CHECK(dlssl_generation() == 0, "generation %lu after a failed load", dlssl_generation());

	o.libssl_path = good;
	if (env)
		setenv("DLSSL_LIBSSL", good, 1);
	rc = dlssl_ensure_initialized(env ? NULL : &o);
	if (rc == 0) {
		i = dlssl_library_info();
		CHECK(i->libssl_path != NULL && strcmp(i->libssl_path, want) == 0,
		    "loaded %s, not %s", i->libssl_path, want);
		CHECK(i->source == (env ? DLSSL_SOURCE_ENVIRONMENT : DLSSL_SOURCE_ARGUMENT),
		    "source %s", dlssl_source_name(i->source));
		CHECK(dlssl_generation() == 1, "generation %lu, not 1", dlssl_generation());
	} else {
		fail("the second call, with %s, failed too: %s", good, dlssl_error());
	}
	return load_result(rc);
}

/* ---- opts: dlssl_ensure_initialized with options ---- */

static int
parse_mode(const char *s, enum dlssl_mode *m)
{
	static const struct {
		const char *name;
		enum dlssl_mode mode;
	} modes[] = { { "auto", DLSSL_MODE_AUTO }, { "host", DLSSL_MODE_HOST },
		{ "private", DLSSL_MODE_PRIVATE }, { "default", DLSSL_MODE_DEFAULT } };
	size_t k;

	for (k = 0; k < sizeof(modes) / sizeof(modes[0]); k++) {
		if (strcmp(s, modes[k].name) == 0) {
			*m = modes[k].mode;
			return 0;
		}
	}
	*m = (enum dlssl_mode)strtol(s, NULL, 10); /* a number: an invalid mode on purpose */
	return *m != 0 ? 0 : -1;
}

static int
cmd_opts(int argc, char **argv)
{
	struct dlssl_init_opts o = { 0 };
	int k;

	for (k = 0; k < argc; k++) {
		const char *v = k + 1 < argc ? argv[k + 1] : NULL;

		if (v == NULL) {
			fprintf(stderr, "hostprobe: opts: %s needs a value\n", argv[k]);
			return 1;
		}
		if (strcmp(argv[k], "--libssl") == 0)
			o.libssl_path = v;
		else if (strcmp(argv[k], "--libcrypto") == 0)
			o.libcrypto_path = v;
		else if (strcmp(argv[k], "--libdir") == 0)
			o.libdir = v;
		else if (strcmp(argv[k], "--mode") == 0 && parse_mode(v, &o.mode) == 0)
			;
		else if (strcmp(argv[k], "--preload") == 0) {
			if (dlopen(v, RTLD_NOW | RTLD_LOCAL) == NULL) {
				fprintf(stderr, "hostprobe: SKIP: cannot map %s: %s\n", v, dlerror());
				return 77;
			}
		} else {
			fprintf(stderr, "hostprobe: opts: bad option %s %s\n", argv[k], v);
			return 1;
		}
		k++;
	}
	return load_result(dlssl_ensure_initialized(&o));
}

int
main(int argc, char **argv)
{
	if (argc == 2 && strcmp(argv[1], "mapped") == 0)
		return cmd_mapped();
	if (argc == 3 && strcmp(argv[1], "threads") == 0)
		return cmd_threads(argv[2]);
	if (argc == 4 && strcmp(argv[1], "retry-opts") == 0)
		return cmd_retry(0, argv[2], argv[3]);
	if (argc == 4 && strcmp(argv[1], "retry-env") == 0)
		return cmd_retry(1, argv[2], argv[3]);
	if (argc >= 2 && strcmp(argv[1], "opts") == 0)
		return cmd_opts(argc - 2, argv + 2);
	fprintf(stderr, "usage: hostprobe mapped | threads N | retry-opts BAD GOOD | "
	    "retry-env BAD GOOD | opts [--libssl P] [--libcrypto P] [--libdir D] "
	    "[--mode M] [--preload P]...\n");
	return 1;
}
