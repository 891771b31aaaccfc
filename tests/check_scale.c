/*
 * `dlssl serve` at scale, in its default configuration (event-driven, one
 * worker per CPU, the client limit from the descriptor limit), as a child
 * process; this process is the load generator (tools/loadgen.c: dlssl
 * clients on one non-blocking loop, verified full handshakes).
 *
 * make check (tests/check_scale): 2000 clients, in bursts of 1000
 * connecting at once, each echoing 16 KiB checked byte for byte, all held
 * open at the same time (the server's descriptor count shows all 2000),
 * then closed; three rounds.
 *
 * make check-scale (DLSSL_SCALE_CONNS=10000): 10,000 connections, each
 * echoing 1 KiB, held idle for DLSSL_SCALE_HOLD seconds (default 10), then
 * each echoes again (all still alive), then all close; two rounds.
 *
 * A second case: --handshake-timeout drops a silent client, --idle-timeout
 * closes a quiet one (close_notify) and spares an active one.
 *
 * After every round the server's descriptors come back to exactly their
 * number before the round, this process's too, and the server's resident
 * set comes back to within 2 KiB per connection (at least 4 MiB) of its
 * level before the first round.  Linux only (/proc); the figures are
 * printed.
 */
#include "config.h"

#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "hard_common.h"
#include "loadgen.h"
#include "tls_test.h"

#ifndef HARD_BUILDDIR
#error "HARD_BUILDDIR must name the build tree"
#endif
#define DLSSL_PROGRAM HARD_BUILDDIR "/tools/dlssl"

static long n_conns = 2000;
static int n_rounds = 3;
static size_t payload = 16384;
static int hold_s = 0;
static int scale_mode;

static pid_t server_pid;
static int server_port;
static char server_log[256];

static int
count_fds(pid_t pid)
{
	char path[64];
	struct dirent *d;
	DIR *dir;
	int n = 0;

	snprintf(path, sizeof(path), "/proc/%ld/fd", (long)pid);
	if ((dir = opendir(path)) == NULL)
		return -1;
	while ((d = readdir(dir)) != NULL)
		if (d->d_name[0] != '.')
			n++;
	closedir(dir);
	return n;
}

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
nap(double s)
{
	struct timespec ts;

	ts.tv_sec = (time_t)s;
	ts.tv_nsec = (long)((s - (double)ts.tv_sec) * 1e9);
	nanosleep(&ts, NULL);
}

static char *
read_file(const char *path)
{
	static char buf[8192];
	ssize_t n;
	int fd = open(path, O_RDONLY);

	buf[0] = '\0';
	if (fd < 0)
		return buf;
	n = read(fd, buf, sizeof(buf) - 1);
	buf[n > 0 ? n : 0] = '\0';
	close(fd);
	return buf;
}

/* dlssl serve with its defaults, plus `extra` options (NULL-terminated). */
static void
start_server(const char *const *extra)
{
	const char *argv[24] = { "dlssl", "serve", "--port", "0", "--cert", PKI("ecdsa-chain.pem"),
		"--key", PKI("ecdsa.key") };
	double end = hard_deadline(30);
	const char *log;
	int fd, n = 8;

	while (extra != NULL && *extra != NULL && n < 23)
		argv[n++] = *extra++;
	argv[n] = NULL;
	snprintf(server_log, sizeof(server_log), "/tmp/dlssl-check-scale.%ld.log", (long)getpid());
	ck_assert_int_ge(server_pid = fork(), 0);
	if (server_pid == 0) {
		(void)prctl(PR_SET_PDEATHSIG, SIGKILL);
		if ((fd = open(server_log, O_WRONLY | O_CREAT | O_TRUNC, 0600)) >= 0) {
			dup2(fd, 1);
			dup2(fd, 2);
		}
		execv(DLSSL_PROGRAM, (char *const *)argv);
		_exit(127);
	}
	for (;;) {
		log = read_file(server_log);
		if (sscanf(strstr(log, "listening on ") ? strstr(log, "listening on ") : "",
		    "listening on 127.0.0.1:%d", &server_port) == 1)
			break;
		ck_assert_msg(dlssl_monotonic() < end && waitpid(server_pid, NULL, WNOHANG) == 0,
		    "dlssl serve did not start: %s", log);
		nap(0.05);
	}
	/* The one line about the descriptor limit, before "listening on". */
	ck_assert_msg(strstr(log, "open-file limit (RLIMIT_NOFILE)") != NULL,
	    "dlssl serve did not say what its descriptor limit is: %s", log);
	printf("server: %s", log);
}

static void
stop_server(void)
{
	if (server_pid > 0) {
		kill(server_pid, SIGKILL);
		waitpid(server_pid, NULL, 0);
		unlink(server_log);
	}
	server_pid = 0;
}

/* Wait (bounded) until the server has exactly `want` descriptors. */
static int
server_fds_settle(int want, double seconds)
{
	double end = hard_deadline(seconds);
	int n;

	while ((n = count_fds(server_pid)) != want && dlssl_monotonic() < end)
		nap(0.05);
	return n;
}

