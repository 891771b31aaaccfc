/*
 * dlssl bench idle [N] | conc: servers at scale (DESIGN.md "Performance",
 * "Scale").  Each round starts two echo servers, one after the other, in
 * fresh processes: `dlssl bench --serve` (the event loop of `dlssl serve`
 * over dlssl) and `dlssl-bench-direct --serve` (the same loop over libssl
 * called directly, configured alike: tools/bench_serve.c); which goes first
 * flips every round.  This process is the load generator (tools/loadgen.c,
 * dlssl clients, the same for both servers).
 *
 *   idle  N connections (default 1000) made and held idle after a short
 *         echo; the server's resident set grows by so much per connection
 *         (VmRSS after a warm-up, then with all N held).
 *   conc  --clients connections at once (default 1000): full handshakes
 *         per second (each connects, handshakes, closes; --handshakes in
 *         all), then echo throughput (each sends --size bytes and reads
 *         them back, all at once).
 *
 * The report gives each side's median and the ratio dlssl / direct.
 */
#include "config.h"

#ifndef _WIN32
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench_harness.h"
#include "bench_scale.h"
#include "cli.h"
#include "loadgen.h"
#include "opts.h"
#include "sys.h"

#define MAX_ROUNDS 15

struct scale_opts {
	int idle;
	long conns;            /* idle: connections held; conc: clients at once */
	long handshakes;
	unsigned long long size;
	int rounds;
	const char *tls, *key, *libssl, *direct;
	int no_direct, verbose;
};

struct server {
	pid_t pid;
	int port;
};

static void
usage(FILE *f)
{
	fprintf(f,
	    "usage: dlssl bench idle [N] [options]\n"
	    "       dlssl bench conc [options]\n\n"
	    "Servers at scale: the event-driven echo server of dlssl serve over dlssl,\n"
	    "and the same loop over libssl called directly (bench/dlssl-bench-direct),\n"
	    "each in a fresh process, alternately, round after round; this process\n"
	    "runs the clients.  Prints the medians and the ratio dlssl/direct.\n\n"
	    "  idle N   N connections held idle (default 1000): server RSS per connection\n"
	    "  conc     --clients at once: full handshakes/s, then echo throughput (MB/s)\n\n"
	    "options:\n"
	    "  --clients N       conc: concurrent clients (default 1000)\n"
	    "  --handshakes N    conc: handshakes per run (default 5000)\n"
	    "  --size BYTES      conc: bytes each client echoes (default 64K)\n"
	    "  --rounds N        rounds (default 3, at most %d)\n"
	    "  --tls 1.2|1.3     protocol (default 1.3)\n"
	    "  --key rsa|ecdsa   server key of the built-in test PKI (default rsa)\n"
	    "  --direct PATH     the baseline program; --no-direct: dlssl only\n"
	    "  --libssl PATH     the libssl dlssl loads (both sides' clients, the dlssl server)\n"
	    "  --verbose         the servers' messages on stderr\n", MAX_ROUNDS);
}

