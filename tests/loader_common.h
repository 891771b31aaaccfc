/*
 * Helpers shared by the loader tests: run a program in a fresh process
 * with a controlled environment, capture what it prints, and read fields
 * of the JSON report `dlssl info --json` (and tests/hostprobe) print.
 *
 * Strings returned by lc_str(), lc_json() and the path helpers live in a
 * static arena that lc_reset() empties (a checked fixture, before each
 * test): valid for the whole test, never freed, so a failing assertion
 * leaks nothing.
 */
#ifndef DLSSL_TEST_LOADER_COMMON_H
#define DLSSL_TEST_LOADER_COMMON_H

#include <stddef.h>

#ifndef LC_BUILDDIR
#error "LC_BUILDDIR (the absolute top build directory) must be defined"
#endif

/* How long one child may run before it is killed, in seconds. */
#define LC_TIMEOUT 30
#define LC_OUTMAX 32768

struct lc_run {
	int status;		/* exit status; 128 + signal; -1 not run; -2 timed out */
	int truncated;		/* more output than LC_OUTMAX */
	char out[LC_OUTMAX];	/* stdout, NUL-terminated */
	char err[LC_OUTMAX];	/* stderr, NUL-terminated */
};

/* Keep the caller's DLSSL_* variables (tests about "the real library"). */
#define LC_KEEP_DLSSL 0x1

/* A NULL-terminated list of strings, inline. */
#define LC_LIST(...) ((const char *const[]){ __VA_ARGS__, NULL })

/*
 * Run argv[0] (a path) with stdin from /dev/null.  The environment is the
 * caller's, without any DLSSL_* variable unless flags has LC_KEEP_DLSSL,
 * then changed by env: "NAME=VALUE" sets, "NAME" unsets.  Returns r->status.
 */
int lc_exec(struct lc_run *r, int flags, const char *const *argv, const char *const *env);

/* `tools/dlssl ARGS...` from the build tree, as lc_exec. */
int lc_dlssl(struct lc_run *r, int flags, const char *const *env, const char *const *args);

/* `tests/hostprobe ARGS...` from the build tree, as lc_exec. */
int lc_hostprobe(struct lc_run *r, int flags, const char *const *env, const char *const *args);

/* A one-line summary of a run for assertion messages. */
const char *lc_desc(const struct lc_run *r);

/* Empty the string arena: call before each test. */
void lc_reset(void);

/* printf into the arena. */
const char *lc_str(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* LC_BUILDDIR/tests/stubs/out/DIR[/FILE] (FILE may be NULL). */
const char *lc_stub(const char *dir, const char *file);

/* realpath() into the arena, or NULL. */
const char *lc_realpath(const char *path);

/*
 * The value of KEY in the JSON object TEXT: a string unescaped, anything
 * else verbatim ("null", "2", "true", "[...]", "{...}").  NULL if absent.
 */
const char *lc_json(const char *text, const char *key);

/* Element IDX (from 0) of the array KEY in TEXT, as lc_json; NULL if absent. */
const char *lc_json_at(const char *text, const char *key, size_t idx);

/* Number of elements in the array KEY in TEXT; -1 if absent. */
int lc_json_len(const char *text, const char *key);

/* Does the array KEY in TEXT hold the string VALUE? */
int lc_json_has(const char *text, const char *key, const char *value);

/* Does S contain SUB?  (NULL-safe: NULL contains nothing.) */
int lc_contains(const char *s, const char *sub);

/* Can `dlssl info` load a libssl with the caller's environment (flags)? */
int lc_real_loadable(int flags, const char *const *env, struct lc_run *r);

#endif
