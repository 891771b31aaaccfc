/*
 * dlssl serve --cert F --key F: a TLS server on --bind/--port that echoes or
 * answers one fixed HTTP response (--http): event-driven, --workers threads
 * each with its own loop over non-blocking streams (tools/serve_loop.c),
 * as many clients as the descriptor limit allows.  --exec CMD (a command
 * per connection), --once and --transport file keep the simpler model: a
 * thread per connection with blocking I/O, at most --max-clients at once.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#ifndef _WIN32
#include <poll.h>
#include <pthread.h>
#include <sys/socket.h>
#endif

#include "cli.h"
#include "net.h"
#include "serve.h"
#include "evloop.h"
#include "serve_loop.h"
#include "serve_tls.h"

#define SERVE_OPTS (CLI_O_SERVER & ~CLI_O_SERVERNAME)
#define SERVE_HEAD_MAX 16384
#define SERVE_BACKLOG 4096
#define THREADED_MAX_CLIENTS 256
#define HANDSHAKE_TIMEOUT_S 30
#define IDLE_TIMEOUT_S 120

static const char http_body[] = "hello from dlssl serve\n";

#ifdef _WIN32
#define SERVE_EXEC_HELP \
	"  --exec CMD         run %%COMSPEC%% /d /s /c \"CMD\" (cmd.exe) per connection,\n" \
	"                     the connection on its stdin and stdout\n"
#else
#define SERVE_EXEC_HELP \
	"  --exec CMD         run /bin/sh -c CMD per connection, the connection\n" \
	"                     on its stdin and stdout\n"
#endif

struct server {
	struct cli_opts o;
	struct dlssl_context *ctx;
	const char *exec;
	int http;
	int verbose;
	long max_clients;              /* 0: the default */
	long workers;                  /* 0: one per CPU */
	long handshake_s, idle_s;      /* -1: the default */
	int active;
	cli_mutex_t lock;
	cli_cond_t done;
};

struct conn {
	struct server *sv;
	int fd;
	char peer[64];
};

static int
usage(FILE *f, int rc)
{
	fprintf(f, "usage: dlssl serve --cert FILE --key FILE [options]\n\n"
	    "A TLS server.  Each connection is echoed back, or answered with a fixed\n"
	    "HTTP/1.1 response (--http), or handed to a command (--exec).  Prints\n"
	    "\"listening on HOST:PORT\" to stderr once it accepts connections.\n"
	    "Echo and --http are event-driven (%s): the soft open-file limit is\n"
	    "raised to the hard one and bounds the clients served at once.  --exec,\n"
	    "--once and --transport file run a thread per connection.\n\n"
	    "options:\n"
	    "  --port PORT        port to listen on (default 4433; 0 picks a free one)\n"
	    "  --bind ADDR        address to listen on (default 127.0.0.1)\n"
	    SERVE_EXEC_HELP
	    "  --http             answer every request with \"HTTP/1.1 200 OK\"\n"
	    "  --once             serve one connection, then exit with its result\n"
	    "  --workers N        event loops, one thread each (default: one per CPU)\n"
	    "  --max-clients N    connections served at once (default: what the open-file\n"
	    "                     limit allows; %d with --exec, --once or --transport file)\n"
	    "  --handshake-timeout S  a client must finish its handshake within S seconds\n"
	    "                     (default %d; 0: no limit)\n"
	    "  --idle-timeout S   close a connection silent for S seconds (default %d,\n"
	    "                     or --timeout when given; 0: never)\n"
	    "  --verbose          log each connection to stderr\n"
	    "  --verify MODE      client certificates: none (default), optional, required\n",
	    ev_backend(), THREADED_MAX_CLIENTS, HANDSHAKE_TIMEOUT_S, IDLE_TIMEOUT_S);
	cli_opts_help(f, SERVE_OPTS & ~CLI_O_VERIFY);
	return rc;
}

