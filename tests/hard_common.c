/* Helpers for the hardening tests: see hard_common.h. */
#include "config.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "dlssl.h"
#include "hard_common.h"

extern char **environ;

/* ---- programs ---- */

#define WHICH_SLOTS 16
static struct {
	char name[64];
	char *path;
} which_cache[WHICH_SLOTS];

const char *
hard_which(const char *name)
{
	const char *path = getenv("PATH");
	char buf[4096];
	const char *p, *e;
	int i;

	for (i = 0; i < WHICH_SLOTS && which_cache[i].name[0] != '\0'; i++)
		if (strcmp(which_cache[i].name, name) == 0)
			return which_cache[i].path;
	if (strchr(name, '/') != NULL)
		return access(name, X_OK) == 0 ? name : NULL;
	if (path == NULL || *path == '\0')
		path = "/usr/local/bin:/usr/bin:/bin";
	for (p = path; *p != '\0'; p = *e ? e + 1 : e) {
		e = strchr(p, ':');
		if (e == NULL)
			e = p + strlen(p);
		if (e == p)
			continue;
		snprintf(buf, sizeof(buf), "%.*s/%s", (int)(e - p), p, name);
		if (access(buf, X_OK) == 0)
			break;
		buf[0] = '\0';
	}
	if (*p == '\0')
		buf[0] = '\0';
	if (i < WHICH_SLOTS) {
		snprintf(which_cache[i].name, sizeof(which_cache[i].name), "%s", name);
		which_cache[i].path = buf[0] != '\0' ? strdup(buf) : NULL;
		return which_cache[i].path;
	}
	return buf[0] != '\0' ? strdup(buf) : NULL;
}

static const char *
package_of(const char *tool)
{
	if (strcmp(tool, "gnutls-serv") == 0 || strcmp(tool, "gnutls-cli") == 0)
		return "gnutls-bin";
	if (strcmp(tool, "timeout") == 0)
		return "coreutils";
	if (strcmp(tool, "setpriv") == 0)
		return "util-linux";
	return tool;
}

void
hard_require_tools(const char *const *names)
{
	for (; *names != NULL; names++) {
		if (hard_which(*names) == NULL) {
			printf("SKIP: %s was not found in PATH (Debian package %s)\n", *names,
			    package_of(*names));
			fprintf(stderr, "SKIP: %s was not found in PATH (Debian package %s)\n", *names,
			    package_of(*names));
			exit(77);
		}
	}
}

/* Peers still running, by process group, for hard_kill_all(). */
#define LIVE_MAX 64
static pid_t live[LIVE_MAX];
static int atexit_done;

static void
live_add(pid_t pid)
{
	int i;

	if (!atexit_done) {
		atexit(hard_kill_all);
		atexit_done = 1;
	}
	for (i = 0; i < LIVE_MAX; i++) {
		if (live[i] == 0) {
			live[i] = pid;
			return;
		}
	}
}

static void
live_remove(pid_t pid)
{
	int i;

	for (i = 0; i < LIVE_MAX; i++)
		if (live[i] == pid)
			live[i] = 0;
}

void
hard_kill_all(void)
{
	int i;

	for (i = 0; i < LIVE_MAX; i++) {
		if (live[i] > 0) {
			(void)kill(-live[i], SIGKILL);
			(void)waitpid(live[i], NULL, 0);
			live[i] = 0;
		}
	}
}

