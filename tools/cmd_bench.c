/*
 * dlssl bench [WORKLOAD...] [options]: throughput, handshakes, small writes,
 * latency, loading and memory through dlssl, beside libssl called directly
 * (DESIGN.md "Performance").
 *
 * Every measurement runs in a fresh process: `dlssl bench --child CASE`
 * for dlssl (tools/bench_dlssl.c) and bench/dlssl-bench-direct CASE for
 * the baseline, both running the same workload code
 * (tools/bench_harness.c).  Round after round, each case runs once on each
 * side, the two alternating (which goes first flips every round); the
 * report gives each side's median and the ratio dlssl / direct.
 */
#include "config.h"

#ifdef _WIN32
#include <stdio.h>
#include <string.h>

#include "cli.h"

/*
 * Not on Windows: every measurement is a fork()ed, exec()ed child, pinned
 * to a CPU and timed with getrusage, beside a baseline built only against a
 * system OpenSSL (bench/dlssl-bench-direct); the figures it is read against
 * are Linux ones.  tools/bench_*.c compile to nothing here.
 */
int
cmd_bench(int argc, char **argv)
{
	if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		printf("usage: dlssl bench [WORKLOAD...] [options]\n\n"
		    "Not available on Windows: the benchmark runs each case in a forked child\n"
		    "beside bench/dlssl-bench-direct, a POSIX-only baseline.  Run it on Linux.\n");
		return EXIT_OK;
	}
	fprintf(stderr, "dlssl bench: not available on Windows (it forks a child per run "
	    "beside a POSIX-only baseline); run it on Linux\n");
	return EXIT_USAGE;
}
#else
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bench_harness.h"
#include "bench_report.h"
#include "bench_scale.h"
#include "cli.h"
#include "sys.h"

#define LINE_MAX_ 1024

enum group { G_BULK, G_HANDSHAKE, G_SMALL, G_PINGPONG, G_LOAD, G_MEMORY, G_COUNT };
static const char *const group_names[G_COUNT] = {
	"bulk", "handshake", "small", "pingpong", "load", "memory"
};

static void
usage(FILE *f)
{
	fprintf(f,
	    "usage: dlssl bench [bulk|handshake|small|pingpong|load|memory|all ...] [options]\n"
	    "\n"
	    "Run each workload through dlssl and through libssl called directly\n"
	    "(bench/dlssl-bench-direct, built when configure found OpenSSL's headers),\n"
	    "alternately, in fresh processes, round after round; print the medians\n"
	    "and the ratio dlssl/direct.  Default: every workload.\n"
	    "\n"
	    "  bulk       one direction, --size bytes in --chunk writes, over a\n"
	    "             socketpair and TCP on 127.0.0.1          (MB/s)\n"
	    "  handshake  full handshakes, then resumed ones       (handshakes/s)\n"
	    "  small      --pieces writes of --piece bytes, flushed every\n"
	    "             --flush-every; direct: one SSL_write per piece (MB/s)\n"
	    "  pingpong   --piece-byte request and response        (round trips/s)\n"
	    "  load       loading libssl in a fresh process        (ms; load_ns, bind_ns)\n"
	    "  memory     --conns connections established, idle    (bytes/connection)\n"
	    "\n"
	    "Servers at scale (see 'dlssl bench idle --help'):\n"
	    "  idle [N]   N connections held idle by an event-driven server (bytes each)\n"
	    "  conc       1000 clients at once: handshakes/s and echo MB/s\n"
	    "\n"
	    "options:\n"
	    "  --rounds N            rounds (default 5)\n"
	    "  --size BYTES          bulk bytes per run (default 1G; K, M, G suffixes)\n"
	    "  --chunk BYTES         bulk write and read size (default 16K)\n"
	    "  --handshakes N        per run (default 300)\n"
	    "  --pieces N            small writes per run (default 200000)\n"
	    "  --piece BYTES         small and pingpong message size (default 100)\n"
	    "  --flush-every N       small: flush after N pieces (default 100)\n"
	    "  --round-trips N       pingpong round trips per run (default 20000)\n"
	    "  --conns N             memory: connections (default 200)\n"
	    "  --transport LIST      fd,io (default both: dlssl_transport_fd and _io)\n"
	    "  --tls LIST            1.3,1.2 (default both)\n"
	    "  --cipher LIST         default,aes128 (default both; aes128 is\n"
	    "                        TLS_AES_128_GCM_SHA256 / ECDHE-*-AES128-GCM-SHA256)\n"
	    "  --net LIST            socketpair,tcp (default: both for bulk,\n"
	    "                        socketpair for the others)\n"
	    "  --key rsa|ecdsa       server key of the built-in test PKI (default rsa)\n"
	    "  --quick               a short run of everything (make bench)\n"
	    "  --json                machine-readable output\n"
	    "  --direct PATH         the baseline program (default: $DLSSL_BENCH_DIRECT,\n"
	    "                        else found next to this program's build)\n"
	    "  --no-direct           dlssl only\n"
	    "  --no-pin              let client and server threads migrate (default:\n"
	    "                        client on the first CPU, server on the second)\n"
	    "  --libssl PATH         the libssl dlssl loads\n"
	    "  --timeout SECONDS     per run (default 600)\n"
	    "  --verbose             print every run's result line on stderr\n"
	    "\n"
	    "Timing is informative: the exit status is 0 unless a run failed (4).\n");
}

