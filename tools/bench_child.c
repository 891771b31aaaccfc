/*
 * One benchmark child process (see bench_harness.h): its command line, the
 * result line, errors, the built-in PKI and the callback transport.  Shared
 * by the dlssl program (`dlssl bench --child`) and bench/dlssl-bench-direct.
 */
#include "config.h"

/* `dlssl bench` is not available on Windows (tools/cmd_bench.c): nothing here. */
#ifndef _WIN32

#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "bench_harness.h"
#include "bench_pki.h"
#include "sys.h"

/* ---- errors ---- */

static _Thread_local char err_buf[400];

void
bench_set_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err_buf, sizeof(err_buf), fmt, ap);
	va_end(ap);
}

const char *
bench_error(void)
{
	return err_buf[0] ? err_buf : "failed";
}

/* ---- the built-in PKI ---- */

const char *
bench_pem_chain(enum bench_key k)
{
	return k == BK_ECDSA ? bench_pki_ecdsa_chain : bench_pki_rsa_chain;
}

const char *
bench_pem_key(enum bench_key k)
{
	return k == BK_ECDSA ? bench_pki_ecdsa_key : bench_pki_rsa_key;
}

static char ca_path[64];

static void
remove_ca(void)
{
	if (ca_path[0])
		(void)unlink(ca_path);
}

const char *
bench_ca_file(void)
{
	const char *tmp = cli_getenv("TMPDIR");
	size_t n = sizeof(bench_pki_root) - 1;
	int fd;

	if (ca_path[0])
		return ca_path;
	if (tmp == NULL || tmp[0] != '/' || strlen(tmp) > sizeof(ca_path) - 24)
		tmp = "/tmp";
	snprintf(ca_path, sizeof(ca_path), "%s/dlssl-bench-XXXXXX", tmp);
	if ((fd = mkstemp(ca_path)) < 0) {
		bench_set_error("cannot make a temporary file %s: %s", ca_path, cli_strerror(errno));
		ca_path[0] = '\0';
		return NULL;
	}
	atexit(remove_ca);
	if (write(fd, bench_pki_root, n) != (ssize_t)n) {
		bench_set_error("cannot write %s: %s", ca_path, cli_strerror(errno));
		close(fd);
		return NULL;
	}
	close(fd);
	return ca_path;
}

/* ---- the callback transport ---- */

long
bench_io_read(void *handle, void *buf, size_t len)
{
	return (long)read(*(int *)handle, buf, len);
}

long
bench_io_write(void *handle, const void *buf, size_t len)
{
	return (long)cli_send(*(int *)handle, buf, len, MSG_NOSIGNAL);
}

/* ---- the child's command line ---- */

static const char *const workload_names[BW_COUNT_] = {
	"bulk", "handshake-full", "handshake-resume", "small", "pingpong", "load", "memory"
};

const char *
bench_workload_name(enum bench_workload w)
{
	return (unsigned)w < BW_COUNT_ ? workload_names[w] : "?";
}

int
bench_workload_parse(const char *s)
{
	int i;

	for (i = 0; i < BW_COUNT_; i++)
		if (strcmp(s, workload_names[i]) == 0)
			return i;
	return -1;
}

int
bench_parse_size(const char *s, unsigned long long *out)
{
	char *end;
	unsigned long long v, m = 1;

	if (s == NULL || *s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno != 0)
		return -1;
	switch (*end) {
	case 'k': case 'K':
		m = 1024ULL;
		end++;
		break;
	case 'm': case 'M':
		m = 1024ULL * 1024;
		end++;
		break;
	case 'g': case 'G':
		m = 1024ULL * 1024 * 1024;
		end++;
		break;
	}
	if (*end != '\0' || (v != 0 && m > ULLONG_MAX / v))
		return -1;
	*out = v * m;
	return 0;
}

