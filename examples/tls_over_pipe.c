/*
 * tls_over_pipe: TLS over anything, through user callbacks.  A client and
 * a server run in two threads of this process and talk through an
 * in-memory pipe (a bounded buffer with a mutex and a condition variable):
 * no socket, no fd.  dlssl_transport_io() hands dlssl the read, write and
 * close callbacks; CL+SSL does the same with a Lisp stream.
 *
 *   tls_over_pipe CHAIN KEY CAFILE
 *
 * The server certificate must be valid for "localhost".  Prints the
 * server's answer and exits 0 when the round trip worked.
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include <dlssl.h>

#define PIPE_SIZE 65536

/* One direction: bytes written at one end are read at the other. */
struct mem_pipe {
	pthread_mutex_t lock;
	pthread_cond_t changed;
	unsigned char buf[PIPE_SIZE];
	size_t head, len;
	int closed;	/* the writer closed: the reader sees the end */
};

/* One end of a connection: where it reads from and writes to. */
struct end {
	struct mem_pipe *in, *out;
};

static long
pipe_read(void *handle, void *buf, size_t len)
{
	struct mem_pipe *p = ((struct end *)handle)->in;
	size_t n, k;

	pthread_mutex_lock(&p->lock);
	while (p->len == 0 && !p->closed)
		pthread_cond_wait(&p->changed, &p->lock);
	n = len < p->len ? len : p->len;
	for (k = 0; k < n; k++)
		((unsigned char *)buf)[k] = p->buf[(p->head + k) % PIPE_SIZE];
	p->head = (p->head + n) % PIPE_SIZE;
	p->len -= n;
	pthread_cond_broadcast(&p->changed);
	pthread_mutex_unlock(&p->lock);
	return (long)n; /* 0: the other end closed */
}

static long
pipe_write(void *handle, const void *buf, size_t len)
{
	struct mem_pipe *p = ((struct end *)handle)->out;
	size_t n, k;

	pthread_mutex_lock(&p->lock);
	while (p->len == PIPE_SIZE && !p->closed)
		pthread_cond_wait(&p->changed, &p->lock);
	if (p->closed) {
		pthread_mutex_unlock(&p->lock);
		errno = EPIPE;
		return -1;
	}
	n = len < PIPE_SIZE - p->len ? len : PIPE_SIZE - p->len;
	for (k = 0; k < n; k++)
		p->buf[(p->head + p->len + k) % PIPE_SIZE] = ((const unsigned char *)buf)[k];
	p->len += n;
	pthread_cond_broadcast(&p->changed);
	pthread_mutex_unlock(&p->lock);
	return (long)n;
}

/* The stream is closed: the peer reads the end of the stream. */
static int
pipe_close(void *handle)
{
	struct mem_pipe *p = ((struct end *)handle)->out;

	pthread_mutex_lock(&p->lock);
	p->closed = 1;
	pthread_cond_broadcast(&p->changed);
	pthread_mutex_unlock(&p->lock);
	return 0;
}

static const struct dlssl_io_ops pipe_ops = { pipe_read, pipe_write, pipe_close, { 0 } };

static struct mem_pipe to_server, to_client;
static struct end client_end = { &to_client, &to_server };
static struct end server_end = { &to_server, &to_client };
static struct dlssl_context *server_ctx;

/* The server thread: answer one line in upper case. */
static void *
server_main(void *arg)
{
	struct dlssl_stream_opts o = { 0 };
	struct dlssl_stream *s;
	char line[256];
	long n, k;

	(void)arg;
	o.context = server_ctx;
	if ((s = dlssl_make_server_stream(dlssl_transport_io(&pipe_ops, &server_end), &o)) == NULL) {
		fprintf(stderr, "tls_over_pipe server: %s\n", dlssl_error());
		pipe_close(&server_end); /* not taken by a failed stream: wake the client */
		return NULL;
	}
	if ((n = dlssl_read(s, line, sizeof(line))) > 0) {
		for (k = 0; k < n; k++)
			if (line[k] >= 'a' && line[k] <= 'z')
				line[k] = (char)(line[k] - 'a' + 'A');
		dlssl_write(s, line, (size_t)n);
	}
	dlssl_stream_free(s); /* flush, close_notify, then pipe_close */
	return NULL;
}

static void
init_pipe(struct mem_pipe *p)
{
	pthread_mutex_init(&p->lock, NULL);
	pthread_cond_init(&p->changed, NULL);
}

int
main(int argc, char **argv)
{
	struct dlssl_context_opts sc = { 0 }, cc = { 0 };
	struct dlssl_stream_opts o = { 0 };
	struct dlssl_context *client_ctx;
	struct dlssl_stream *s;
	pthread_t server;
	char answer[256];
	const char msg[] = "hello through an in-memory pipe\n";
	long n;
	int rc = 4;

	if (argc != 4) {
		fprintf(stderr, "usage: tls_over_pipe CHAIN KEY CAFILE\n");
		return 1;
	}
	sc.certificate_chain_file = argv[1];
	sc.private_key_file = argv[2];
	cc.ca_file = argv[3];
	cc.no_default_verify_paths = 1;
	if ((server_ctx = dlssl_make_context(&sc)) == NULL ||
	    (client_ctx = dlssl_make_context(&cc)) == NULL) {
		fprintf(stderr, "tls_over_pipe: %s\n", dlssl_error());
		dlssl_ctx_free(server_ctx);
		return dlssl_error_code() == DLSSL_ERR_LOAD ? 2 : 1;
	}
	init_pipe(&to_server);
	init_pipe(&to_client);
	if (pthread_create(&server, NULL, server_main, NULL) != 0)
		return 4;
	o.context = client_ctx;
	o.hostname = "localhost";
	if ((s = dlssl_make_client_stream(dlssl_transport_io(&pipe_ops, &client_end), &o)) == NULL) {
		fprintf(stderr, "tls_over_pipe client: %s\n", dlssl_error());
		rc = dlssl_error_code() == DLSSL_ERR_VERIFY ? 3 : 4;
		pipe_close(&client_end);
	} else {
		if (dlssl_write(s, msg, sizeof(msg) - 1) == (long)sizeof(msg) - 1 &&
		    (n = dlssl_read_fully(s, answer, sizeof(msg) - 1)) == (long)sizeof(msg) - 1) {
			printf("%s: %.*s", dlssl_stream_version(s), (int)n, answer);
			rc = 0;
		} else {
			fprintf(stderr, "tls_over_pipe client: %s\n", dlssl_error());
		}
		dlssl_stream_free(s);
	}
	pthread_join(server, NULL);
	dlssl_ctx_free(client_ctx);
	dlssl_ctx_free(server_ctx);
	return rc;
}