/* --http: read the request head, answer, close. */
static int
answer_http(struct dlssl_stream *s, struct cli_link *l)
{
	char head[SERVE_HEAD_MAX + 1], resp[256];
	size_t got = 0;
	long n;
	int len;

	while (got < SERVE_HEAD_MAX) {
		if ((n = dlssl_read(s, head + got, SERVE_HEAD_MAX - got)) <= 0)
			return n == 0 ? EXIT_TLS : cli_link_fail(l, "serve", "read the request");
		got += (size_t)n;
		head[got] = '\0';
		if (strstr(head, "\r\n\r\n") != NULL || strstr(head, "\n\n") != NULL)
			break;
	}
	len = snprintf(resp, sizeof(resp), "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"
	    "Content-Length: %zu\r\nConnection: close\r\n\r\n%s", sizeof(http_body) - 1, http_body);
	if (dlssl_write(s, resp, (size_t)len) != len || dlssl_flush(s) != 0)
		return cli_link_fail(l, "serve", "write the response");
	return EXIT_OK;
}

static int
echo(struct dlssl_stream *s, struct cli_link *l)
{
	char buf[16384];
	long n;

	while ((n = dlssl_read(s, buf, sizeof(buf))) > 0)
		if (dlssl_write(s, buf, (size_t)n) != n || dlssl_flush(s) != 0)
			return cli_link_fail(l, "serve", "write");
	return n == 0 ? EXIT_OK : cli_link_fail(l, "serve", "read");
}

static int
serve_one(struct server *sv, int fd, const char *peer)
{
	struct dlssl_stream *s;
	struct cli_link l;
	char what[128];
	int rc;

	snprintf(what, sizeof(what), "%s: handshake", peer);
	if ((s = cli_link_open(&l, fd, 1, sv->ctx, &sv->o, NULL)) == NULL)
		return cli_link_fail(&l, "serve", what);
	if (sv->verbose)
		fprintf(stderr, "dlssl serve: %s: %s, %s%s%s\n", peer, dlssl_stream_version(s),
		    dlssl_stream_cipher(s), dlssl_stream_servername(s) ? ", SNI " : "",
		    dlssl_stream_servername(s) ? dlssl_stream_servername(s) : "");
	if (sv->exec != NULL)
		rc = serve_exec(sv->exec, s, &l, sv->o.timeout_ms);
	else if (sv->http)
		rc = answer_http(s, &l);
	else
		rc = echo(s, &l);
	return cli_link_close(&l, s, "serve", rc);
}

static void *
conn_main(void *arg)
{
	struct conn *c = arg;
	struct server *sv = c->sv;

	(void)serve_one(sv, c->fd, c->peer);
	free(c);
	cli_mutex_lock(&sv->lock);
	sv->active--;
	cli_cond_signal(&sv->done);
	cli_mutex_unlock(&sv->lock);
	return NULL;
}

/*
 * Accept one connection, close on exec: its fd, or -1.  The listening
 * socket is non-blocking, so the fd lock (which keeps a command started by
 * another thread from inheriting the new fd) is never held while waiting.
 */
static int
accept_one(int lfd, char *peer, size_t peerlen)
{
	struct sockaddr_storage ss;
	socklen_t sl;
	struct pollfd p;
	int fd;

	for (;;) {
		p.fd = lfd;
		p.events = POLLIN;
		if (cli_poll(&p, 1, -1) < 0 && errno != EINTR)
			return -1;
		sl = sizeof(ss);
		serve_fd_lock();
		fd = cli_accept(lfd, (struct sockaddr *)&ss, &sl);
		if (fd >= 0)
			(void)cli_cloexec(fd);
		serve_fd_unlock();
		if (fd >= 0)
			break;
		if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR &&
		    errno != ECONNABORTED)
			return -1;
	}
	/* The connection does blocking I/O (or sets its own flags). */
	(void)cli_fcntl(fd, F_SETFL, cli_fcntl(fd, F_GETFL) & ~O_NONBLOCK);
	cli_addr_text((struct sockaddr *)&ss, sl, peer, peerlen);
	return fd;
}