/* ---- options ---- */

static int
parse_list(const char *s, const char *const *names, int n, unsigned *out)
{
	char buf[128], *tok, *save = NULL;
	int i;

	if (strlen(s) >= sizeof(buf))
		return -1;
	snprintf(buf, sizeof(buf), "%s", s);
	*out = 0;
	for (tok = strtok_r(buf, ",", &save); tok != NULL; tok = strtok_r(NULL, ",", &save)) {
		for (i = 0; i < n; i++)
			if (strcmp(tok, names[i]) == 0)
				break;
		if (i == n)
			return -1;
		*out |= 1U << i;
	}
	return *out ? 0 : -1;
}

static int
parse_num(const char *opt, const char *s, unsigned long long lo, unsigned long long hi,
    unsigned long long *out)
{
	if (s == NULL || bench_parse_size(s, out) < 0 || *out < lo || *out > hi) {
		fprintf(stderr, "dlssl bench: %s needs a number from %llu to %llu, not '%s'\n", opt, lo,
		    hi, s ? s : "");
		return -1;
	}
	return 0;
}

static void
defaults(struct bench_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->rounds = 5;
	o->size = 1ULL << 30;
	o->chunk = 16384;
	o->handshakes = 300;
	o->pieces = 200000;
	o->piece = 100;
	o->flush_every = 100;
	o->round_trips = 20000;
	o->conns = 200;
	o->nets = 3;
	o->transports = 3;
	o->tlss = 3;
	o->ciphers = 3;
	o->key = "rsa";
	o->timeout = 600;
}

/* --quick: every code path, small sizes, one round: a few seconds in all. */
static void
quick(struct bench_opts *o)
{
	o->rounds = 1;
	o->size = 4ULL << 20;
	o->handshakes = 10;
	o->pieces = 5000;
	o->round_trips = 300;
	o->conns = 10;
	o->timeout = 60;
}