int
hard_spawn(struct hard_proc *p, const char *const *argv, int stdin_pipe, double max_seconds)
{
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t at;
	sigset_t none, def;
	const char *tmo = hard_which("timeout");
	const char *prog = hard_which(argv[0]);
	const char *tmp = getenv("TMPDIR");
	char secs[32];
	const char **av;
	int n, fd, pipefd[2] = { -1, -1 }, rc;

	memset(p, 0, sizeof(*p));
	p->in_fd = -1;
	snprintf(p->name, sizeof(p->name), "%s", argv[0]);
	if (tmo == NULL || prog == NULL) {
		fprintf(stderr, "hard_spawn: %s not found\n", tmo == NULL ? "timeout" : argv[0]);
		return -1;
	}
	snprintf(p->log, sizeof(p->log), "%s/dlssl-peer-XXXXXX", tmp != NULL && *tmp ? tmp : "/tmp");
	if ((fd = mkstemp(p->log)) < 0) {
		fprintf(stderr, "hard_spawn: mkstemp: %s\n", strerror(errno));
		return -1;
	}
	close(fd);
	for (n = 0; argv[n] != NULL; n++)
		;
	av = calloc((size_t)n + 5, sizeof(*av));
	if (av == NULL)
		return -1;
	snprintf(secs, sizeof(secs), "%.0f", max_seconds < 1 ? 1 : max_seconds);
	av[0] = tmo;
	av[1] = "-s";
	av[2] = "KILL";
	av[3] = secs;
	av[4] = prog;
	memcpy(av + 5, argv + 1, (size_t)n * sizeof(*av)); /* with the NULL */
	if (stdin_pipe && pipe2(pipefd, O_CLOEXEC) != 0) {
		free(av);
		return -1;
	}
	posix_spawn_file_actions_init(&fa);
	if (stdin_pipe)
		posix_spawn_file_actions_adddup2(&fa, pipefd[0], 0);
	else
		posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 1, p->log, O_WRONLY | O_APPEND, 0);
	posix_spawn_file_actions_adddup2(&fa, 1, 2);
	/* The test's sockets must not live on in the peer. */
	posix_spawn_file_actions_addclosefrom_np(&fa, 3);
	posix_spawnattr_init(&at);
	sigemptyset(&none);
	sigemptyset(&def);
	sigaddset(&def, SIGPIPE);
	sigaddset(&def, SIGTERM);
	sigaddset(&def, SIGINT);
	sigaddset(&def, SIGALRM);
	posix_spawnattr_setsigmask(&at, &none);
	posix_spawnattr_setsigdefault(&at, &def);
	posix_spawnattr_setpgroup(&at, 0);
	posix_spawnattr_setflags(&at, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK |
	    POSIX_SPAWN_SETSIGDEF);
	rc = posix_spawn(&p->pid, tmo, &fa, &at, (char *const *)(uintptr_t)av, environ);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&at);
	free(av);
	if (stdin_pipe) {
		close(pipefd[0]);
		p->in_fd = pipefd[1];
	}
	if (rc != 0) {
		fprintf(stderr, "hard_spawn: %s: %s\n", prog, strerror(rc));
		p->pid = 0;
		hard_close_stdin(p);
		return -1;
	}
	live_add(p->pid);
	return 0;
}

static int
reap(struct hard_proc *p, int flags)
{
	pid_t r;

	if (p->pid <= 0 || p->reaped)
		return 1;
	do
		r = waitpid(p->pid, &p->status, flags);
	while (r < 0 && errno == EINTR);
	if (r == p->pid || (r < 0 && errno == ECHILD)) {
		p->reaped = 1;
		live_remove(p->pid);
		return 1;
	}
	return 0;
}

char *
hard_read_log(const struct hard_proc *p)
{
	FILE *f = p->log[0] ? fopen(p->log, "r") : NULL;
	char *buf = NULL;
	size_t n = 0, cap = 0, got;

	if (f != NULL) {
		for (;;) {
			if (cap - n < 4096) {
				char *nb = realloc(buf, cap + 65536);

				if (nb == NULL)
					break;
				buf = nb;
				cap += 65536;
			}
			got = fread(buf + n, 1, cap - n - 1, f);
			if (got == 0)
				break;
			n += got;
		}
		fclose(f);
	}
	if (buf == NULL)
		buf = malloc(1);
	if (buf != NULL)
		buf[n] = '\0';
	return buf;
}

int
hard_log_has(const struct hard_proc *p, const char *s)
{
	char *l = hard_read_log(p);
	int r = l != NULL && strstr(l, s) != NULL;

	free(l);
	return r;
}

