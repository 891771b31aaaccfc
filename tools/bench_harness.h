/*
 * The benchmark workloads of `dlssl bench`, written once against a small
 * engine interface.  Two engines run them: dlssl's public API
 * (tools/bench_dlssl.c, inside the dlssl program) and libssl called
 * directly (bench/direct.c, the separate program bench/dlssl-bench-direct,
 * built only when configure found OpenSSL's headers).  So both sides run
 * the same loops, buffers, sockets and threads, and differ only in the
 * TLS calls.
 *
 * This file and tools/bench_harness.c include neither dlssl.h nor any
 * OpenSSL header.
 *
 * One measurement is one process: `dlssl bench --child ARGS` or
 * `dlssl-bench-direct ARGS` runs one case and prints one line,
 *   ok KEY=VALUE ...      (value= is the case's figure, unit= its unit)
 *   error MESSAGE
 * and the driver (tools/cmd_bench.c) runs them alternately, round after
 * round.
 */
#ifndef DLSSL_TOOLS_BENCH_HARNESS_H
#define DLSSL_TOOLS_BENCH_HARNESS_H

#include <stddef.h>

/* Workloads one child process can run. */
enum bench_workload {
	BW_BULK,      /* one direction, --size bytes in --chunk writes */
	BW_FULL,      /* full handshakes per second, no resumption */
	BW_RESUME,    /* resumed handshakes per second */
	BW_SMALL,     /* --piece-byte writes, flushed every --flush-every */
	BW_PINGPONG,  /* --piece-byte request, same-size response */
	BW_LOAD,      /* loading the TLS library, in this fresh process */
	BW_MEMORY,    /* heap and RSS per idle established connection */
	BW_COUNT_
};

enum bench_net { BN_SOCKETPAIR, BN_TCP };
enum bench_transport { BT_FD, BT_IO };
enum bench_key { BK_RSA, BK_ECDSA };

/* One case, as the child's command line gives it. */
struct bench_case {
	enum bench_workload workload;
	enum bench_net net;
	enum bench_transport transport;
	int tls;                  /* 12 or 13 */
	int aes128;               /* 0: the library's default suites; 1: AES-128-GCM */
	enum bench_key key;
	unsigned long long size;  /* bulk bytes */
	size_t chunk;             /* bulk write (and read) size */
	unsigned long count;      /* handshakes, pieces, round trips, connections */
	size_t piece;             /* small / pingpong message size */
	unsigned long flush_every; /* small: flush after this many pieces */
	unsigned timeout;         /* seconds before the child gives up (alarm) */
	int pin;                  /* client on the first allowed CPU, server on the second */
	const char *libssl;       /* dlssl engine: --libssl PATH */
};

/* What an engine gives the workloads.  Opaque to the harness. */
struct bench_ctx;
struct bench_conn;

struct bench_engine {
	const char *name;
	/* Load and initialise the TLS library.  0, or -1 with bench_set_error(). */
	int (*init)(const struct bench_case *c);
	/* After init: the library's version text; for BW_LOAD, extra k=v text. */
	const char *(*library)(void);
	void (*load_report)(char *buf, size_t len);
	/* A context for the case; session caching for BW_RESUME only. */
	struct bench_ctx *(*ctx_new)(const struct bench_case *c, int server);
	void (*ctx_free)(struct bench_ctx *x);
	/*
	 * A connection over fd (which it owns from now on, also on failure:
	 * closed), handshake done.  Over BT_IO the engine's callbacks are
	 * bench_io_read / bench_io_write on the fd.  NULL on failure.
	 */
	struct bench_conn *(*conn_new)(struct bench_ctx *x, int fd, enum bench_transport t, int server);
	/* All of len, or -1. */
	long (*write)(struct bench_conn *k, const void *buf, size_t len);
	/* Push out what write buffered: 0 or -1 (a no-op where writes are not buffered). */
	int (*flush)(struct bench_conn *k);
	/* At least one byte, 0 at the end, -1 on error. */
	long (*read)(struct bench_conn *k, void *buf, size_t len);
	/* 1 if the handshake resumed a session. */
	int (*reused)(struct bench_conn *k);
	/* Negotiated protocol and cipher names. */
	const char *(*version)(struct bench_conn *k);
	const char *(*cipher)(struct bench_conn *k);
	/* close_notify, free, close the fd. */
	void (*close)(struct bench_conn *k);
	/*
	 * The event-driven echo server of `dlssl bench idle|conc`
	 * (tools/serve_loop.h): its TLS calls, and the ctx argument they take
	 * for a server context of this engine.
	 */
	const struct serve_tls *serve;
	void *(*serve_ctx)(struct bench_ctx *x, const struct bench_case *c);
};

/* The engine over dlssl's public API (tools/bench_dlssl.c, in the dlssl program). */
extern const struct bench_engine bench_dlssl_engine;

/* The callback transport both engines use: read(2) and send(2) on *(int *)handle. */
long bench_io_read(void *handle, void *buf, size_t len);
long bench_io_write(void *handle, const void *buf, size_t len);

/* The last error of this thread, for "error" lines. */
void bench_set_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
const char *bench_error(void);

/* The built-in test PKI (tools/bench_pki.h), and a temporary file holding the root CA. */
const char *bench_pem_chain(enum bench_key k);
const char *bench_pem_key(enum bench_key k);
/* Path of the root CA in a temporary file, removed at exit; NULL on failure. */
const char *bench_ca_file(void);
#define BENCH_HOST "localhost"

/* Names, for command lines and reports. */
const char *bench_workload_name(enum bench_workload w);
int bench_workload_parse(const char *s);

/*
 * Run one case (tools/bench_harness.c): load the library, make the
 * contexts, run the workload.  0 with the result's KEY=VALUE text in out,
 * or -1 with bench_error().
 */
int bench_run(const struct bench_engine *e, const struct bench_case *c, char *out, size_t outlen);

/*
 * Run one case in this process, as the child of the driver: parse argv
 * (--child's arguments: WORKLOAD then options), run, print the line.
 * Returns the exit status (0 even when the case failed: the line says so;
 * 1 for a bad command line).
 */
int bench_child_main(const struct bench_engine *e, int argc, char **argv);

/*
 * `--serve [--tls 12|13] [--key rsa|ecdsa] [--workers N] [--libssl PATH]`:
 * the engine's event-driven echo server (fd transport) on 127.0.0.1 and a free port
 * (tools/bench_serve.c).  Prints "listening on 127.0.0.1:PORT" on stdout,
 * then serves until killed.  Returns an exit status on failure.
 */
int bench_serve_main(const struct bench_engine *e, int argc, char **argv);

/* Parse "16K", "1M", "1G", "1000": 0, or -1 for a bad number. */
int bench_parse_size(const char *s, unsigned long long *out);

#endif
