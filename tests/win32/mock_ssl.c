/* The mock libssl's pass-through records over the BIO (see mock.h). */
#include <stdlib.h>
#include <string.h>

#include "mock.h"

struct ssl_method_st {
	int unused;
};

/* ex_data slots: any index an ex_new_index call gave out, as in OpenSSL. */
struct mock_ex {
	void **v;
	int n;
};

/* The session id context's bound (SSL_MAX_SID_CTX_LENGTH). */
#define MOCK_SID_CTX_MAX 32

struct mock_sid_ctx {
	unsigned char b[MOCK_SID_CTX_MAX];
	unsigned int len;
};

struct ssl_ctx_st {
	struct mock_ex ex;
	struct mock_sid_ctx sid;
};

struct ssl_st {
	SSL_CTX *ctx;
	struct mock_ex ex;
	struct mock_sid_ctx sid;
	BIO *rbio, *wbio;
	int server, done, sent_hello, got_hello, shutdown_sent, got_close;
	int err;
	unsigned char *out;		/* queued records */
	size_t out_len, out_off, out_cap;
	size_t wpend;			/* an SSL_write whose records are queued */
	unsigned char in[3 + MOCK_RECORD_MAX]; /* the record being read */
	size_t in_len;
	unsigned char plain[MOCK_RECORD_MAX]; /* data not yet read */
	size_t plain_off, plain_len;
};

const SSL_METHOD *TLS_method(void);
const SSL_METHOD *TLS_client_method(void);
const SSL_METHOD *TLS_server_method(void);
SSL_CTX *SSL_CTX_new(const SSL_METHOD *m);
void SSL_CTX_free(SSL_CTX *c);
long SSL_CTX_ctrl(SSL_CTX *c, int cmd, long larg, void *parg);
int SSL_CTX_set_ex_data(SSL_CTX *c, int idx, void *arg);
void *SSL_CTX_get_ex_data(const SSL_CTX *c, int idx);
int SSL_CTX_set_default_verify_paths(SSL_CTX *c);
int SSL_CTX_load_verify_locations(SSL_CTX *c, const char *file, const char *dir);
int SSL_CTX_set_session_id_context(SSL_CTX *c, const unsigned char *p, unsigned int n);
SSL *SSL_new(SSL_CTX *c);
void SSL_free(SSL *s);
int SSL_set_ex_data(SSL *s, int idx, void *arg);
void *SSL_get_ex_data(const SSL *s, int idx);
int SSL_set_session_id_context(SSL *s, const unsigned char *p, unsigned int n);
void SSL_set_bio(SSL *s, BIO *r, BIO *w);
void SSL_set_connect_state(SSL *s);
void SSL_set_accept_state(SSL *s);
int SSL_do_handshake(SSL *s);
int SSL_read(SSL *s, void *buf, int n);
int SSL_peek(SSL *s, void *buf, int n);
int SSL_write(SSL *s, const void *buf, int n);
int SSL_shutdown(SSL *s);
int SSL_get_error(const SSL *s, int ret);
int SSL_pending(const SSL *s);
long SSL_ctrl(SSL *s, int cmd, long larg, void *parg);
const char *SSL_get_version(const SSL *s);
int SSL_CTX_use_certificate(SSL_CTX *c, X509 *x);
int SSL_CTX_use_PrivateKey(SSL_CTX *c, EVP_PKEY *k);
int SSL_CTX_check_private_key(const SSL_CTX *c);
int SSL_CTX_set_cipher_list(SSL_CTX *c, const char *list);
int SSL_set_cipher_list(SSL *s, const char *list);
int SSL_CTX_set_ciphersuites(SSL_CTX *c, const char *suites);

static const SSL_METHOD method;

const SSL_METHOD *
TLS_method(void)
{
	return &method;
}

const SSL_METHOD *
TLS_client_method(void)
{
	return &method;
}

const SSL_METHOD *
TLS_server_method(void)
{
	return &method;
}

static int
ex_set(struct mock_ex *e, int idx, void *arg)
{
	void **v;
	int i;

	if (idx < 0)
		return 0;
	if (idx >= e->n) {
		if ((v = realloc(e->v, (size_t)(idx + 1) * sizeof(*v))) == NULL)
			return 0;
		for (i = e->n; i <= idx; i++)
			v[i] = NULL;
		e->v = v;
		e->n = idx + 1;
	}
	e->v[idx] = arg;
	return 1;
}

static void *
ex_get(const struct mock_ex *e, int idx)
{
	return idx >= 0 && idx < e->n ? e->v[idx] : NULL;
}

/* As OpenSSL: 0 when longer than SSL_MAX_SID_CTX_LENGTH, else copied. */
static int
sid_set(struct mock_sid_ctx *sid, const unsigned char *p, unsigned int n)
{
	if (n > MOCK_SID_CTX_MAX)
		return 0;
	if (n > 0)
		memcpy(sid->b, p, n);
	sid->len = n;
	return 1;
}

SSL_CTX *
SSL_CTX_new(const SSL_METHOD *m)
{
	return m != NULL ? calloc(1, sizeof(SSL_CTX)) : NULL;
}

