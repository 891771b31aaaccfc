/*
 * The dlssl side of the interoperation tests (tests/check_interop_*.c):
 * a library server in a thread that answers a line protocol or HTTP/1.1
 * to a peer program, and library clients that talk to a peer server.
 */
#ifndef DLSSL_TESTS_HARD_INTEROP_H
#define DLSSL_TESTS_HARD_INTEROP_H

#include <check.h>
#include <pthread.h>

#include "hard_common.h"
#include "tls_test.h"

/* Seconds a single exchange with a peer may take (scaled by hard_slowdown()). */
#define HARD_IO_SECONDS 15.0
/* Wall-clock bound of every peer program (it is killed after this). */
#define HARD_PEER_SECONDS 120.0

/* Fail the test, showing what the peer said first. */
#define HARD_PEER_ASSERT(p, cond, ...) \
	do { \
		if (!(cond)) { \
			hard_proc_dump(p); \
			ck_abort_msg(__VA_ARGS__); \
		} \
	} while (0)

/* What the library server answers. */
enum hard_srv_mode {
	HS_LINE, /* read one line "X\n", answer "pong:X\n", close_notify */
	HS_HTTP  /* read an HTTP/1.1 request, answer 200 with a text body, close_notify */
};

#define HARD_SRV_MAX 4

struct hard_srv_result {
	int accepted;      /* a TCP connection came in */
	int ok;            /* handshake done and the exchange completed */
	int err_code;
	char err[512];
	char version[32];
	char cipher[96];
	char alpn[64];
	char sni[256];
	char peer[256];    /* the client certificate's subject, or "" */
	int reused;
	char request[256]; /* the line, or the HTTP request line */
	int slot;          /* the fd held by an io transport */
};

struct hard_srv {
	/* Set by the caller before hard_srv_start(). */
	enum tt_kind kind;
	struct dlssl_context *ctx;
	enum hard_srv_mode mode;
	int nconn;          /* connections to serve, one after the other (1..HARD_SRV_MAX) */
	/* Set by hard_srv_start(). */
	int lfd, port;
	pthread_t thread;
	int running;
	struct hard_srv_result res[HARD_SRV_MAX];
};

/* Listen on 127.0.0.1 and serve in a thread. */
void hard_srv_start(struct hard_srv *sv);
/* Wait for the thread (it ends after nconn connections or its accept timeout). */
void hard_srv_join(struct hard_srv *sv);

/* A server context for a PKI chain and key (file names relative to the PKI). */
struct dlssl_context *hard_server_ctx(const char *chain, const char *key,
    const struct dlssl_context_opts *extra);
/*
 * A client context trusting the test root (plus the intermediate when
 * with_intermediate is set: for peers that cannot send a chain).
 */
struct dlssl_context *hard_client_ctx(const struct dlssl_context_opts *extra,
    int with_intermediate);

/*
 * Connect to 127.0.0.1:port and make a client stream over transport k
 * (an fd stream closes its fd; an io stream's fd lives in *slot).  The
 * options are copied; deadline and close_fd are filled in.  The stream,
 * or NULL with dlssl_error() telling why (the socket is closed then).
 */
struct dlssl_stream *hard_client(enum tt_kind k, int port, const struct dlssl_stream_opts *o,
    int *slot);

/*
 * Send line (with its '\n') and read one line back into got (without
 * the '\n'): 0, or -1 with dlssl_error() set.
 */
int hard_line_exchange(struct dlssl_stream *s, const char *line, char *got, size_t n);

/* The subject of the stream's peer certificate, into buf ("" when none). */
void hard_peer_subject(struct dlssl_stream *s, char *buf, size_t n);

/* 1 when the stream's peer presented the certificate in the PKI file (sha256). */
int hard_peer_is(struct dlssl_stream *s, const char *pki_file);

/* Names of the transports, for messages. */
const char *hard_kind_name(enum tt_kind k);

/* The PKI file's path (a static buffer per call; use at once). */
#define HARD_PKI(name) PKI(name)

/*
 * Start `openssl s_server -rev` (answers each line reversed) on 127.0.0.1
 * with the given extra options; returns its port (the test fails otherwise).
 */
int hard_start_s_server(struct hard_proc *p, const char *const *extra);

/* Check fixture pieces for the interop programs. */
void hard_interop_setup(void);
void hard_interop_teardown(void);

#endif