static int
parse_value_opt(struct bench_opts *o, const char *k, const char *v)
{
	unsigned long long n;

	if (strcmp(k, "--rounds") == 0 && parse_num(k, v, 1, ROUNDS_MAX, &n) == 0)
		o->rounds = (int)n;
	else if (strcmp(k, "--size") == 0 && parse_num(k, v, 1, 1ULL << 40, &n) == 0)
		o->size = n;
	else if (strcmp(k, "--chunk") == 0 && parse_num(k, v, 1, 1U << 24, &n) == 0)
		o->chunk = (size_t)n;
	else if (strcmp(k, "--handshakes") == 0 && parse_num(k, v, 1, 1000000, &n) == 0)
		o->handshakes = (unsigned long)n;
	else if (strcmp(k, "--pieces") == 0 && parse_num(k, v, 1, 100000000, &n) == 0)
		o->pieces = (unsigned long)n;
	else if (strcmp(k, "--piece") == 0 && parse_num(k, v, 1, 1U << 20, &n) == 0)
		o->piece = (size_t)n;
	else if (strcmp(k, "--flush-every") == 0 && parse_num(k, v, 1, 100000000, &n) == 0)
		o->flush_every = (unsigned long)n;
	else if (strcmp(k, "--round-trips") == 0 && parse_num(k, v, 1, 100000000, &n) == 0)
		o->round_trips = (unsigned long)n;
	else if (strcmp(k, "--conns") == 0 && parse_num(k, v, 1, 5000, &n) == 0)
		o->conns = (unsigned long)n;
	else if (strcmp(k, "--timeout") == 0 && parse_num(k, v, 1, 86400, &n) == 0)
		o->timeout = (unsigned)n;
	else if (strcmp(k, "--transport") == 0 && parse_list(v, bench_transport_names, 2, &o->transports) == 0)
		;
	else if (strcmp(k, "--tls") == 0 && parse_list(v, bench_tls_names, 2, &o->tlss) == 0)
		;
	else if (strcmp(k, "--cipher") == 0 && parse_list(v, bench_cipher_names, 2, &o->ciphers) == 0)
		;
	else if (strcmp(k, "--net") == 0 && parse_list(v, bench_net_names, 2, &o->nets) == 0)
		o->nets_given = 1;
	else if (strcmp(k, "--key") == 0 && (strcmp(v, "rsa") == 0 || strcmp(v, "ecdsa") == 0))
		o->key = v;
	else if (strcmp(k, "--direct") == 0)
		o->direct = v;
	else if (strcmp(k, "--libssl") == 0)
		o->libssl = v;
	else
		return -1;
	return 0;
}

static int
parse_opts(int argc, char **argv, struct bench_opts *o)
{
	int i, j, explicit_quick = 0;

	defaults(o);
	for (i = 1; i < argc; i++)
		if (strcmp(argv[i], "--quick") == 0)
			explicit_quick = 1;
	if (explicit_quick) {
		quick(o);
		o->quick = 1;
	}
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (strcmp(a, "--json") == 0)
			o->json = 1;
		else if (strcmp(a, "--quick") == 0)
			continue;
		else if (strcmp(a, "--verbose") == 0)
			o->verbose = 1;
		else if (strcmp(a, "--no-direct") == 0)
			o->no_direct = 1;
		else if (strcmp(a, "--no-pin") == 0)
			o->no_pin = 1;
		else if (strcmp(a, "all") == 0)
			o->workloads = (1U << G_COUNT) - 1;
		else if (a[0] != '-') {
			for (j = 0; j < G_COUNT && strcmp(a, group_names[j]) != 0; j++)
				continue;
			if (j == G_COUNT) {
				fprintf(stderr, "dlssl bench: unknown workload '%s' (try --help)\n", a);
				return -1;
			}
			o->workloads |= 1U << j;
		} else if (i + 1 < argc && parse_value_opt(o, a, argv[i + 1]) == 0) {
			i++;
		} else {
			fprintf(stderr, "dlssl bench: bad option '%s'%s (try --help)\n", a,
			    i + 1 < argc ? "" : " (missing value?)");
			return -1;
		}
	}
	if (o->workloads == 0)
		o->workloads = (1U << G_COUNT) - 1;
	return 0;
}

/* ---- the cases ---- */

static struct bench_row *
add_case(struct bench_row **v, size_t *n, enum bench_workload w, int net, int t, int tls, int aes)
{
	struct bench_row *c, *nv = realloc(*v, (*n + 1) * sizeof(**v));

	if (nv == NULL)
		return NULL;
	*v = nv;
	c = &nv[(*n)++];
	memset(c, 0, sizeof(*c));
	c->w = w;
	c->net = net;
	c->transport = t;
	c->tls = tls;
	c->aes128 = aes;
	return c;
}

