/*
 * The Windows tests' minimal runner (Check is not built for mingw): the
 * test logic of the Check suites, with
 *
 *   WT_TEST(name) { ... }        a test; WT_CHECK* leave it on failure
 *   wt_main(argc, argv, tests)   runs them, prints TAP ("ok 3 - name"),
 *                                exits 0 if every test passed, else 1
 *
 * and the helpers of tests/loader_common.h rebuilt on Win32: run a program
 * in a fresh process with a controlled environment and capture what it
 * prints, read fields of the JSON that `dlssl info --json` prints.  All
 * strings are UTF-8, converted to UTF-16 at the Win32 calls; those the
 * helpers return live in an arena emptied before each test.
 */
#ifndef DLSSL_TEST_WINTEST_H
#define DLSSL_TEST_WINTEST_H

#include <stddef.h>
#include <wchar.h>

/* ---- the runner ---- */

struct wt_test {
	const char *name;
	void (*fn)(void);
};

#define WT_TEST(name) static void name(void)
#define WT_ENTRY(name) { #name, name }

/* Record a failure (file:line: what) and leave the test. */
#define WT_CHECK(cond, ...) \
	do { \
		if (!(cond)) { \
			wt_fail(__FILE__, __LINE__, #cond, __VA_ARGS__); \
			return; \
		} \
	} while (0)
/* Two strings (either may be NULL) are equal. */
#define WT_CHECK_STR(a, b) \
	do { \
		const char *wt_a_ = (a), *wt_b_ = (b); \
		if (!wt_streq(wt_a_, wt_b_)) { \
			wt_fail(__FILE__, __LINE__, #a " == " #b, "'%s' != '%s'", \
			    wt_a_ ? wt_a_ : "(null)", wt_b_ ? wt_b_ : "(null)"); \
			return; \
		} \
	} while (0)

void wt_fail(const char *file, int line, const char *cond, const char *fmt, ...)
    __attribute__((format(gnu_printf, 4, 5)));
int wt_streq(const char *a, const char *b);
/* Note a test that cannot run here; it counts as passed, marked SKIP. */
void wt_skip(const char *fmt, ...) __attribute__((format(gnu_printf, 1, 2)));
int wt_main(int argc, char **argv, const struct wt_test *tests, size_t n);

/* ---- strings and paths ---- */

/* printf into the arena. */
const char *wt_str(const char *fmt, ...) __attribute__((format(gnu_printf, 1, 2)));
/* An arena copy of a UTF-16 string as UTF-8. */
const char *wt_from_wide(const wchar_t *w);
/* The directory holding this program (no trailing backslash). */
const char *wt_bindir(void);
/* DIR\NAME. */
const char *wt_join(const char *dir, const char *name);
/* Does S contain SUB?  NULL contains nothing. */
int wt_contains(const char *s, const char *sub);
/* Create a directory (and its parents); 0 or -1. */
int wt_mkdir(const char *dir);
/* Copy FILE from directory SRC into directory DST (replacing it); 0 or -1. */
int wt_copy(const char *src, const char *dst, const char *file);
/* Does a file exist? */
int wt_exists(const char *path);

/* ---- child processes ---- */

#define WT_TIMEOUT_MS 60000
#define WT_OUTMAX 65536

struct wt_run {
	int status;		/* exit code; -1 not run; -2 timed out */
	char out[WT_OUTMAX];	/* stdout, NUL-terminated */
	char err[WT_OUTMAX];	/* stderr */
};

/*
 * Run EXE with ARGS (NULL-terminated, may be NULL), stdin from NUL (see
 * wt_set_stdin), in CWD (NULL: ours).  The environment is ours without any
 * DLSSL_* variable, then changed by ENV: "NAME=VALUE" sets, "NAME" unsets.
 * Returns r->status.
 */
int wt_run(struct wt_run *r, const char *exe, const char *const *args, const char *cwd,
    const char *const *env);
/*
 * Standard input for the children started from now on: NULL (the default)
 * is NUL; TEXT is written to a pipe that is closed HOLD_MS later, like
 * `(printf TEXT; sleep N) | program`.
 */
void wt_set_stdin(const char *text, int hold_ms);

/* A child running in the background: wt_start, then wt_finish. */
struct wt_proc {
	struct wt_proc_impl *impl;
};

/* wt_run without the wait: r fills as the child prints.  0 or -1. */
int wt_start(struct wt_proc *p, struct wt_run *r, const char *exe, const char *const *args,
    const char *cwd, const char *const *env);
/* Wait until the child's stderr holds SUB (1), or it ends or MS pass without (0). */
int wt_wait_err(struct wt_proc *p, const char *sub, int ms);
/* Wait up to MS for the child to end (then kill it: status -2); returns r->status. */
int wt_finish(struct wt_proc *p, int ms);
/* A one-line summary of a run for failure messages. */
const char *wt_desc(const struct wt_run *r);

#define WT_LIST(...) ((const char *const[]){ __VA_ARGS__, NULL })

/* ---- JSON (as tests/loader_common.h) ---- */

const char *wt_json(const char *text, const char *key);
const char *wt_json_at(const char *text, const char *key, size_t idx);
int wt_json_len(const char *text, const char *key);
int wt_json_has(const char *text, const char *key, const char *value);

#endif