static int
parse(int argc, char **argv, struct scale_opts *o)
{
	unsigned long long v;
	long n;
	int i;

	memset(o, 0, sizeof(*o));
	o->idle = strcmp(argv[0], "idle") == 0;
	o->conns = 1000;
	o->handshakes = 5000;
	o->size = 65536;
	o->rounds = 3;
	o->tls = "13";
	o->key = "rsa";
	for (i = 1; i < argc; i++) {
		const char *a = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;

		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			usage(stdout);
			exit(0);
		}
		if (o->idle && i == 1 && cli_number(a, 1, 1000000, &n) == 0) {
			o->conns = n;
			continue;
		}
		if (strcmp(a, "--no-direct") == 0) {
			o->no_direct = 1;
			continue;
		}
		if (strcmp(a, "--verbose") == 0) {
			o->verbose = 1;
			continue;
		}
		if (val == NULL)
			goto bad;
		i++;
		if (strcmp(a, "--clients") == 0 && cli_number(val, 1, 1000000, &n) == 0)
			o->conns = n;
		else if (strcmp(a, "--handshakes") == 0 && cli_number(val, 1, 100000000, &n) == 0)
			o->handshakes = n;
		else if (strcmp(a, "--size") == 0 && bench_parse_size(val, &v) == 0 && v > 0 &&
		    v <= (1ull << 30))
			o->size = v;
		else if (strcmp(a, "--rounds") == 0 && cli_number(val, 1, MAX_ROUNDS, &n) == 0)
			o->rounds = (int)n;
		else if (strcmp(a, "--tls") == 0 && (strcmp(val, "1.2") == 0 || strcmp(val, "1.3") == 0))
			o->tls = strcmp(val, "1.2") == 0 ? "12" : "13";
		else if (strcmp(a, "--key") == 0 && (strcmp(val, "rsa") == 0 || strcmp(val, "ecdsa") == 0))
			o->key = val;
		else if (strcmp(a, "--direct") == 0)
			o->direct = val;
		else if (strcmp(a, "--libssl") == 0)
			o->libssl = val;
		else
			goto bad;
	}
	return 0;
bad:
	fprintf(stderr, "dlssl bench: bad option or value '%s' (try 'dlssl bench %s --help')\n",
	    argv[i > argc - 1 ? argc - 1 : i], argv[0]);
	return -1;
}

/* Start a server (argv: program, then its --serve arguments) and read its port. */
static int
start_server(char **argv, int verbose, struct server *sv)
{
	char line[256];
	size_t got = 0;
	struct pollfd p;
	double end = dlssl_monotonic() + 20;
	int pfd[2], dn;
	ssize_t r;

	if (pipe(pfd) != 0)
		return -1;
	if ((sv->pid = fork()) < 0)
		return -1;
	if (sv->pid == 0) {
		dup2(pfd[1], 1);
		if (!verbose && (dn = open("/dev/null", O_WRONLY)) >= 0)
			dup2(dn, 2);
		close(pfd[0]);
		execv(argv[0], argv);
		_exit(127);
	}
	close(pfd[1]);
	p.fd = pfd[0];
	p.events = POLLIN;
	while (got < sizeof(line) - 1 && dlssl_monotonic() < end && cli_poll(&p, 1, 1000) >= 0) {
		if (!(p.revents & (POLLIN | POLLHUP)))
			continue;
		if ((r = read(pfd[0], line + got, sizeof(line) - 1 - got)) <= 0)
			break;
		got += (size_t)r;
		line[got] = '\0';
		if (strchr(line, '\n') != NULL)
			break;
	}
	close(pfd[0]);
	line[got] = '\0';
	if (sscanf(line, "listening on 127.0.0.1:%d", &sv->port) != 1) {
		kill(sv->pid, SIGKILL);
		waitpid(sv->pid, NULL, 0);
		fprintf(stderr, "dlssl bench: %s --serve did not start (%s)\n", argv[0],
		    got ? line : "no output");
		return -1;
	}
	return 0;
}

static void
stop_server(struct server *sv)
{
	kill(sv->pid, SIGTERM);
	waitpid(sv->pid, NULL, 0);
}

/* The server's resident set, KiB (-1 if unknown). */
static long
rss_kib(pid_t pid)
{
	char path[64], line[256];
	long kib = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%ld/status", (long)pid);
	if ((f = fopen(path, "r")) == NULL)
		return -1;
	while (fgets(line, sizeof(line), f) != NULL)
		if (sscanf(line, "VmRSS: %ld kB", &kib) == 1)
			break;
	fclose(f);
	return kib;
}

static void
settle(void)
{
	struct timespec ts = { 0, 300000000 };

	nanosleep(&ts, NULL);
}

static int
report_error(const char *side, const char *what, const struct loadgen_stats *st)
{
	fprintf(stderr, "dlssl bench: %s server: %s: %ld errors; first: %s\n", side, what, st->errors,
	    st->first_error);
	return -1;
}