static int
spawn_conn(struct server *sv, int fd, const char *peer)
{
	cli_thread_attr_t a;
	cli_thread_t t;
	struct conn *c;
	int e;

	if ((c = calloc(1, sizeof(*c))) == NULL) {
		cli_sock_close(fd);
		return -1;
	}
	c->sv = sv;
	c->fd = fd;
	snprintf(c->peer, sizeof(c->peer), "%s", peer);
	cli_thread_attr_init(&a);
	cli_thread_attr_setdetachstate(&a, CLI_THREAD_DETACHED);
	/* run() waited for a free slot; only this thread takes slots. */
	cli_mutex_lock(&sv->lock);
	sv->active++;
	cli_mutex_unlock(&sv->lock);
	if ((e = cli_thread_create(&t, &a, conn_main, c)) != 0) {
		fprintf(stderr, "dlssl serve: cannot start a thread: %s\n", cli_strerror(e));
		cli_mutex_lock(&sv->lock);
		sv->active--;
		cli_mutex_unlock(&sv->lock);
		cli_sock_close(fd);
		free(c);
	}
	cli_thread_attr_destroy(&a);
	return 0;
}

/* Echo and --http: the event loops (tools/serve_loop.c). */
static int
run_events(struct server *sv, int lfd, const char *where)
{
	struct serve_tls_ctx x = { sv->ctx, sv->o.transport == CLI_T_IO };
	struct serve_cfg c;
	long cap;

	memset(&c, 0, sizeof(c));
	c.name = "dlssl serve";
	c.tls = &serve_tls_dlssl;
	c.ctx = &x;
	c.lfd = lfd;
	c.workers = sv->workers > 0 ? (int)sv->workers : serve_ncpu();
	if (c.workers > 64 && sv->workers == 0)
		c.workers = 64;
	/* Each worker's loop, stdio and the loaded libraries need a few descriptors. */
	cap = serve_fd_capacity("dlssl serve", 16 + 2L * c.workers);
	c.max_clients = sv->max_clients > 0 ? sv->max_clients : cap;
	c.handshake_ms = (int)(sv->handshake_s >= 0 ? sv->handshake_s : HANDSHAKE_TIMEOUT_S) * 1000;
	c.idle_ms = sv->idle_s >= 0 ? (int)sv->idle_s * 1000 :
	    sv->o.timeout_ms > 0 ? sv->o.timeout_ms : IDLE_TIMEOUT_S * 1000;
	c.http = sv->http;
	c.verbose = sv->verbose;
	fprintf(stderr, "listening on %s\n", where);
	return serve_loop_run(&c);
}

static int
run(struct server *sv, const char *bindaddr, const char *port, int once)
{
	char where[CLI_HOST_MAX + CLI_PORT_MAX + 4], peer[64];
	int lfd, fd, rc;

	if ((rc = cli_load(sv->o.libssl)) != EXIT_OK)
		return rc;
	if ((rc = cli_server_context("serve", &sv->o, &sv->ctx)) != EXIT_OK)
		return rc;
	if ((lfd = cli_tcp_listen("serve", bindaddr, port, SERVE_BACKLOG, where, sizeof(where))) < 0) {
		dlssl_ctx_free(sv->ctx);
		return EXIT_TLS;
	}
	if (sv->exec == NULL && !once && sv->o.transport != CLI_T_FILE) {
		rc = run_events(sv, lfd, where);
		cli_sock_close(lfd);
		dlssl_ctx_free(sv->ctx);
		return rc;
	}
	if (sv->max_clients == 0)
		sv->max_clients = THREADED_MAX_CLIENTS;
	(void)cli_fcntl(lfd, F_SETFL, cli_fcntl(lfd, F_GETFL) | O_NONBLOCK);
	fprintf(stderr, "listening on %s\n", where);
	for (;;) {
		/* Wait for a free slot before taking the next connection. */
		cli_mutex_lock(&sv->lock);
		while (sv->active >= sv->max_clients)
			cli_cond_wait(&sv->done, &sv->lock);
		cli_mutex_unlock(&sv->lock);
		if ((fd = accept_one(lfd, peer, sizeof(peer))) < 0) {
			if (errno == EMFILE || errno == ENFILE) {
				/* Out of fds: wait for a connection to end. */
				sleep(1);
				continue;
			}
			fprintf(stderr, "dlssl serve: accept: %s\n", cli_strerror(errno));
			rc = EXIT_TLS;
			break;
		}
		if (once) {
			rc = serve_one(sv, fd, peer);
			break;
		}
		(void)spawn_conn(sv, fd, peer);
	}
	cli_sock_close(lfd);
	dlssl_ctx_free(sv->ctx);
	return rc;
}