static struct loadgen_opts
client_opts(struct dlssl_context *ctx)
{
	struct loadgen_opts o;

	memset(&o, 0, sizeof(o));
	o.ctx = ctx;
	o.servername = "localhost";
	o.port = server_port;
	o.conns = (int)n_conns;
	o.max_connecting = 1000; /* bursts of 1000 clients connecting at once */
	o.payload = payload;
	o.src_addrs = scale_mode ? 16 : 1;
	o.timeout_s = 240 * hard_slowdown();
	return o;
}

START_TEST(serve_under_load)
{
	struct dlssl_context_opts co = { 0 };
	struct dlssl_context *ctx;
	struct loadgen_opts o;
	struct loadgen_stats st;
	struct loadgen *g;
	long rss[8] = { 0 }, peak, rss0, slack = 2 * n_conns > 4096 ? 2 * n_conns : 4096;
	double end;
	int r, fds0, sfds0, sfds, held_fds, fds;
	double t_open;

	co.ca_file = PKI("root-ca.crt");
	co.session_cache = DLSSL_SESSION_CACHE_OFF;
	ctx = dlssl_make_context(&co);
	ck_assert_ptr_nonnull(ctx);
	/* check-scale: opening 10,000 takes minutes; the first must not time out meanwhile. */
	start_server(scale_mode ? (const char *const[]){ "--idle-timeout", "900", NULL } : NULL);
	o = client_opts(ctx);
	/* Warm-up: the first handshakes load what a server keeps for good. */
	o.conns = 20;
	g = loadgen_open(&o, &st);
	ck_assert_msg(st.held == 20, "warm-up: %ld errors; first: %s", st.errors, st.first_error);
	loadgen_close(g, &st);
	o = client_opts(ctx);
	fds0 = hard_count_fds();
	sfds0 = server_fds_settle(-1, 0.5);
	nap(1.5); /* the server gives freed memory back at most once a second */
	rss0 = rss_kib(server_pid);
	for (r = 0; r < n_rounds; r++) {
		g = loadgen_open(&o, &st);
		t_open = st.secs;
		ck_assert_msg(st.errors == 0 && st.held == n_conns,
		    "round %d: %ld of %ld connections made it; %ld errors; first: %s", r + 1, st.held,
		    n_conns, st.errors, st.first_error);
		ck_assert_msg(st.bytes == (unsigned long long)n_conns * payload,
		    "round %d: %llu bytes echoed, wanted %llu", r + 1, st.bytes,
		    (unsigned long long)n_conns * payload);
		/* All of them at once on the server. */
		held_fds = server_fds_settle(sfds0 + (int)n_conns, 10 * hard_slowdown());
		ck_assert_msg(held_fds == sfds0 + n_conns, "round %d: the server has %d descriptors "
		    "with %ld clients connected, %d before", r + 1, held_fds, n_conns, sfds0);
		if (hold_s > 0) {
			nap(hold_s);
			ck_assert_int_eq(count_fds(server_pid), held_fds);
			ck_assert_msg(loadgen_echo(g, payload, &st) == 0 && st.held == n_conns,
			    "round %d: after %d s idle, %ld of %ld connections echoed; first error: %s",
			    r + 1, hold_s, st.held, n_conns, st.first_error);
		}
		peak = rss_kib(server_pid);
		loadgen_close(g, &st);
		ck_assert_msg(st.errors == 0, "round %d: closing: %s", r + 1, st.first_error);
		sfds = server_fds_settle(sfds0, 20 * hard_slowdown());
		fds = hard_count_fds();
		/*
		 * Memory comes back within a few seconds, to 2 KiB per connection of
		 * the start: what the server legitimately keeps is its session cache
		 * (bounded by libssl; about 400 bytes per connection on 1.1.1) and
		 * what the allocator could not give back.
		 */
		for (end = hard_deadline(5); (rss[r] = rss_kib(server_pid)) - rss0 >= slack &&
		    dlssl_monotonic() < end;)
			nap(0.1);
		printf("round %d: %ld connections at once after %.1f s (%.0f handshakes/s), %zu bytes "
		    "each echoed and checked%s; server fds %d -> %d -> %d, RSS %ld -> %ld -> %ld "
		    "KiB; client fds %d -> %d\n", r + 1, n_conns, t_open, n_conns / t_open, payload,
		    hold_s ? " twice around the idle hold" : "", sfds0, held_fds, sfds, rss0, peak,
		    rss[r], fds0, fds);
		fflush(stdout);
		ck_assert_msg(sfds == sfds0, "round %d: the server kept %d descriptors", r + 1,
		    sfds - sfds0);
		ck_assert_msg(fds == fds0, "round %d: the client kept %d descriptors", r + 1, fds - fds0);
		ck_assert_msg(waitpid(server_pid, NULL, WNOHANG) == 0, "dlssl serve exited: %s",
		    read_file(server_log));
		/* A sanitizer's allocator keeps freed memory in quarantine: RSS says nothing there. */
		if (hard_under_sanitizer())
			printf("round %d: RSS not compared (sanitizer build)\n", r + 1);
		else
			ck_assert_msg(rss[r] - rss0 < slack, "round %d: the server's RSS is %ld KiB "
			    "after the clients left, %ld KiB before they came", r + 1, rss[r], rss0);
	}
	stop_server();
	dlssl_ctx_free(ctx);
}
END_TEST