/* idle: bytes per held connection. */
static int
run_idle(const struct scale_opts *o, struct loadgen_opts *lo, const char *side, struct server *sv,
    double *out)
{
	struct loadgen_stats st;
	struct loadgen *g;
	long base, held;

	lo->conns = 20;
	lo->payload = 256;
	if ((g = loadgen_open(lo, &st)) == NULL || st.held != lo->conns)
		return loadgen_close(g, &st), report_error(side, "warm-up", &st);
	loadgen_close(g, &st);
	settle();
	base = rss_kib(sv->pid);
	lo->conns = (int)o->conns;
	lo->max_connecting = 200;
	g = loadgen_open(lo, &st);
	if (g == NULL || st.held != lo->conns) {
		loadgen_close(g, &st);
		return report_error(side, "opening the connections", &st);
	}
	settle();
	held = rss_kib(sv->pid);
	loadgen_close(g, &st);
	if (base < 0 || held < 0) {
		fprintf(stderr, "dlssl bench: cannot read the server's VmRSS\n");
		return -1;
	}
	*out = (double)(held - base) * 1024.0 / (double)o->conns;
	if (o->verbose)
		fprintf(stderr, "  %s: RSS %ld -> %ld KiB with %ld connections: %.0f bytes each\n", side,
		    base, held, o->conns, *out);
	return 0;
}

/* conc: handshakes/s, then echo MB/s. */
static int
run_conc(const struct scale_opts *o, struct loadgen_opts *lo, const char *side, double *hs,
    double *mbs)
{
	struct loadgen_stats st;
	struct loadgen *g;

	lo->conns = (int)o->conns;
	lo->max_connecting = 0;
	lo->payload = 0;
	if (loadgen_cycle(lo, o->handshakes, &st) != 0)
		return report_error(side, "handshakes", &st);
	*hs = (double)o->handshakes / st.secs;
	g = loadgen_open(lo, &st);
	if (g == NULL || st.held != lo->conns) {
		loadgen_close(g, &st);
		return report_error(side, "connecting the echo clients", &st);
	}
	if (loadgen_echo(g, (size_t)o->size, &st) != 0) {
		loadgen_close(g, &st);
		return report_error(side, "echo", &st);
	}
	*mbs = (double)st.bytes * 2 / st.secs / 1e6;
	loadgen_close(g, &st);
	if (o->verbose)
		fprintf(stderr, "  %s: %.0f handshakes/s, echo %.1f MB/s\n", side, *hs, *mbs);
	return 0;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double
median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static void
raise_nofile(long need)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < (rlim_t)need) {
		rl.rlim_cur = rl.rlim_max == RLIM_INFINITY || rl.rlim_max > (rlim_t)need ?
		    (rlim_t)need : rl.rlim_max;
		(void)setrlimit(RLIMIT_NOFILE, &rl);
	}
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < (rlim_t)need)
		fprintf(stderr, "dlssl bench: the open-file limit is %lu, %ld connections need about "
		    "%ld: expect failures (raise the hard limit)\n", (unsigned long)rl.rlim_cur,
		    need - 64, need);
}

static void
print_row(const char *what, const char *unit, double d, double x, int have_direct, const char *target)
{
	if (have_direct)
		printf("  %-28s dlssl %10.1f   direct %10.1f %-14s ratio %.3fx  (%s)\n", what, d, x,
		    unit, x > 0 ? d / x : 0, target);
	else
		printf("  %-28s dlssl %10.1f %s\n", what, d, unit);
}