void
SSL_CTX_free(SSL_CTX *c)
{
	if (c == NULL)
		return;
	free(c->ex.v);
	free(c);
}

long
SSL_CTX_ctrl(SSL_CTX *c, int cmd, long larg, void *parg)
{
	(void)c;
	(void)cmd;
	(void)larg;
	(void)parg;
	return 1;
}

int
SSL_CTX_set_ex_data(SSL_CTX *c, int idx, void *arg)
{
	return ex_set(&c->ex, idx, arg);
}

void *
SSL_CTX_get_ex_data(const SSL_CTX *c, int idx)
{
	return ex_get(&c->ex, idx);
}

int
SSL_CTX_set_session_id_context(SSL_CTX *c, const unsigned char *p, unsigned int n)
{
	return sid_set(&c->sid, p, n);
}

int
SSL_CTX_set_default_verify_paths(SSL_CTX *c)
{
	(void)c;
	return 1;
}

/*
 * The mock verifies nothing and reads no file: a directory (dlssl's default
 * store) is taken, a CA file is refused as a real library refuses one it
 * cannot parse (check_tools' demo_temp_file relies on it).
 */
int
SSL_CTX_load_verify_locations(SSL_CTX *c, const char *file, const char *dir)
{
	(void)c;
	return file == NULL && dir != NULL;
}

SSL *
SSL_new(SSL_CTX *c)
{
	SSL *s = calloc(1, sizeof(*s));

	if (s != NULL) {
		s->ctx = c;
		s->sid = c->sid;	/* an SSL starts with its context's */
	}
	return s;
}

void
SSL_free(SSL *s)
{
	if (s == NULL)
		return;
	if (s->rbio != NULL)
		BIO_free(s->rbio);
	if (s->wbio != NULL && s->wbio != s->rbio)
		BIO_free(s->wbio);
	free(s->out);
	free(s->ex.v);
	free(s);
}

int
SSL_set_ex_data(SSL *s, int idx, void *arg)
{
	return ex_set(&s->ex, idx, arg);
}

void *
SSL_get_ex_data(const SSL *s, int idx)
{
	return ex_get(&s->ex, idx);
}

int
SSL_set_session_id_context(SSL *s, const unsigned char *p, unsigned int n)
{
	return sid_set(&s->sid, p, n);
}

void
SSL_set_bio(SSL *s, BIO *r, BIO *w)
{
	s->rbio = r;
	s->wbio = w;
}

void
SSL_set_connect_state(SSL *s)
{
	s->server = 0;
}

void
SSL_set_accept_state(SSL *s)
{
	s->server = 1;
}

long
SSL_ctrl(SSL *s, int cmd, long larg, void *parg)
{
	(void)s;
	(void)cmd;
	(void)larg;
	(void)parg;
	return 1;
}

const char *
SSL_get_version(const SSL *s)
{
	(void)s;
	return "mock";
}

/* Queue one record. */
static int
queue(SSL *s, int type, const void *p, size_t n)
{
	unsigned char *o;

	if (s->out_len + 3 + n > s->out_cap) {
		size_t cap = (s->out_len + 3 + n) * 2;

		if ((o = realloc(s->out, cap)) == NULL)
			return -1;
		s->out = o;
		s->out_cap = cap;
	}
	o = s->out + s->out_len;
	o[0] = (unsigned char)type;
	o[1] = (unsigned char)(n >> 8);
	o[2] = (unsigned char)n;
	memcpy(o + 3, p, n);
	s->out_len += 3 + n;
	return 0;
}

static int
retry(BIO *b)
{
	return (b->flags & DL_BIO_FLAGS_SHOULD_RETRY) != 0;
}

/* Send what is queued: 1 when all went, else -1 with s->err. */
static int
flush_out(SSL *s)
{
	while (s->out_off < s->out_len) {
		size_t left = s->out_len - s->out_off;
		int n = BIO_write(s->wbio, s->out + s->out_off, left > 0x7fffffff ? 0x7fffffff : (int)left);

		if (n > 0) {
			s->out_off += (size_t)n;
			continue;
		}
		s->err = retry(s->wbio) ? DL_SSL_ERROR_WANT_WRITE : DL_SSL_ERROR_SYSCALL;
		return -1;
	}
	s->out_off = s->out_len = 0;
	return 1;
}

/* One whole record in s->in: 1; 0 at the end of the input; -1 (s->err set). */
static int
read_record(SSL *s)
{
	for (;;) {
		size_t need = s->in_len < 3 ? 3 : 3 + (((size_t)s->in[1] << 8) | s->in[2]);
		int n;

		if (s->in_len >= need)
			return 1;
		n = BIO_read(s->rbio, s->in + s->in_len, (int)(need - s->in_len));
		if (n > 0) {
			s->in_len += (size_t)n;
			continue;
		}
		if (n == 0 && !retry(s->rbio)) {
			/* The peer left without close_notify. */
			s->err = DL_SSL_ERROR_SYSCALL;
			return 0;
		}
		s->err = retry(s->rbio) ? DL_SSL_ERROR_WANT_READ : DL_SSL_ERROR_SYSCALL;
		return -1;
	}
}