/* Is fd closed by the peer within `seconds`?  1 yes, 0 no. */
static int
closed_within(int fd, double seconds)
{
	struct pollfd p = { fd, POLLIN, 0 };
	char b[256];
	ssize_t n;
	double end = dlssl_monotonic() + seconds;

	while (dlssl_monotonic() < end) {
		if (poll(&p, 1, 100) <= 0)
			continue;
		if ((n = recv(fd, b, sizeof(b), 0)) <= 0)
			return 1;
	}
	return 0;
}

/*
 * Slow or silent clients cannot hold slots: a TCP client that never sends
 * its ClientHello is dropped after --handshake-timeout; a TLS client that
 * goes quiet is closed (close_notify) after --idle-timeout; an active one
 * is not.
 */
START_TEST(timeouts)
{
	struct dlssl_context_opts co = { 0 };
	struct dlssl_stream_opts so = { 0 };
	struct dlssl_context *ctx;
	struct dlssl_stream *s;
	double t0;
	char b[16];
	int fd, i;

	start_server((const char *const[]){ "--handshake-timeout", "1", "--idle-timeout", "2",
	    "--workers", "1", NULL });
	fd = hard_connect(server_port, 5);
	ck_assert_int_ge(fd, 0);
	t0 = dlssl_monotonic();
	ck_assert_msg(closed_within(fd, 6), "a silent client was not dropped");
	ck_assert_msg(dlssl_monotonic() - t0 > 0.8, "dropped too early: %.2f s",
	    dlssl_monotonic() - t0);
	close(fd);
	co.ca_file = PKI("root-ca.crt");
	ctx = dlssl_make_context(&co);
	ck_assert_ptr_nonnull(ctx);
	so.context = ctx;
	so.hostname = "localhost";
	so.close_fd = 1;
	fd = hard_connect(server_port, 5);
	s = dlssl_make_client_stream(dlssl_transport_fd(fd), &so);
	ck_assert_ptr_nonnull(s);
	ck_assert_int_eq(dlssl_handshake(s), 0);
	/* Active for 3 s (longer than the idle timeout): still served. */
	for (i = 0; i < 6; i++) {
		ck_assert_int_eq(dlssl_write(s, "ping", 4), 4);
		ck_assert_int_eq(dlssl_flush(s), 0);
		ck_assert_int_eq(dlssl_read_fully(s, b, 4), 4);
		nap(0.5);
	}
	/* Then quiet (since the last echo, 0.5 s ago): the server says goodbye with close_notify. */
	t0 = dlssl_monotonic() - 0.5;
	ck_assert_int_eq(dlssl_read(s, b, sizeof(b)), 0);
	ck_assert_msg(dlssl_monotonic() - t0 > 1.8 && dlssl_monotonic() - t0 < 6,
	    "the idle client was closed after %.2f s", dlssl_monotonic() - t0);
	dlssl_stream_free(s);
	dlssl_ctx_free(ctx);
	ck_assert_msg(waitpid(server_pid, NULL, WNOHANG) == 0, "dlssl serve exited");
	stop_server();
}
END_TEST

static void
teardown(void)
{
	stop_server();
}

static Suite *
scale_suite(void)
{
	Suite *s = suite_create("scale");
	TCase *tc = tcase_create("serve");

	tcase_add_checked_fixture(tc, NULL, teardown);
	tcase_set_timeout(tc, scale_mode ? 1500 : 600);
	tcase_add_test(tc, serve_under_load);
	suite_add_tcase(s, tc);
	if (!scale_mode) {
		tc = tcase_create("timeouts");
		tcase_add_checked_fixture(tc, NULL, teardown);
		tcase_set_timeout(tc, 60);
		tcase_add_test(tc, timeouts);
		suite_add_tcase(s, tc);
	}
	return s;
}

int
main(void)
{
	const char *e;

	if ((e = getenv("DLSSL_SCALE_CONNS")) != NULL && atol(e) > 0) {
		n_conns = atol(e);
		scale_mode = n_conns > 2000;
	}
	if (scale_mode) {
		n_rounds = 2;
		payload = 1024;
		hold_s = 10;
	}
	if ((e = getenv("DLSSL_SCALE_HOLD")) != NULL && atoi(e) >= 0)
		hold_s = atoi(e);
	if (hard_under_valgrind() || hard_under_sanitizer()) {
		n_conns = n_conns > 200 ? 200 : n_conns;
		n_rounds = 2;
	}
	if (access(DLSSL_PROGRAM, X_OK) != 0) {
		printf("SKIP: %s was not built\n", DLSSL_PROGRAM);
		return 77;
	}
	hard_need_fds(n_conns, n_conns + 128);
	return tt_main(scale_suite);
}
