/*
 * The report of `dlssl bench` (tools/bench_report.c): the driver's options
 * and results, medians, ratios, targets, the table and --json.
 */
#include "config.h"

/* `dlssl bench` is not available on Windows (tools/cmd_bench.c): nothing here. */
#ifndef _WIN32

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_harness.h"
#include "bench_report.h"
#include "json.h"

const char *const bench_net_names[2] = { "socketpair", "tcp" };
const char *const bench_transport_names[2] = { "fd", "io" };
const char *const bench_tls_names[2] = { "1.3", "1.2" };
const char *const bench_cipher_names[2] = { "default", "aes128" };

/* One TLS record at most: 2^14 bytes of plaintext plus the TLS 1.3/1.2 expansion (RFC 8446 5.2). */
#define RECORD_MAX (16384 + 256 + 5)

/* The value of key in an "ok k=v ..." line: a number (NaN when missing). */
static double
field(const char *line, const char *key)
{
	size_t n = strlen(key);
	const char *p = line;
	char *end;
	double v;

	while (p != NULL && (p = strstr(p, key)) != NULL) {
		if (p > line && p[-1] == ' ' && p[n] == '=') {
			v = strtod(p + n + 1, &end);
			if (end != p + n + 1)
				return v;
		}
		p += n;
	}
	return 0.0 / 0.0;
}

