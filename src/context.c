/*
 * Contexts (CL+SSL's make-context) and the global context (context_ref.c
 * counts references).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "context.h"
#include "policy.h"
#include "util.h"

#define DL_SID_CTX "dlssl"

static dl_mutex global_lock = DL_MUTEX_INIT;
static struct dlssl_context *default_ctx; /* under global_lock */
static _Thread_local struct dlssl_context *thread_ctx;
static atomic_ullong ctx_serial;
/*
 * Default contexts a reload replaced: dlssl_global_context() handed them
 * out as borrowed pointers, so they are never freed (one per reload); they
 * stay valid objects whose use fails with DLSSL_ERR_STALE.
 */
static struct dlssl_context *retired; /* under global_lock, chained by retired_next */

static const SSL_METHOD *
pick_method(const struct dlssl__ossl *api, enum dlssl_method m)
{
	switch (m) {
	case DLSSL_METHOD_DEFAULT:
	case DLSSL_METHOD_TLS:
		return api->TLS_method();
	case DLSSL_METHOD_TLS_CLIENT:
		return api->TLS_client_method();
	case DLSSL_METHOD_TLS_SERVER:
		return api->TLS_server_method();
	}
	return NULL;
}

static int
valid_version(int v)
{
	return v == 0 || (v >= DLSSL_TLS1_0 && v <= DLSSL_TLS1_3);
}

/* Options, disabled protocols and the protocol range. */
static int
setup_protocols(struct dlssl_context *c, const struct dlssl_context_opts *o)
{
	const struct dlssl__ossl *api = c->api;
	uint64_t op = dlssl__ossl_op_no_compression(api) | o->options;
	int min = o->min_version ? o->min_version : DLSSL_TLS1_2;
	int max = o->max_version;

	if (!valid_version(o->min_version) || !valid_version(o->max_version) ||
	    (max != 0 && min > max)) {
		dlssl__set_errorx(DLSSL_ERR_USAGE, "invalid protocol range %s",
		    dlssl__version_range(o->min_version, o->max_version));
		return -1;
	}
	if ((min == DLSSL_TLS1_3 || max == DLSSL_TLS1_3) && !(api->caps & DLSSL_CAP_TLS13)) {
		dlssl__set_errorx(DLSSL_ERR_USAGE, "TLS 1.3 needs OpenSSL 1.1.1 or newer; %s is loaded",
		    api->info->version_text);
		return -1;
	}
	if (o->disabled_protocols & ~(DLSSL_PROTO_SSLv3 | DLSSL_PROTO_TLSv1 | DLSSL_PROTO_TLSv1_1 |
	    DLSSL_PROTO_TLSv1_2 | DLSSL_PROTO_TLSv1_3)) {
		dlssl__set_errorx(DLSSL_ERR_USAGE, "unknown bits in disabled_protocols: 0x%x",
		    o->disabled_protocols);
		return -1;
	}
	if (o->disabled_protocols & DLSSL_PROTO_SSLv3)
		op |= dlssl__ossl_op_no_sslv3(api);
	if (o->disabled_protocols & DLSSL_PROTO_TLSv1)
		op |= DL_SSL_OP_NO_TLSv1;
	if (o->disabled_protocols & DLSSL_PROTO_TLSv1_1)
		op |= DL_SSL_OP_NO_TLSv1_1;
	if (o->disabled_protocols & DLSSL_PROTO_TLSv1_2)
		op |= DL_SSL_OP_NO_TLSv1_2;
	/* The bit means something else before 1.1.1. */
	if ((o->disabled_protocols & DLSSL_PROTO_TLSv1_3) && (api->caps & DLSSL_CAP_TLS13))
		op |= DL_SSL_OP_NO_TLSv1_3;
	dlssl__ossl_ctx_set_options(api, c->ctx, op);
	if (dlssl__ossl_ctx_set_proto_range(api, c->ctx, min, max) < 0) {
		dlssl__set_errorx(DLSSL_ERR_TLS, "cannot set the protocol range %s",
		    dlssl__version_range(min, max));
		dlssl__ossl_append_errors(api);
		return -1;
	}
	return 0;
}

static int
setup_session_cache(struct dlssl_context *c, enum dlssl_session_cache mode)
{
	long m;

	switch (mode) {
	case DLSSL_SESSION_CACHE_OFF:
		m = DL_SSL_SESS_CACHE_OFF;
		break;
	case DLSSL_SESSION_CACHE_CLIENT:
		m = DL_SSL_SESS_CACHE_CLIENT;
		break;
	case DLSSL_SESSION_CACHE_SERVER:
		m = DL_SSL_SESS_CACHE_SERVER;
		break;
	case DLSSL_SESSION_CACHE_DEFAULT:
	case DLSSL_SESSION_CACHE_BOTH:
		m = DL_SSL_SESS_CACHE_CLIENT | DL_SSL_SESS_CACHE_SERVER;
		break;
	default:
		dlssl__set_errorx(DLSSL_ERR_USAGE, "invalid session_cache %d", (int)mode);
		return -1;
	}
	dlssl__ossl_ctx_set_session_cache_mode(c->api, c->ctx, m);
	/* Servers that verify clients need a session id context to resume. */
	c->api->SSL_CTX_set_session_id_context(c->ctx, (const unsigned char *)DL_SID_CTX,
	    sizeof(DL_SID_CTX) - 1);
	c->client_sessions = (m & DL_SSL_SESS_CACHE_CLIENT) != 0;
	if (c->client_sessions && dlssl__sessions_setup(c) < 0)
		return -1;
	return 0;
}