int
cmd_serve(int argc, char **argv)
{
	struct server sv;
	const char *port = "4433", *bindaddr = "127.0.0.1", *v;
	long n;
	int i, r, once = 0, rc = EXIT_USAGE;

	memset(&sv, 0, sizeof(sv));
	sv.handshake_s = sv.idle_s = -1;
	cli_mutex_init(&sv.lock, NULL);
	cli_cond_init(&sv.done, NULL);
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			rc = usage(stdout, EXIT_OK);
			goto out;
		}
		if ((r = cli_opt_common(&sv.o, SERVE_OPTS, "serve", argc, argv, &i)) != 0) {
			if (r < 0)
				goto out;
		} else if ((r = cli_optarg("serve", "--port", argc, argv, &i, &v)) != 0) {
			if (r < 0 || cli_number(v, 0, 65535, &n) < 0) {
				fprintf(stderr, "dlssl serve: --port takes 0 to 65535\n");
				goto out;
			}
			port = v;
		} else if ((r = cli_optarg("serve", "--bind", argc, argv, &i, &bindaddr)) != 0) {
			if (r < 0)
				goto out;
		} else if ((r = cli_optarg("serve", "--exec", argc, argv, &i, &sv.exec)) != 0) {
			if (r < 0)
				goto out;
		} else if ((r = cli_optarg("serve", "--max-clients", argc, argv, &i, &v)) != 0) {
			if (r < 0 || cli_number(v, 1, 1048576, &sv.max_clients) < 0) {
				fprintf(stderr, "dlssl serve: --max-clients takes 1 to 1048576\n");
				goto out;
			}
		} else if ((r = cli_optarg("serve", "--workers", argc, argv, &i, &v)) != 0) {
			if (r < 0 || cli_number(v, 1, 256, &sv.workers) < 0) {
				fprintf(stderr, "dlssl serve: --workers takes 1 to 256\n");
				goto out;
			}
		} else if ((r = cli_optarg("serve", "--handshake-timeout", argc, argv, &i, &v)) != 0) {
			if (r < 0 || cli_number(v, 0, 86400, &sv.handshake_s) < 0) {
				fprintf(stderr, "dlssl serve: --handshake-timeout takes 0 to 86400 seconds\n");
				goto out;
			}
		} else if ((r = cli_optarg("serve", "--idle-timeout", argc, argv, &i, &v)) != 0) {
			if (r < 0 || cli_number(v, 0, 86400, &sv.idle_s) < 0) {
				fprintf(stderr, "dlssl serve: --idle-timeout takes 0 to 86400 seconds\n");
				goto out;
			}
		} else if (strcmp(argv[i], "--http") == 0) {
			sv.http = 1;
		} else if (strcmp(argv[i], "--once") == 0) {
			once = 1;
		} else if (strcmp(argv[i], "--verbose") == 0 || strcmp(argv[i], "-v") == 0) {
			sv.verbose = 1;
		} else {
			cli_unknown("serve", argv[i]);
			goto out;
		}
	}
	if (sv.exec != NULL && sv.http) {
		fprintf(stderr, "dlssl serve: --exec and --http exclude each other\n");
		goto out;
	}
	rc = run(&sv, bindaddr, port, once);
out:
	cli_opts_free(&sv.o);
	cli_cond_destroy(&sv.done);
	cli_mutex_destroy(&sv.lock);
	return rc;
}
