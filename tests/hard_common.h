/*
 * Helpers for the hardening tests (tests/hardening.mk): peer programs run
 * as child processes, loopback sockets, deadlines, and knowledge of the
 * environment the suite runs in (valgrind, sanitizers).
 *
 * Peer programs (openssl, gnutls-serv, curl, ...) are started through
 * coreutils timeout(1) in a process group of their own, with stdout and
 * stderr going to a log file, so that a peer never outlives its test by
 * more than its bound even when the test process is killed, and what it
 * said can be shown when a test fails.
 */
#ifndef DLSSL_TESTS_HARD_COMMON_H
#define DLSSL_TESTS_HARD_COMMON_H

#include <stddef.h>
#include <sys/types.h>

/* A peer program. */
struct hard_proc {
	pid_t pid;      /* the timeout(1) process, leader of the group; 0 when none */
	int in_fd;      /* write end of the peer's stdin, or -1 */
	char log[256];  /* its stdout and stderr */
	char name[64];  /* argv[0], for messages */
	int status;     /* wait status once reaped */
	int reaped;
};

/*
 * The absolute path of a program found in PATH, or NULL.  The result is
 * a static buffer per call site slot (up to 8 distinct names).
 */
const char *hard_which(const char *name);

/*
 * Exit 77 (Automake SKIP) unless every named program is in PATH, naming
 * the first one missing and the Debian package that has it.
 */
void hard_require_tools(const char *const *names);

/*
 * Start argv (argv[0] looked up in PATH) bounded by max_seconds of wall
 * time; with stdin_pipe, the peer's stdin is a pipe whose write end is
 * p->in_fd, else /dev/null.  0, or -1 with a message on stderr.
 */
int hard_spawn(struct hard_proc *p, const char *const *argv, int stdin_pipe, double max_seconds);

/*
 * Wait until the peer's log holds needle (1), the peer exits (0) or
 * timeout seconds pass (0).  With line != NULL, the line holding needle
 * is copied there.
 */
int hard_wait_log(struct hard_proc *p, const char *needle, double timeout, char *line,
    size_t n);

/* The peer's log so far (malloc'd, NUL-terminated; never NULL). */
char *hard_read_log(const struct hard_proc *p);

/* Does the peer's log contain s? */
int hard_log_has(const struct hard_proc *p, const char *s);

/* Close the peer's stdin pipe (it sees end of file). */
void hard_close_stdin(struct hard_proc *p);

/*
 * Wait up to timeout seconds for the peer to exit by itself: its exit
 * status (0..255), or -1 if it had to be killed or died of a signal.
 */
int hard_proc_wait(struct hard_proc *p, double timeout);

/* Kill the peer's process group (TERM, then KILL) and reap it.  Idempotent. */
void hard_proc_kill(struct hard_proc *p);

/* Print the peer's log to stderr under a header (for failed tests). */
void hard_proc_dump(const struct hard_proc *p);

/* Kill every peer still running (also registered with atexit). */
void hard_kill_all(void);

/* Remove the peer's log file. */
void hard_proc_free(struct hard_proc *p);

/* ---- sockets ---- */

/* A TCP port that was free on every address a moment ago. */
int hard_free_port(void);
/* A listening socket on 127.0.0.1 with the kernel's choice of port. */
int hard_listen(int *port, int backlog);
/* Connect to 127.0.0.1:port, retrying refused connections until timeout: fd or -1. */
int hard_connect(int port, double timeout);
/* accept() with a timeout: fd or -1. */
int hard_accept(int lfd, double timeout);

/* ---- the environment ---- */

/* 1 when running under valgrind. */
int hard_under_valgrind(void);
/* 1 when built with a sanitizer (ASan, TSan). */
int hard_under_sanitizer(void);
/*
 * How much slower than a plain build this run is expected to be (for
 * deadlines): CK_TIMEOUT_MULTIPLIER, and 10 under valgrind.
 */
double hard_slowdown(void);
/* Seconds: now + s scaled by hard_slowdown(), on dlssl_monotonic()'s clock. */
double hard_deadline(double s);

/* Count of open file descriptors in /proc/self/fd (-1 if unreadable). */
int hard_count_fds(void);
/* Count of threads in /proc/self/task (-1 if unreadable). */
int hard_count_threads(void);
/* Resident set size in KiB from /proc/self/statm (-1 if unreadable). */
long hard_rss_kib(void);
/*
 * Raise the soft RLIMIT_NOFILE to `need` descriptors (for `conns`
 * connections) within the hard limit, or exit 77 saying why not.
 */
void hard_need_fds(long conns, long need);

/* ---- data ---- */

/* A small, fast, seeded generator (xorshift64*). */
struct hard_rng {
	unsigned long long s;
};
void hard_rng_seed(struct hard_rng *r, unsigned long long seed);
unsigned long long hard_rng_next(struct hard_rng *r);
/* Uniform in [0, n) (n > 0). */
unsigned long hard_rng_below(struct hard_rng *r, unsigned long n);
/* Fill buf with the generator's bytes. */
void hard_rng_fill(struct hard_rng *r, void *buf, size_t n);

/* FNV-1a 64 over a buffer, continuing from h (start with HARD_FNV_INIT). */
#define HARD_FNV_INIT 0xcbf29ce484222325ULL
unsigned long long hard_fnv(unsigned long long h, const void *buf, size_t n);

#endif