static int
build_cases(const struct bench_opts *o, struct bench_row **v, size_t *n)
{
	static const enum bench_workload order[] = {
		BW_BULK, BW_FULL, BW_RESUME, BW_SMALL, BW_PINGPONG, BW_LOAD, BW_MEMORY
	};
	static const enum group grp[] = {
		G_BULK, G_HANDSHAKE, G_HANDSHAKE, G_SMALL, G_PINGPONG, G_LOAD, G_MEMORY
	};
	size_t i;
	int net, t, tls, aes;
	unsigned nets;

	for (i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
		if (!(o->workloads & (1U << grp[i])))
			continue;
		if (order[i] == BW_LOAD) {
			if (add_case(v, n, BW_LOAD, 0, 0, 0, 0) == NULL)
				return -1;
			continue;
		}
		nets = order[i] == BW_BULK || o->nets_given ? o->nets : 1;
		for (net = 0; net < 2; net++)
			for (t = 0; t < 2; t++)
				for (tls = 0; tls < 2; tls++)
					for (aes = 0; aes < 2; aes++) {
						if (!(nets & (1U << net)) || !(o->transports & (1U << t)) ||
						    !(o->tlss & (1U << tls)) || !(o->ciphers & (1U << aes)))
							continue;
						/* Memory does not depend on the cipher. */
						if (order[i] == BW_MEMORY && aes && (o->ciphers & 1))
							continue;
						if (add_case(v, n, order[i], net, t, tls, aes) == NULL)
							return -1;
					}
	}
	return 0;
}

/* The child's command line for a case (argv[0] and the side's prefix are the caller's). */
static int
case_args(const struct bench_opts *o, const struct bench_row *c, char **argv, char bufs[][32], int max)
{
	char *b;
	int n = 0;

#define ARG(s) do { if (n + 1 >= max) return -1; argv[n++] = (char *)(s); } while (0)
#define NUM(opt, fmt, v) do { \
	ARG(opt); \
	b = bufs[n]; \
	snprintf(b, 32, fmt, v); \
	ARG(b); \
} while (0)
	ARG(bench_workload_name(c->w));
	ARG("--net");
	ARG(bench_net_names[c->net]);
	ARG("--transport");
	ARG(bench_transport_names[c->transport]);
	NUM("--tls", "%d", c->tls ? 12 : 13);
	ARG("--cipher");
	ARG(bench_cipher_names[c->aes128]);
	ARG("--key");
	ARG(o->key);
	NUM("--timeout", "%u", o->timeout);
	NUM("--pin", "%d", !o->no_pin);
	switch (c->w) {
	case BW_BULK:
		NUM("--size", "%llu", o->size);
		NUM("--chunk", "%zu", o->chunk);
		break;
	case BW_FULL:
	case BW_RESUME:
		NUM("--count", "%lu", o->handshakes);
		break;
	case BW_SMALL:
		NUM("--count", "%lu", o->pieces);
		NUM("--piece", "%zu", o->piece);
		NUM("--flush-every", "%lu", o->flush_every);
		break;
	case BW_PINGPONG:
		NUM("--count", "%lu", o->round_trips);
		NUM("--piece", "%zu", o->piece);
		break;
	case BW_MEMORY:
		NUM("--count", "%lu", o->conns);
		NUM("--piece", "%zu", o->piece);
		break;
	case BW_LOAD:
	case BW_COUNT_:
		break;
	}
	argv[n] = NULL;
	return n;
#undef NUM
#undef ARG
}

/* ---- running the children ---- */

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/*
 * Run path with argv, capture its first stdout line (bounded by timeout
 * seconds; the child is killed after that).  *wall: fork to exit, seconds.
 * Returns a malloc'd line, or NULL with a message in err.
 */
