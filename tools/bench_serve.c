/*
 * `dlssl bench --serve` and `dlssl-bench-direct --serve`: the event-driven
 * echo server of tools/serve_loop.c over one bench engine, configured as
 * the other workloads configure it (tools/bench_harness.h), on 127.0.0.1
 * and a free port.  The driver (tools/bench_scale.c) starts one of each,
 * measures them and kills them.
 */
#include "config.h"

#ifndef _WIN32
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_harness.h"
#include "net.h"
#include "serve_loop.h"

int
bench_serve_main(const struct bench_engine *e, int argc, char **argv)
{
	struct bench_case c;
	struct serve_cfg cfg;
	struct bench_ctx *x;
	char where[CLI_HOST_MAX + CLI_PORT_MAX + 4];
	int i, lfd;

	memset(&c, 0, sizeof(c));
	memset(&cfg, 0, sizeof(cfg));
	c.workload = BW_MEMORY;
	c.tls = 13;
	cfg.workers = 1;
	for (i = 0; i < argc; i++) {
		const char *v = i + 1 < argc ? argv[i + 1] : "";

		if (strcmp(argv[i], "--tls") == 0 && (strcmp(v, "12") == 0 || strcmp(v, "13") == 0))
			c.tls = atoi(v);
		else if (strcmp(argv[i], "--key") == 0 && (strcmp(v, "rsa") == 0 || strcmp(v, "ecdsa") == 0))
			c.key = strcmp(v, "rsa") == 0 ? BK_RSA : BK_ECDSA;
		else if (strcmp(argv[i], "--workers") == 0 && atoi(v) >= 1 && atoi(v) <= 256)
			cfg.workers = atoi(v);
		else if (strcmp(argv[i], "--libssl") == 0 && v[0] != '\0')
			c.libssl = v;
		else {
			fprintf(stderr, "%s --serve: bad option '%s'\n", e->name, argv[i]);
			return 1;
		}
		i++;
	}
	if (e->init(&c) < 0 || (x = e->ctx_new(&c, 1)) == NULL) {
		fprintf(stderr, "%s --serve: %s\n", e->name, bench_error());
		return 4;
	}
	cfg.name = e->name;
	cfg.tls = e->serve;
	cfg.ctx = e->serve_ctx(x, &c);
	cfg.max_clients = serve_fd_capacity(e->name, 16 + 2L * cfg.workers);
	if ((lfd = cli_tcp_listen("bench", "127.0.0.1", "0", 4096, where, sizeof(where))) < 0)
		return 4;
	cfg.lfd = lfd;
	printf("listening on %s\n", where);
	fflush(stdout);
	return serve_loop_run(&cfg);
}
#else
typedef int cli_bench_serve_windows_unused; /* ISO C wants something here */
#endif