static int
parse_child(int argc, char **argv, struct bench_case *c)
{
	unsigned long long v;
	int i, w;

	memset(c, 0, sizeof(*c));
	c->tls = 13;
	c->chunk = 16384;
	c->size = 64ULL << 20;
	c->count = 100;
	c->piece = 100;
	c->flush_every = 100;
	c->timeout = 300;
	if (argc < 1 || (w = bench_workload_parse(argv[0])) < 0)
		return -1;
	c->workload = (enum bench_workload)w;
	for (i = 1; i + 1 < argc; i += 2) {
		const char *k = argv[i], *a = argv[i + 1];

		if (strcmp(k, "--libssl") == 0) {
			c->libssl = a;
			continue;
		}
		if (strcmp(k, "--net") == 0) {
			if (strcmp(a, "socketpair") != 0 && strcmp(a, "tcp") != 0)
				return -1;
			c->net = strcmp(a, "tcp") == 0 ? BN_TCP : BN_SOCKETPAIR;
			continue;
		}
		if (strcmp(k, "--transport") == 0) {
			if (strcmp(a, "fd") != 0 && strcmp(a, "io") != 0)
				return -1;
			c->transport = strcmp(a, "io") == 0 ? BT_IO : BT_FD;
			continue;
		}
		if (strcmp(k, "--cipher") == 0) {
			if (strcmp(a, "default") != 0 && strcmp(a, "aes128") != 0)
				return -1;
			c->aes128 = strcmp(a, "aes128") == 0;
			continue;
		}
		if (strcmp(k, "--key") == 0) {
			if (strcmp(a, "rsa") != 0 && strcmp(a, "ecdsa") != 0)
				return -1;
			c->key = strcmp(a, "ecdsa") == 0 ? BK_ECDSA : BK_RSA;
			continue;
		}
		if (bench_parse_size(a, &v) < 0)
			return -1;
		if (strcmp(k, "--tls") == 0 && (v == 12 || v == 13))
			c->tls = (int)v;
		else if (strcmp(k, "--size") == 0 && v > 0)
			c->size = v;
		else if (strcmp(k, "--chunk") == 0 && v > 0 && v <= (1U << 24))
			c->chunk = (size_t)v;
		else if (strcmp(k, "--count") == 0 && v > 0 && v <= 100000000)
			c->count = (unsigned long)v;
		else if (strcmp(k, "--piece") == 0 && v > 0 && v <= (1U << 20))
			c->piece = (size_t)v;
		else if (strcmp(k, "--flush-every") == 0 && v > 0 && v <= 100000000)
			c->flush_every = (unsigned long)v;
		else if (strcmp(k, "--timeout") == 0 && v > 0 && v <= 86400)
			c->timeout = (unsigned)v;
		else if (strcmp(k, "--pin") == 0 && v <= 1)
			c->pin = (int)v;
		else
			return -1;
	}
	return i == argc ? 0 : -1;
}

int
bench_child_main(const struct bench_engine *e, int argc, char **argv)
{
	struct bench_case c;
	char out[1024] = "";

	if (parse_child(argc, argv, &c) < 0) {
		fprintf(stderr, "%s: bad benchmark case (WORKLOAD [--net socketpair|tcp] "
		    "[--transport fd|io] [--tls 12|13] [--cipher default|aes128] [--key rsa|ecdsa] "
		    "[--size N] [--chunk N] [--count N] [--piece N] [--flush-every N] [--timeout S] "
		    "[--pin 0|1] [--libssl PATH])\n", e->name);
		return 1;
	}
	signal(SIGPIPE, SIG_IGN);
	alarm(c.timeout);
	if (bench_run(e, &c, out, sizeof(out)) == 0)
		printf("ok %s library=\"%s\"\n", out, e->library());
	else
		printf("error %s\n", bench_error());
	fflush(stdout);
	return 0;
}
#else
typedef int cli_bench_windows_unused; /* ISO C wants something here */
#endif