int
hard_wait_log(struct hard_proc *p, const char *needle, double timeout, char *line, size_t n)
{
	double end = dlssl_monotonic() + timeout;
	char *l, *at, *e;
	int done = 0;

	for (;;) {
		l = hard_read_log(p);
		if (l != NULL && (at = strstr(l, needle)) != NULL) {
			if (line != NULL && n > 0) {
				while (at > l && at[-1] != '\n')
					at--;
				e = strchr(at, '\n');
				snprintf(line, n, "%.*s", (int)(e ? e - at : (long)strlen(at)), at);
			}
			free(l);
			return 1;
		}
		free(l);
		if (done || dlssl_monotonic() > end)
			return 0;
		/* One more look at the log after the peer exits. */
		done = reap(p, WNOHANG);
		usleep(5000);
	}
}

void
hard_close_stdin(struct hard_proc *p)
{
	if (p->in_fd >= 0)
		close(p->in_fd);
	p->in_fd = -1;
}

int
hard_proc_wait(struct hard_proc *p, double timeout)
{
	double end = dlssl_monotonic() + timeout;

	while (!reap(p, WNOHANG)) {
		if (dlssl_monotonic() > end) {
			hard_proc_kill(p);
			return -1;
		}
		usleep(5000);
	}
	if (p->pid <= 0)
		return -1;
	/* timeout(1) passes on the peer's status; 124 and 128+9 mean it was stopped. */
	if (WIFEXITED(p->status) && WEXITSTATUS(p->status) != 124 && WEXITSTATUS(p->status) != 137)
		return WEXITSTATUS(p->status);
	return -1;
}

void
hard_proc_kill(struct hard_proc *p)
{
	int i;

	hard_close_stdin(p);
	if (p->pid <= 0 || p->reaped)
		return;
	(void)kill(-p->pid, SIGTERM);
	for (i = 0; i < 100 && !reap(p, WNOHANG); i++)
		usleep(5000);
	if (!p->reaped) {
		(void)kill(-p->pid, SIGKILL);
		(void)reap(p, 0);
	}
	/* Whatever else is left in its group. */
	(void)kill(-p->pid, SIGKILL);
}

void
hard_proc_dump(const struct hard_proc *p)
{
	char *l = hard_read_log(p);

	fprintf(stderr, "---- %s said:\n%s\n---- end of %s\n", p->name, l ? l : "", p->name);
	free(l);
}

void
hard_proc_free(struct hard_proc *p)
{
	hard_proc_kill(p);
	if (p->log[0] != '\0')
		(void)unlink(p->log);
	p->log[0] = '\0';
}

/* ---- sockets ---- */

int
hard_free_port(void)
{
	struct sockaddr_in a;
	socklen_t len = sizeof(a);
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), port = -1;

	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_ANY);
	if (fd >= 0 && bind(fd, (struct sockaddr *)&a, sizeof(a)) == 0 &&
	    getsockname(fd, (struct sockaddr *)&a, &len) == 0)
		port = ntohs(a.sin_port);
	if (fd >= 0)
		close(fd);
	return port;
}

int
hard_listen(int *port, int backlog)
{
	struct sockaddr_in a;
	socklen_t len = sizeof(a);
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof(a)) != 0 || listen(fd, backlog) != 0 ||
	    getsockname(fd, (struct sockaddr *)&a, &len) != 0) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	*port = ntohs(a.sin_port);
	return fd;
}

