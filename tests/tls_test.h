/* Helpers for tests that run a TLS client and server in one process. */
#ifndef DLSSL_TESTS_TLS_TEST_H
#define DLSSL_TESTS_TLS_TEST_H

#include <pthread.h>

#include "dlssl.h"

#ifndef PKI_DIR
#error "PKI_DIR must name tests/pki"
#endif
#define PKI(name) PKI_DIR "/" name

/* Transport kinds the scenarios run over. */
enum tt_kind { TT_FD = 0, TT_IO = 1, TT_KINDS = 2 };

/* A connected pair of sockets (AF_UNIX stream). */
void tt_socketpair(int fds[2]);
/* A connected pair over TCP on 127.0.0.1 (for behaviour that needs TCP). */
void tt_tcppair(int fds[2]);

/* The transport of kind k over fd; for TT_IO the fd is held in *slot. */
struct dlssl_transport tt_transport(enum tt_kind k, int fd, int *slot);

/* A server running in a thread: handshake, then echo what it reads until EOF. */
struct tt_server {
	int fd;
	int slot;
	enum tt_kind kind;
	struct dlssl_context *ctx;
	struct dlssl_stream_opts opts;
	int echo;
	/* results */
	int ok;
	int err_code;
	char err[512];
	char alpn[64];
	char servername[256];
	pthread_t thread;
};

void tt_server_start(struct tt_server *sv);
void tt_server_join(struct tt_server *sv);

/* A server context for one of the PKI's certificates (chain and key file names). */
struct dlssl_context *tt_server_ctx(const char *chain, const char *key);
/* A client context trusting the test root CA. */
struct dlssl_context *tt_client_ctx(void);

/*
 * Skip the whole program (exit 77) when no libssl can be loaded; fail it
 * (exit 1) when DLSSL_LIBSSL, DLSSL_LIBCRYPTO or DLSSL_LIBDIR names the
 * library under test and dlssl cannot load it.
 */
void tt_require_libssl(void);

/* The loaded library's capabilities (DLSSL_CAP_*). */
unsigned long tt_caps(void);
/* 1, saying so on stdout, for a TLS 1.3 resumption case (v13 != 0) the library cannot do. */
int tt_lacks_tls13_resume(int v13);
/* What two default contexts negotiate: "TLSv1.3", or "TLSv1.2" without DLSSL_CAP_TLS13. */
const char *tt_newest_version(void);
/*
 * For a case that needs TLS 1.3: 0 when the library has it; else 1, after
 * saying so on stdout (a true limit: 1.0.2 has no TLS 1.3).
 */
int tt_lacks_tls13(const char *what);

/* main() of a test program: ignore SIGPIPE, require libssl, run the suite. */
struct Suite;
int tt_main(struct Suite *(*make)(void));

#endif