static char *
run_child(const char *path, char **argv, unsigned timeout, double *wall, char *err, size_t errlen)
{
	char buf[LINE_MAX_ * 2];
	size_t got = 0;
	double t0 = now(), deadline = t0 + timeout + 10;
	struct pollfd p;
	int fds[2], status = 0;
	pid_t pid;
	ssize_t r;
	char *nl;

	if (pipe(fds) != 0) {
		snprintf(err, errlen, "pipe: %s", cli_strerror(errno));
		return NULL;
	}
	fflush(NULL);
	if ((pid = fork()) < 0) {
		snprintf(err, errlen, "fork: %s", cli_strerror(errno));
		close(fds[0]);
		close(fds[1]);
		return NULL;
	}
	if (pid == 0) {
		close(fds[0]);
		if (dup2(fds[1], STDOUT_FILENO) < 0)
			_exit(127);
		close(fds[1]);
		execv(path, argv);
		fprintf(stderr, "dlssl bench: cannot run %s: %s\n", path, cli_strerror(errno));
		_exit(127);
	}
	close(fds[1]);
	p.fd = fds[0];
	p.events = POLLIN;
	while (got < sizeof(buf) - 1) {
		double left = deadline - now();

		if (left <= 0) {
			kill(pid, SIGKILL);
			snprintf(err, errlen, "timed out after %u s", timeout + 10);
			break;
		}
		if (cli_poll(&p, 1, (int)(left * 1000) + 1) < 0 && errno != EINTR)
			break;
		if ((r = read(fds[0], buf + got, sizeof(buf) - 1 - got)) < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	close(fds[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		continue;
	*wall = now() - t0;
	buf[got] = '\0';
	if ((nl = strchr(buf, '\n')) != NULL)
		*nl = '\0';
	if (strncmp(buf, "ok ", 3) == 0)
		return strdup(buf);
	if (strncmp(buf, "error ", 6) == 0)
		snprintf(err, errlen, "%.400s", buf + 6);
	else if (err[0] == '\0')
		snprintf(err, errlen, "no result (exit status %d%s)",
		    WIFEXITED(status) ? WEXITSTATUS(status) : -1,
		    WIFSIGNALED(status) ? ", killed by a signal" : "");
	return NULL;
}

/* ---- finding the programs ---- */

static int
executable(const char *p)
{
	struct stat st;

	return stat(p, &st) == 0 && S_ISREG(st.st_mode) && access(p, X_OK) == 0;
}

int
bench_self_path(char *buf, size_t len)
{
	ssize_t r = readlink("/proc/self/exe", buf, len - 1);

	if (r <= 0 || (size_t)r >= len - 1)
		return -1;
	buf[r] = '\0';
	return 0;
}

/*
 * The baseline: --direct, $DLSSL_BENCH_DIRECT, else next to this program's
 * build: tools/.libs/lt-dlssl (libtool) or tools/dlssl -> bench/, or an
 * install next to dlssl.
 */
const char *
bench_find_direct(const char *direct, int no_direct, const char *self, char *buf, size_t len,
    char *note, size_t nlen)
{
	static const char *const rel[] = {
		"/../../bench/dlssl-bench-direct", "/../bench/dlssl-bench-direct", "/dlssl-bench-direct"
	};
	const char *e = cli_getenv("DLSSL_BENCH_DIRECT");
	char dir[PATH_MAX], *slash;
	size_t i;

	if (no_direct) {
		snprintf(note, nlen, "--no-direct");
		return NULL;
	}
	if (direct != NULL || (e != NULL && e[0] != '\0')) {
		const char *p = direct ? direct : e;

		if (executable(p))
			return p;
		snprintf(note, nlen, "%s is not an executable file", p);
		return NULL;
	}
	snprintf(dir, sizeof(dir), "%s", self);
	if ((slash = strrchr(dir, '/')) != NULL)
		*slash = '\0';
	for (i = 0; i < sizeof(rel) / sizeof(rel[0]); i++) {
		char path[PATH_MAX * 2];

		snprintf(path, sizeof(path), "%s%s", dir, rel[i]);
		if (executable(path) && len >= PATH_MAX && realpath(path, buf) != NULL)
			return buf;
	}
	snprintf(note, nlen, "no bench/dlssl-bench-direct beside this dlssl (it is built only when "
	    "configure finds OpenSSL's headers, and never installed); name one with --direct");
	return NULL;
}

/* ---- the driver ---- */

static int
run_side(struct bench_env *v, struct bench_row *c, int side, const char *self, int round)
{
	char *argv[48], bufs[48][32], err[512] = "", *line, extra[64], lib[256];
	double wall;
	size_t len;
	int n = 0, k;

	argv[n++] = (char *)(side ? v->direct : self);
	if (side == 0) {
		argv[n++] = (char *)"bench";
		argv[n++] = (char *)"--child";
	}
	if ((k = case_args(v->o, c, argv + n, bufs + n, 40)) < 0)
		return -1;
	n += k;
	if (side == 0 && v->o->libssl) {
		argv[n++] = (char *)"--libssl";
		argv[n++] = (char *)v->o->libssl;
		argv[n] = NULL;
	}
	line = run_child(argv[0], argv, v->o->timeout, &wall, err, sizeof(err));
	if (line == NULL) {
		if (c->error[side] == NULL)
			c->error[side] = strdup(err);
		fprintf(stderr, "dlssl bench: round %d: %s %s: %s\n", round,
		    bench_workload_name(c->w), side ? "direct" : "dlssl", err);
		return -1;
	}
	/* The whole process's time, for the load workload. */
	snprintf(extra, sizeof(extra), " wall_ms=%.3f", wall * 1e3);
	len = strlen(line) + strlen(extra) + 1;
	if ((c->line[side][c->n[side]] = malloc(len)) == NULL) {
		free(line);
		return -1;
	}
	snprintf(c->line[side][c->n[side]], len, "%s%s", line, extra);
	c->n[side]++;
	bench_field_str(line, "library", lib, sizeof(lib));
	snprintf(side ? v->dx_library : v->dl_library, sizeof(v->dl_library), "%s", lib);
	if (v->o->verbose)
		fprintf(stderr, "  %s %s: %s\n", bench_workload_name(c->w), side ? "direct" : "dlssl", line);
	free(line);
	return 0;
}

static void
free_cases(struct bench_row *cs, size_t n)
{
	size_t i;
	int s, k;

	for (i = 0; i < n; i++)
		for (s = 0; s < SIDES; s++) {
			for (k = 0; k < cs[i].n[s]; k++)
				free(cs[i].line[s][k]);
			free(cs[i].error[s]);
		}
	free(cs);
}

int
cmd_bench(int argc, char **argv)
{
	struct bench_opts o;
	struct bench_env v;
	struct bench_row *cs = NULL;
	size_t n = 0, i;
	char self[PATH_MAX], dbuf[PATH_MAX];
	int r, k, failed = 0, side, first;

	if (argc >= 2 && strcmp(argv[1], "--child") == 0)
		return bench_child_main(&bench_dlssl_engine, argc - 2, argv + 2);
	if (argc >= 2 && strcmp(argv[1], "--serve") == 0)
		return bench_serve_main(&bench_dlssl_engine, argc - 2, argv + 2);
	if (argc >= 2 && (strcmp(argv[1], "idle") == 0 || strcmp(argv[1], "conc") == 0))
		return bench_scale_main(argc - 1, argv + 1);
	if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		usage(stdout);
		return EXIT_OK;
	}
	if (parse_opts(argc, argv, &o) < 0)
		return EXIT_USAGE;
	if (bench_self_path(self, sizeof(self)) < 0) {
		fprintf(stderr, "dlssl bench: cannot find this program (/proc/self/exe)\n");
		return EXIT_USAGE;
	}
	memset(&v, 0, sizeof(v));
	v.o = &o;
	v.direct = bench_find_direct(o.direct, o.no_direct, self, dbuf, sizeof(dbuf), v.direct_note, sizeof(v.direct_note));
	if (!o.no_direct && v.direct == NULL)
		fprintf(stderr, "dlssl bench: no baseline: %s\n", v.direct_note);
	if (build_cases(&o, &cs, &n) < 0) {
		fprintf(stderr, "dlssl bench: out of memory\n");
		return EXIT_TLS;
	}
	for (r = 1; r <= o.rounds; r++) {
		if (!o.json || isatty(STDERR_FILENO))
			fprintf(stderr, "dlssl bench: round %d of %d (%zu cases)\n", r, o.rounds, n);
		for (i = 0; i < n; i++) {
			/* Alternate which side goes first, so neither always runs second. */
			first = (r + (int)i) % 2;
			for (k = 0; k < SIDES; k++) {
				side = k ^ first;
				if (side == 1 && v.direct == NULL)
					continue;
				if (run_side(&v, &cs[i], side, self, r) < 0)
					failed = 1;
			}
		}
	}
	if (o.json)
		bench_print_json(&v, cs, n);
	else
		bench_print_text(&v, cs, n);
	free_cases(cs, n);
	return failed ? EXIT_TLS : EXIT_OK;
}
#endif /* _WIN32 */