int
bench_scale_main(int argc, char **argv)
{
	struct scale_opts o;
	struct loadgen_opts lo;
	struct dlssl_context_opts co;
	struct dlssl_context *ctx;
	struct server sv;
	char self[PATH_MAX], dbuf[PATH_MAX], note[512];
	double a[2][MAX_ROUNDS], b[2][MAX_ROUNDS];
	const char *direct, *ca;
	char *args[12];
	int r, k, side, n;

	if (parse(argc, argv, &o) < 0)
		return EXIT_USAGE;
	if (bench_self_path(self, sizeof(self)) < 0) {
		fprintf(stderr, "dlssl bench: cannot find this program (/proc/self/exe)\n");
		return EXIT_USAGE;
	}
	direct = bench_find_direct(o.direct, o.no_direct, self, dbuf, sizeof(dbuf), note, sizeof(note));
	if (direct == NULL && !o.no_direct)
		fprintf(stderr, "dlssl bench: no baseline: %s\n", note);
	if ((r = cli_load(o.libssl)) != EXIT_OK)
		return r;
	signal(SIGPIPE, SIG_IGN);
	raise_nofile(o.conns + 64);
	if ((ca = bench_ca_file()) == NULL) {
		fprintf(stderr, "dlssl bench: %s\n", bench_error());
		return EXIT_TLS;
	}
	memset(&co, 0, sizeof(co));
	co.ca_file = ca;
	co.session_cache = DLSSL_SESSION_CACHE_OFF;
	if ((ctx = dlssl_make_context(&co)) == NULL)
		return cli_fail("client context");
	memset(&lo, 0, sizeof(lo));
	lo.ctx = ctx;
	lo.servername = BENCH_HOST;
	lo.src_addrs = 16;
	lo.timeout_s = 300;
	printf("dlssl bench %s: %s, TLS %s, %s key, %d rounds, libssl %s\n", argv[0],
	    o.idle ? "connections held idle" : "concurrent clients", o.tls[1] == '3' ? "1.3" : "1.2",
	    o.key, o.rounds, dlssl_library_info()->version_text);
	fflush(stdout);
	for (r = 0; r < o.rounds; r++) {
		for (k = 0; k < 2; k++) {
			side = (k + r) % 2;
			if (side == 1 && direct == NULL)
				continue;
			n = 0;
			args[n++] = side ? (char *)direct : self;
			if (!side)
				args[n++] = (char *)"bench";
			args[n++] = (char *)"--serve";
			args[n++] = (char *)"--tls";
			args[n++] = (char *)o.tls;
			args[n++] = (char *)"--key";
			args[n++] = (char *)o.key;
			if (!side && o.libssl != NULL) {
				args[n++] = (char *)"--libssl";
				args[n++] = (char *)o.libssl;
			}
			args[n] = NULL;
			if (start_server(args, o.verbose, &sv) < 0)
				goto fail;
			lo.port = sv.port;
			n = o.idle ? run_idle(&o, &lo, side ? "direct" : "dlssl", &sv, &a[side][r]) :
			    run_conc(&o, &lo, side ? "direct" : "dlssl", &a[side][r], &b[side][r]);
			stop_server(&sv);
			if (n < 0)
				goto fail;
		}
		fprintf(stderr, "dlssl bench: round %d of %d done\n", r + 1, o.rounds);
	}
	if (o.idle) {
		printf("  %ld connections held idle on each server; memory per connection (server "
		    "RSS growth / N):\n", o.conns);
		print_row("bytes per connection", "bytes", median(a[0], o.rounds),
		    direct ? median(a[1], o.rounds) : 0, direct != NULL, "target <= 1.10x");
	} else {
		printf("  %ld clients at once; %ld full handshakes per run; echo %llu bytes each:\n",
		    o.conns, o.handshakes, o.size);
		print_row("full handshakes/s", "/s", median(a[0], o.rounds),
		    direct ? median(a[1], o.rounds) : 0, direct != NULL, "target >= 0.98x");
		print_row("echo throughput", "MB/s", median(b[0], o.rounds),
		    direct ? median(b[1], o.rounds) : 0, direct != NULL, "target >= 0.98x");
	}
	dlssl_ctx_free(ctx);
	return EXIT_OK;
fail:
	dlssl_ctx_free(ctx);
	return EXIT_TLS;
}
#else
typedef int cli_bench_scale_windows_unused; /* ISO C wants something here */
#endif