/* A string field ("version", "cipher", "library"), into buf. */
const char *
bench_field_str(const char *line, const char *key, char *buf, size_t len)
{
	size_t n = strlen(key), k = 0;
	const char *p = line;
	char stop = ' ';

	buf[0] = '\0';
	while (p != NULL && (p = strstr(p, key)) != NULL) {
		if (p > line && p[-1] == ' ' && p[n] == '=')
			break;
		p += n;
	}
	if (p == NULL)
		return buf;
	p += n + 1;
	if (*p == '"') {
		stop = '"';
		p++;
	}
	while (*p && *p != stop && k + 1 < len)
		buf[k++] = *p++;
	buf[k] = '\0';
	return buf;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Median of a field over one side's samples (NaN when none). */
static double
median(const struct bench_row *c, int side, const char *key)
{
	double v[ROUNDS_MAX];
	int i, n = 0;

	for (i = 0; i < c->n[side]; i++) {
		v[n] = field(c->line[side][i], key);
		if (v[n] == v[n])
			n++;
	}
	if (n == 0)
		return 0.0 / 0.0;
	qsort(v, (size_t)n, sizeof(v[0]), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* The best sample of a side: the highest rate, or the lowest time or size (lower_better). */
static double
best(const struct bench_row *c, int side, const char *key, int lower_better)
{
	double b = 0.0 / 0.0, x;
	int i;

	for (i = 0; i < c->n[side]; i++) {
		x = field(c->line[side][i], key);
		if (x == x && (b != b || (lower_better ? x < b : x > b)))
			b = x;
	}
	return b;
}

/* ---- targets (DESIGN.md "Performance") ---- */

struct target {
	const char *text;   /* e.g. ">= 0.97" */
	int met;            /* 1 met, 0 missed, -1 not applicable / unknown */
};

static struct target
target_for(const struct bench_row *c, double ratio, double dl_bind_ns, double extra_per_stream)
{
	struct target t = { "", -1 };

	switch (c->w) {
	case BW_BULK:
		t.text = c->transport == BT_FD ? ">= 0.97" : ">= 0.90";
		if (ratio == ratio)
			t.met = ratio >= (c->transport == BT_FD ? 0.97 : 0.90);
		break;
	case BW_FULL:
	case BW_RESUME:
		t.text = ">= 0.98";
		if (ratio == ratio)
			t.met = ratio >= 0.98;
		break;
	case BW_SMALL:
		t.text = "> 1";
		if (ratio == ratio)
			t.met = ratio > 1.0;
		break;
	case BW_LOAD:
		t.text = "bind < 1 ms";
		if (dl_bind_ns == dl_bind_ns)
			t.met = dl_bind_ns < 1e6;
		break;
	case BW_MEMORY:
		t.text = "+<= 1 record/direction";
		if (extra_per_stream == extra_per_stream)
			t.met = extra_per_stream <= 2.0 * RECORD_MAX;
		break;
	case BW_PINGPONG:
	case BW_COUNT_:
		break;
	}
	return t;
}

/* ---- report ---- */

static const char *
tls_text(const struct bench_row *c)
{
	return c->tls ? "1.2" : "1.3";
}

static void
describe(const struct bench_opts *o, const struct bench_row *c, char *buf, size_t len)
{
	switch (c->w) {
	case BW_BULK:
		if (o->size % (1ULL << 30) == 0)
			snprintf(buf, len, "bulk %lluG", o->size >> 30);
		else if (o->size % (1ULL << 20) == 0)
			snprintf(buf, len, "bulk %lluM", o->size >> 20);
		else
			snprintf(buf, len, "bulk %llu", o->size);
		break;
	case BW_FULL:
		snprintf(buf, len, "handshake full");
		break;
	case BW_RESUME:
		snprintf(buf, len, "handshake resumed");
		break;
	case BW_SMALL:
		snprintf(buf, len, "small %zuB/%lu", o->piece, o->flush_every);
		break;
	case BW_PINGPONG:
		snprintf(buf, len, "pingpong %zuB", o->piece);
		break;
	case BW_LOAD:
		snprintf(buf, len, "load, exec..exit");
		break;
	case BW_MEMORY:
		snprintf(buf, len, "memory x%lu", o->conns);
		break;
	case BW_COUNT_:
		buf[0] = '\0';
		break;
	}
}

/* Lower is better for loading time and memory; higher for every rate. */
static int
lower_better(const struct bench_row *c)
{
	return c->w == BW_LOAD || c->w == BW_MEMORY;
}

/* The ratio of the two sides' best samples: on a busy machine, interference only slows runs down. */
static double
best_ratio(const struct bench_env *v, const struct bench_row *c)
{
	const char *key = c->w == BW_LOAD ? "wall_ms" : "value";

	if (v->direct == NULL)
		return 0.0 / 0.0;
	return best(c, 0, key, lower_better(c)) / best(c, 1, key, lower_better(c));
}

static double
ratio_of(const struct bench_env *v, const struct bench_row *c, double *dl, double *dx)
{
	/* Loading: the whole fresh process, exec to exit (the direct side's libssl is mapped by ld.so). */
	const char *key = c->w == BW_LOAD ? "wall_ms" : "value";

	*dl = median(c, 0, key);
	*dx = v->direct ? median(c, 1, key) : 0.0 / 0.0;
	return *dl / *dx;
}

/* Memory: dlssl's extra heap per stream (two streams per connection). */
static double
extra_per_stream(const struct bench_row *c)
{
	return (median(c, 0, "heap_idle") - median(c, 1, "heap_idle")) / 2;
}

static void
print_row(const struct bench_env *v, const struct bench_row *c)
{
	char what[64], cipher[64], unit[16], dxs[32], rs[16], cs[16], bs[16];
	double dl, dx, r = ratio_of(v, c, &dl, &dx), cpu, br = best_ratio(v, c);
	struct target t;

	describe(v->o, c, what, sizeof(what));
	if (c->n[0] > 0) {
		bench_field_str(c->line[0][0], "cipher", cipher, sizeof(cipher));
		bench_field_str(c->line[0][0], "unit", unit, sizeof(unit));
	} else {
		snprintf(cipher, sizeof(cipher), "%s", bench_cipher_names[c->aes128]);
		unit[0] = '\0';
	}
	if (c->w == BW_LOAD)
		snprintf(cipher, sizeof(cipher), "-");
	t = target_for(c, r, median(c, 0, "bind_ns"), extra_per_stream(c));
	if (v->o->quick)
		t.met = -1; /* one round of tiny runs: no verdict */
	/* CPU time for the same work: direct / dlssl, so higher is better as for the ratio. */
	cpu = median(c, 1, "cpu") / median(c, 0, "cpu");
	snprintf(dxs, sizeof(dxs), dx == dx ? "%.6g" : "-", dx);
	snprintf(rs, sizeof(rs), r == r ? "%.3f" : "-", r);
	snprintf(cs, sizeof(cs), cpu == cpu && v->direct ? "%.3f" : "-", cpu);
	snprintf(bs, sizeof(bs), br == br ? "%.3f" : "-", br);
	printf("%-17s %-10s %-2s %-3s %-29s %10.6g %10s %6s %6s %6s  %-6s %s%s%s%s\n", what,
	    c->w == BW_LOAD ? "-" : bench_net_names[c->net], c->w == BW_LOAD ? "-" :
	    bench_transport_names[c->transport], c->w == BW_LOAD ? "-" : tls_text(c), cipher, dl, dxs, rs,
	    bs, cs, unit, t.text, t.met == 1 ? " ok" : t.met == 0 ? " MISSED" : "",
	    c->error[0] ? "  dlssl failed: " : c->error[1] ? "  direct failed: " : "",
	    c->error[0] ? c->error[0] : c->error[1] ? c->error[1] : "");
}

static void
print_details(const struct bench_env *v, const struct bench_row *cs, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		const struct bench_row *c = &cs[i];

		if (c->w == BW_LOAD && c->n[0] > 0) {
			printf("\nload (medians of %d fresh processes each):\n", c->n[0]);
			printf("  dlssl:  dlssl_ensure_initialized %.3f ms: load_ns %.0f, of which bind_ns %.0f "
			    "(after the dynamic linker); RSS %+.0f KiB, mapped %+.0f KiB, process RSS %.0f KiB; "
			    "exec to exit %.2f ms\n", median(c, 0, "value"), median(c, 0, "load_ns"),
			    median(c, 0, "bind_ns"), median(c, 0, "rss_delta_kb"),
			    median(c, 0, "vm_delta_kb"), median(c, 0, "rss_kb"), median(c, 0, "wall_ms"));
			if (v->direct && c->n[1] > 0)
				printf("  direct: libssl linked (the dynamic linker maps it before main); "
				    "OPENSSL_init_ssl %.3f ms; process RSS %.0f KiB; exec to exit %.2f ms\n",
				    median(c, 1, "value"), median(c, 1, "rss_kb"), median(c, 1, "wall_ms"));
		}
		if (c->w == BW_PINGPONG && c->n[0] > 0) {
			if (i == 0 || cs[i - 1].w != BW_PINGPONG)
				printf("\npingpong latency (microseconds per round trip, medians; dlssl / direct):\n");
			printf("  %-10s %-2s %-3s %-7s %8.2f / %8.2f\n", bench_net_names[c->net],
			    bench_transport_names[c->transport], tls_text(c), bench_cipher_names[c->aes128],
			    median(c, 0, "us_per_rt"), median(c, 1, "us_per_rt"));
		}
		if (c->w == BW_MEMORY && c->n[0] > 0) {
			if (i == 0 || cs[i - 1].w != BW_MEMORY)
				printf("\nmemory per connection (client and server stream, both in this "
				    "process; %lu connections; bytes):\n"
				    "  %-3s %-3s %-28s %-28s %-28s %-28s\n", v->o->conns, "", "",
				    "heap idle dlssl/direct", "RSS idle dlssl/direct",
				    "heap after 1 msg dlssl/direct", "RSS after 1 msg dlssl/direct");
			printf("  %-3s %-3s %12.0f /%12.0f  %12.0f /%12.0f  %12.0f /%12.0f  %12.0f /%12.0f\n",
			    bench_transport_names[c->transport], tls_text(c),
			    median(c, 0, "heap_idle"), median(c, 1, "heap_idle"),
			    median(c, 0, "rss_idle"), median(c, 1, "rss_idle"),
			    median(c, 0, "heap_used"), median(c, 1, "heap_used"),
			    median(c, 0, "rss_used"), median(c, 1, "rss_used"));
		}
	}
}

void
bench_print_text(const struct bench_env *v, const struct bench_row *cs, size_t n)
{
	size_t i;

	printf("dlssl bench: %d round%s, each run in a fresh process, dlssl and direct alternating; "
	    "medians%s\n", v->o->rounds, v->o->rounds == 1 ? "" : "s",
	    v->o->quick ? " (--quick: tiny runs, no verdict on the targets)" : "");
	printf("dlssl:  %s\n", v->dl_library[0] ? v->dl_library : "?");
	if (v->direct)
		printf("direct: %s (%s)\n", v->dx_library[0] ? v->dx_library : "?", v->direct);
	else
		printf("direct: none (%s)\n", v->direct_note);
	printf("ratio = dlssl / direct of the medians (higher is better; load and memory: lower\n"
	    "is better); best = the same of each side's best run; cpu = direct's CPU time /\n"
	    "dlssl's for the same work (higher is better).  On a busy machine, trust best and\n"
	    "cpu more than ratio.\n\n");
	printf("%-17s %-10s %-2s %-3s %-29s %10s %10s %6s %6s %6s  %-6s %s\n", "workload", "net", "io",
	    "tls", "cipher", "dlssl", "direct", "ratio", "best", "cpu", "unit", "target");
	for (i = 0; i < n; i++)
		print_row(v, &cs[i]);
	print_details(v, cs, n);
}

static void
json_num(FILE *f, int *first, const char *key, double x)
{
	json_key(f, first, key);
	if (x == x)
		fprintf(f, "%.10g", x);
	else
		fputs("null", f);
}

/* Every numeric field of a side's lines, as medians. */
static void
json_side(const struct bench_row *c, int side)
{
	static const char *const keys[] = {
		"value", "secs", "cpu", "bytes", "pieces_per_s", "us_per_rt", "us_per_hs", "reused",
		"heap_idle", "rss_idle", "heap_used", "rss_used", "init_ns", "load_ns", "bind_ns",
		"rss_kb", "rss_delta_kb", "vm_delta_kb", "wall_ms"
	};
	char buf[256];
	size_t k;
	int i, first = 1;

	printf("{");
	json_key(stdout, &first, "samples");
	printf("[");
	for (i = 0; i < c->n[side]; i++)
		printf("%s%.6g", i ? "," : "", field(c->line[side][i], "value"));
	printf("]");
	for (k = 0; k < sizeof(keys) / sizeof(keys[0]); k++) {
		double m = median(c, side, keys[k]);

		if (m == m)
			json_num(stdout, &first, keys[k], m);
	}
	if (c->n[side] > 0) {
		json_kv_str(stdout, &first, "version", bench_field_str(c->line[side][0], "version", buf,
		    sizeof(buf)));
		json_kv_str(stdout, &first, "cipher", bench_field_str(c->line[side][0], "cipher", buf,
		    sizeof(buf)));
	}
	json_kv_str(stdout, &first, "error", c->error[side]);
	printf("}");
}

void
bench_print_json(const struct bench_env *v, const struct bench_row *cs, size_t n)
{
	char what[64], unit[16];
	size_t i;
	int first = 1, f2;

	printf("{");
	json_kv_str(stdout, &first, "dlssl_library", v->dl_library);
	json_kv_str(stdout, &first, "direct_library", v->direct ? v->dx_library : NULL);
	json_kv_str(stdout, &first, "direct_program", v->direct);
	json_kv_num(stdout, &first, "rounds", (unsigned long)v->o->rounds);
	json_key(stdout, &first, "results");
	printf("[");
	for (i = 0; i < n; i++) {
		const struct bench_row *c = &cs[i];
		double dl, dx, r = ratio_of(v, c, &dl, &dx);
		struct target t = target_for(c, r, median(c, 0, "bind_ns"), extra_per_stream(c));

		if (v->o->quick)
			t.met = -1;

		describe(v->o, c, what, sizeof(what));
		f2 = 1;
		printf("%s{", i ? "," : "");
		json_kv_str(stdout, &f2, "workload", bench_workload_name(c->w));
		json_kv_str(stdout, &f2, "label", what);
		if (c->w != BW_LOAD) {
			json_kv_str(stdout, &f2, "net", bench_net_names[c->net]);
			json_kv_str(stdout, &f2, "transport", bench_transport_names[c->transport]);
			json_kv_str(stdout, &f2, "tls", tls_text(c));
			json_kv_str(stdout, &f2, "cipher", bench_cipher_names[c->aes128]);
		}
		json_kv_str(stdout, &f2, "unit", c->n[0] ? bench_field_str(c->line[0][0], "unit", unit,
		    sizeof(unit)) : NULL);
		json_key(stdout, &f2, "dlssl");
		json_side(c, 0);
		if (v->direct) {
			json_key(stdout, &f2, "direct");
			json_side(c, 1);
		}
		json_num(stdout, &f2, "ratio", r);
		json_num(stdout, &f2, "best_ratio", best_ratio(v, c));
		json_num(stdout, &f2, "cpu_ratio", v->direct ? median(c, 1, "cpu") / median(c, 0, "cpu") :
		    0.0 / 0.0);
		if (c->w == BW_MEMORY)
			json_num(stdout, &f2, "extra_heap_per_stream", extra_per_stream(c));
		json_kv_str(stdout, &f2, "target", t.text[0] ? t.text : NULL);
		json_key(stdout, &f2, "met");
		printf("%s", t.met == 1 ? "true" : t.met == 0 ? "false" : "null");
		printf("}");
	}
	printf("]}\n");
}
#else
typedef int cli_bench_windows_unused; /* ISO C wants something here */
#endif