static int
check_opts(const struct dlssl_context_opts *o)
{
	size_t i;

	if ((int)o->verify_mode < DLSSL_VERIFY_DEFAULT || o->verify_mode > DLSSL_VERIFY_REQUIRED ||
	    (int)o->method < DLSSL_METHOD_DEFAULT || o->method > DLSSL_METHOD_TLS_SERVER ||
	    o->verify_depth < 0) {
		dlssl__set_errorx(DLSSL_ERR_USAGE, "invalid verify_mode, method or verify_depth");
		return -1;
	}
	if ((o->certificate_chain_data != NULL && o->certificate_chain_len == 0) ||
	    (o->ca_data != NULL && o->ca_len == 0) ||
	    (o->private_key_data != NULL && o->private_key_len == 0)) {
		dlssl__set_errorx(DLSSL_ERR_USAGE, "certificate or key data given with length 0");
		return -1;
	}
	for (i = 0; i < sizeof(o->reserved) / sizeof(o->reserved[0]); i++) {
		if (o->reserved[i] != NULL) {
			dlssl__set_errorx(DLSSL_ERR_USAGE, "dlssl_context_opts.reserved must be zero");
			return -1;
		}
	}
	return 0;
}

/* A certificate needs its private key, and a key its certificate: say so now, not at handshake time. */
static int
check_identity(struct dlssl_context *c, const struct dlssl_context_opts *o)
{
	int cert = o->certificate_chain_file != NULL || o->certificate_chain_data != NULL;
	int key = o->private_key_file != NULL || o->private_key_data != NULL;

	if (!cert && !key)
		return 0;
	if (!key || !cert) {
		dlssl__set_errorx(DLSSL_ERR_USAGE, "%s given without %s: a context's certificate and "
		    "private key go together", cert ? "a certificate chain" : "a private key",
		    cert ? "its private key" : "a certificate");
		return -1;
	}
	if (c->api->SSL_CTX_check_private_key(c->ctx) != 1) {
		c->api->ERR_clear_error();
		dlssl__set_errorx(DLSSL_ERR_USAGE, "the private key does not match the certificate");
		return -1;
	}
	return 0;
}

static int
configure(struct dlssl_context *c, const struct dlssl_context_opts *o)
{
	const struct dlssl__ossl *api = c->api;
	struct dl_password pw = { o->private_key_password, o->password_callback, o->password_callback_arg };

	c->verify_mode = o->verify_mode;
	c->verify_cb = o->verify_callback;
	c->verify_arg = o->verify_callback_arg;
	c->sni_cb = o->sni_callback;
	c->sni_arg = o->sni_callback_arg;
	/* RELEASE_BUFFERS: libssl frees its record buffers while a connection is idle. */
	dlssl__ossl_ctx_set_mode(api, c->ctx, DL_SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER |
	    DL_SSL_MODE_AUTO_RETRY | DL_SSL_MODE_RELEASE_BUFFERS);
	/* 1.0.2 servers offer ECDHE (and serve ECDSA certificates) only when asked. */
	if (api->flavor == DLSSL_FLAVOR_OPENSSL && api->level < DL_V110)
		(void)api->SSL_CTX_ctrl(c->ctx, DL_SSL_CTRL_SET_ECDH_AUTO, 1, NULL);
	if (setup_protocols(c, o) < 0 || dlssl__policy_ctx_setup(c, o) < 0 ||
	    setup_session_cache(c, o->session_cache) < 0 || dlssl__ctx_load_trust(c, o) < 0 ||
	    dlssl__ctx_setup_alpn(c, o) < 0)
		return -1;
	if (o->verify_depth > 0)
		api->SSL_CTX_set_verify_depth(c->ctx, dlssl__policy_verify_depth(api, o->verify_depth));
	if (c->sni_cb != NULL)
		dlssl__ctx_setup_sni(c);
	if ((o->certificate_chain_file || o->certificate_chain_data) &&
	    dlssl__ctx_load_chain(c, o->certificate_chain_file, o->certificate_chain_data,
	    o->certificate_chain_len) < 0)
		return -1;
	if ((o->private_key_file || o->private_key_data) &&
	    dlssl__ctx_load_key(c, o->private_key_file, o->private_key_data, o->private_key_len, &pw) < 0)
		return -1;
	return check_identity(c, o);
}