int
SSL_do_handshake(SSL *s)
{
	int r;

	s->err = DL_SSL_ERROR_NONE;
	if (s->done)
		return 1;
	if (!s->server && !s->sent_hello) {
		if (queue(s, 'H', "client", 6) < 0)
			goto fatal;
		s->sent_hello = 1;
	}
	if (flush_out(s) < 0)
		return -1;
	if (!s->got_hello) {
		if ((r = read_record(s)) <= 0)
			return r == 0 ? 0 : -1;
		if (s->in[0] != 'H')
			goto fatal;
		s->in_len = 0;
		s->got_hello = 1;
		if (s->server) {
			if (queue(s, 'H', "server", 6) < 0)
				goto fatal;
			s->sent_hello = 1;
		}
	}
	if (flush_out(s) < 0)
		return -1;
	s->done = 1;
	return 1;
fatal:
	s->err = DL_SSL_ERROR_SSL;
	return -1;
}

static int
read_plain(SSL *s, void *buf, int n, int consume)
{
	size_t k;
	int r;

	s->err = DL_SSL_ERROR_NONE;
	if (!s->done && (r = SSL_do_handshake(s)) <= 0)
		return r;
	while (s->plain_len == 0) {
		if (s->got_close) {
			s->err = DL_SSL_ERROR_ZERO_RETURN;
			return 0;
		}
		if ((r = read_record(s)) <= 0)
			return r;
		k = ((size_t)s->in[1] << 8) | s->in[2];
		if (s->in[0] == 'D') {
			memcpy(s->plain, s->in + 3, k);
			s->plain_off = 0;
			s->plain_len = k;
		} else if (s->in[0] == 'C') {
			s->got_close = 1;
		} else {
			s->err = DL_SSL_ERROR_SSL;
			return -1;
		}
		s->in_len = 0;
	}
	k = n < 0 ? 0 : (size_t)n;
	if (k > s->plain_len)
		k = s->plain_len;
	memcpy(buf, s->plain + s->plain_off, k);
	if (consume) {
		s->plain_off += k;
		s->plain_len -= k;
	}
	return (int)k;
}

int
SSL_read(SSL *s, void *buf, int n)
{
	return read_plain(s, buf, n, 1);
}

int
SSL_peek(SSL *s, void *buf, int n)
{
	return read_plain(s, buf, n, 0);
}

int
SSL_write(SSL *s, const void *buf, int n)
{
	const unsigned char *p = buf;
	size_t left, k;
	int r;

	s->err = DL_SSL_ERROR_NONE;
	if (!s->done && (r = SSL_do_handshake(s)) <= 0)
		return r;
	if (s->wpend == 0) {
		/* A retry passes the same bytes again: they are queued already. */
		for (left = n < 0 ? 0 : (size_t)n; left > 0; p += k, left -= k) {
			k = left > MOCK_RECORD_MAX ? MOCK_RECORD_MAX : left;
			if (queue(s, 'D', p, k) < 0) {
				s->err = DL_SSL_ERROR_SSL;
				return -1;
			}
		}
		s->wpend = (size_t)n;
	}
	if (flush_out(s) < 0)
		return -1;
	r = (int)s->wpend;
	s->wpend = 0;
	return r;
}

int
SSL_shutdown(SSL *s)
{
	s->err = DL_SSL_ERROR_NONE;
	if (!s->shutdown_sent) {
		if (queue(s, 'C', "", 0) < 0) {
			s->err = DL_SSL_ERROR_SSL;
			return -1;
		}
		s->shutdown_sent = 1;
	}
	if (flush_out(s) < 0)
		return -1;
	return s->got_close ? 1 : 0;
}

int
SSL_get_error(const SSL *s, int ret)
{
	return ret > 0 ? DL_SSL_ERROR_NONE : s->err;
}

int
SSL_pending(const SSL *s)
{
	return (int)s->plain_len;
}

/* A server's certificate and key: the mock libcrypto's placeholders (see mock.h). */
int
SSL_CTX_use_certificate(SSL_CTX *c, X509 *x)
{
	return c != NULL && x != NULL;
}

int
SSL_CTX_use_PrivateKey(SSL_CTX *c, EVP_PKEY *k)
{
	return c != NULL && k != NULL;
}

int
SSL_CTX_check_private_key(const SSL_CTX *c)
{
	return c != NULL;
}

/*
 * Cipher policy.  The mock has no ciphers: any non-empty list "matches"
 * (OpenSSL answers 0 only when nothing in the list matches), and any TLS
 * 1.3 suite list is taken (an empty one too, as in OpenSSL).
 */
int
SSL_CTX_set_cipher_list(SSL_CTX *c, const char *list)
{
	return c != NULL && list != NULL && list[0] != '\0';
}

int
SSL_set_cipher_list(SSL *s, const char *list)
{
	return s != NULL && list != NULL && list[0] != '\0';
}

int
SSL_CTX_set_ciphersuites(SSL_CTX *c, const char *suites)
{
	return c != NULL && suites != NULL;
}