int
hard_connect(int port, double timeout)
{
	struct sockaddr_in a;
	double end = dlssl_monotonic() + timeout;
	int fd;

	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	a.sin_port = htons((unsigned short)port);
	for (;;) {
		if ((fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0)
			return -1;
		if (connect(fd, (struct sockaddr *)&a, sizeof(a)) == 0)
			return fd;
		close(fd);
		if (errno != ECONNREFUSED || dlssl_monotonic() > end)
			return -1;
		usleep(10000);
	}
}

int
hard_accept(int lfd, double timeout)
{
	struct pollfd p;
	int r;

	p.fd = lfd;
	p.events = POLLIN;
	p.revents = 0;
	do
		r = poll(&p, 1, (int)(timeout * 1000));
	while (r < 0 && errno == EINTR);
	if (r != 1)
		return -1;
	return accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
}

/* ---- the environment ---- */

int
hard_under_valgrind(void)
{
	const char *p = getenv("LD_PRELOAD");

	return p != NULL && strstr(p, "vgpreload") != NULL;
}

#if defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define HARD_SANITIZED 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define HARD_SANITIZED 1
#endif

int
hard_under_sanitizer(void)
{
#ifdef HARD_SANITIZED
	return 1;
#else
	return 0;
#endif
}

double
hard_slowdown(void)
{
	const char *m = getenv("CK_TIMEOUT_MULTIPLIER");
	double f = 1;

	if (m != NULL && atof(m) > 1)
		f = atof(m);
	if (hard_under_valgrind() && f < 10)
		f = 10;
	return f;
}

double
hard_deadline(double s)
{
	return dlssl_monotonic() + s * hard_slowdown();
}

static int
count_dir(const char *path)
{
	DIR *d = opendir(path);
	struct dirent *e;
	int n = 0;

	if (d == NULL)
		return -1;
	while ((e = readdir(d)) != NULL)
		if (e->d_name[0] != '.')
			n++;
	closedir(d);
	return n;
}

int
hard_count_fds(void)
{
	int n = count_dir("/proc/self/fd");

	return n < 0 ? n : n - 1; /* the directory's own fd */
}

int
hard_count_threads(void)
{
	return count_dir("/proc/self/task");
}

long
hard_rss_kib(void)
{
	FILE *f = fopen("/proc/self/statm", "r");
	long size, rss;

	if (f == NULL)
		return -1;
	if (fscanf(f, "%ld %ld", &size, &rss) != 2)
		rss = -1;
	fclose(f);
	return rss < 0 ? -1 : rss * (sysconf(_SC_PAGESIZE) / 1024);
}

void
hard_need_fds(long conns, long need)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) != 0) {
		printf("SKIP: getrlimit: %s\n", strerror(errno));
		exit(77);
	}
	if (rl.rlim_cur >= (rlim_t)need)
		return;
	if (rl.rlim_max != RLIM_INFINITY && rl.rlim_max < (rlim_t)need) {
		printf("SKIP: %ld connections need %ld file descriptors; the hard limit is %lu\n",
		    conns, need, (unsigned long)rl.rlim_max);
		exit(77);
	}
	rl.rlim_cur = (rlim_t)need;
	if (setrlimit(RLIMIT_NOFILE, &rl) != 0) {
		printf("SKIP: cannot raise RLIMIT_NOFILE to %ld: %s\n", need, strerror(errno));
		exit(77);
	}
}

/* ---- data ---- */

void
hard_rng_seed(struct hard_rng *r, unsigned long long seed)
{
	r->s = seed ? seed : 0x9e3779b97f4a7c15ULL;
}

unsigned long long
hard_rng_next(struct hard_rng *r)
{
	r->s ^= r->s >> 12;
	r->s ^= r->s << 25;
	r->s ^= r->s >> 27;
	return r->s * 0x2545f4914f6cdd1dULL;
}

unsigned long
hard_rng_below(struct hard_rng *r, unsigned long n)
{
	return (unsigned long)(hard_rng_next(r) % n);
}

void
hard_rng_fill(struct hard_rng *r, void *buf, size_t n)
{
	unsigned char *p = buf;
	unsigned long long v;

	while (n >= 8) {
		v = hard_rng_next(r);
		memcpy(p, &v, 8);
		p += 8;
		n -= 8;
	}
	if (n > 0) {
		v = hard_rng_next(r);
		memcpy(p, &v, n);
	}
}

unsigned long long
hard_fnv(unsigned long long h, const void *buf, size_t n)
{
	const unsigned char *p = buf;

	while (n--) {
		h ^= *p++;
		h *= 0x100000001b3ULL;
	}
	return h;
}