DLSSL_EXPORT struct dlssl_context *
dlssl_make_context(const struct dlssl_context_opts *opts)
{
	static const struct dlssl_context_opts defaults;
	const struct dlssl_context_opts *o = opts ? opts : &defaults;
	const struct dlssl__ossl *api;
	struct dlssl_context *c;

	dlssl__error_clear();
	if (check_opts(o) < 0 || (api = dlssl__api()) == NULL)
		return NULL;
	if ((c = calloc(1, sizeof(*c))) == NULL) {
		dlssl__set_errorx(DLSSL_ERR_NOMEM, "out of memory");
		return NULL;
	}
	c->api = api;
	atomic_init(&c->refs, 1);
	atomic_init(&c->trust_gen, 0);
	c->serial = atomic_fetch_add(&ctx_serial, 1) + 1;
#ifdef _WIN32
	InitializeSRWLock(&c->lock);
#else
	pthread_mutex_init(&c->lock, NULL);
#endif
	api->ERR_clear_error();
	c->ctx = api->SSL_CTX_new(pick_method(api, o->method));
	if (c->ctx == NULL) {
		dlssl__set_errorx(DLSSL_ERR_TLS, "SSL_CTX_new failed");
		dlssl__ossl_append_errors(api);
		dlssl_ctx_free(c);
		return NULL;
	}
	api->SSL_CTX_set_ex_data(c->ctx, api->ex_ctx, c);
	if (configure(c, o) < 0) {
		dlssl_ctx_free(c);
		return NULL;
	}
	return c;
}

/* Move the default context out of use, keeping it allocated (under global_lock). */
static void
retire_locked(void)
{
	struct dlssl_context *c = default_ctx;

	default_ctx = NULL;
	if (c == NULL)
		return;
	/* Its sessions go now: nothing can resume them any more. */
	dl_mutex_lock(&c->lock);
	dlssl__sessions_free(c);
	dl_mutex_unlock(&c->lock);
	c->retired_next = retired;
	retired = c;
}

/* The process-wide default context; with take_ref, a new reference to it. */
static struct dlssl_context *
default_context(int take_ref)
{
	struct dlssl_context *c;
	const struct dlssl__ossl *api = dlssl__api();

	if (api == NULL)
		return NULL;
	dl_mutex_lock(&global_lock);
	if (default_ctx != NULL && default_ctx->api != api)
		retire_locked(); /* made before a reload */
	if (default_ctx == NULL)
		default_ctx = dlssl_make_context(NULL);
	c = take_ref ? dlssl_ctx_ref(default_ctx) : default_ctx;
	dl_mutex_unlock(&global_lock);
	return c;
}

DLSSL_EXPORT struct dlssl_context *
dlssl_global_context(void)
{
	dlssl__error_clear();
	return thread_ctx != NULL ? thread_ctx : default_context(0);
}

DLSSL_EXPORT struct dlssl_context *
dlssl_set_global_context(struct dlssl_context *c)
{
	struct dlssl_context *prev = thread_ctx;

	dlssl__error_clear();
	thread_ctx = c;
	return prev;
}

struct dlssl_context *
dlssl__ctx_for_stream(struct dlssl_context *given)
{
	struct dlssl_context *c = given ? given : thread_ctx;

	/* The default context may be replaced by a reload: take the reference under its lock. */
	c = c != NULL ? dlssl_ctx_ref(c) : default_context(1);
	if (c == NULL)
		return NULL;
	if (dlssl__ossl_check_current(c->api) < 0) {
		dlssl_ctx_free(c);
		return NULL;
	}
	return c;
}

DLSSL_EXPORT int
dlssl_use_certificate_chain_file(const char *path)
{
	struct dlssl_context *c;

	dlssl__error_clear();
	if (path == NULL) {
		dlssl__set_errorx(DLSSL_ERR_USAGE, "dlssl_use_certificate_chain_file: NULL path");
		return -1;
	}
	if ((c = dlssl__ctx_for_stream(NULL)) == NULL)
		return -1;
	if (dlssl__ctx_load_chain(c, path, NULL, 0) < 0) {
		dlssl_ctx_free(c);
		return -1;
	}
	dlssl_ctx_free(c);
	return 0;
}

DLSSL_EXPORT struct dlssl_with_state
dlssl_with_begin(struct dlssl_context *c, int auto_free)
{
	struct dlssl_with_state st;

	/* Load first, so the block's first stream does not replace the binding. */
	(void)dlssl__api();
	st.ctx = c;
	st.previous = dlssl_set_global_context(c);
	st.auto_free = auto_free;
	st.once = 1;
	return st;
}

DLSSL_EXPORT void
dlssl_with_end(struct dlssl_with_state *st)
{
	(void)dlssl_set_global_context(st->previous);
	if (st->auto_free)
		dlssl_ctx_free(st->ctx);
	st->once = 0;
}

void
dlssl__global_context_clear(void)
{
	dl_mutex_lock(&global_lock);
	retire_locked();
	dl_mutex_unlock(&global_lock);
}
