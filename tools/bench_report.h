/* `dlssl bench`: what the driver (tools/cmd_bench.c) hands the report (tools/bench_report.c). */
#ifndef DLSSL_TOOLS_BENCH_REPORT_H
#define DLSSL_TOOLS_BENCH_REPORT_H

#include <stddef.h>

#include "bench_harness.h"

#define ROUNDS_MAX 101
#define SIDES 2 /* 0 dlssl, 1 direct */

/* What the user asked for. */
struct bench_opts {
	unsigned workloads;  /* bits of the driver's workload groups */
	int rounds;
	unsigned long long size;
	size_t chunk;
	unsigned long handshakes, pieces, round_trips, conns;
	size_t piece;
	unsigned long flush_every;
	unsigned nets, transports, tlss, ciphers; /* bit sets over the name lists below */
	int nets_given;
	const char *key;
	int json, quick, verbose, no_direct, no_pin;
	unsigned timeout;
	const char *direct;
	const char *libssl;
};

/* One case and its samples. */
struct bench_row {
	enum bench_workload w;
	int net, transport, tls, aes128; /* indexes into the name lists below */
	char *line[SIDES][ROUNDS_MAX];   /* the children's "ok ..." lines */
	int n[SIDES];
	char *error[SIDES];              /* the first failure of each side, or NULL */
};

/* The run as a whole. */
struct bench_env {
	const struct bench_opts *o;
	const char *direct;      /* the baseline program, NULL: dlssl only */
	char dl_library[256], dx_library[256];
	char direct_note[256];   /* why there is no baseline */
};

extern const char *const bench_net_names[2];
extern const char *const bench_transport_names[2];
extern const char *const bench_tls_names[2];
extern const char *const bench_cipher_names[2];

/* A string field of a child's line ("version", "cipher", "unit", "library") into buf. */
const char *bench_field_str(const char *line, const char *key, char *buf, size_t len);
/* The table (with the load, latency and memory details), or --json. */
void bench_print_text(const struct bench_env *v, const struct bench_row *rows, size_t n);
void bench_print_json(const struct bench_env *v, const struct bench_row *rows, size_t n);

#endif
