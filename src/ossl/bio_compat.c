/*
 * BIO methods on every version.  OpenSSL 1.1.0+ and LibreSSL make BIO and
 * BIO_METHOD opaque and offer BIO_meth_new and accessors; OpenSSL 1.0.2
 * has neither, and its BIO_set_flags & co. are macros over public struct
 * fields.  For 1.0.2 only, this file declares those two structs exactly as
 * 1.0.2's <openssl/bio.h> documents them; nothing else in dlssl depends on
 * an OpenSSL struct layout.
 */
#include "config.h"

#include <stdlib.h>

#include "compat/thread.h"
#include "ossl/ossl.h"

/* OpenSSL 1.0.2's struct bio_method_st. */
struct bio_method_102 {
	int type;
	const char *name;
	int (*bwrite)(BIO *, const char *, int);
	int (*bread)(BIO *, char *, int);
	int (*bputs)(BIO *, const char *);
	int (*bgets)(BIO *, char *, int);
	long (*ctrl)(BIO *, int, long, void *);
	int (*create)(BIO *);
	int (*destroy)(BIO *);
	long (*callback_ctrl)(BIO *, int, void *);
};

/* OpenSSL 1.0.2's struct bio_st, up to the fields dlssl touches. */
struct bio_102 {
	struct bio_method_102 *method;
	long (*callback)(BIO *, int, const char *, int, long, long);
	char *cb_arg;
	int init;
	int shutdown;
	int flags;
	int retry_reason;
	int num;
	void *ptr;
};

static int
legacy(const struct dlssl__ossl *api)
{
	return api->BIO_meth_new == NULL && api->flavor == DLSSL_FLAVOR_OPENSSL &&
	    api->level < DL_V110;
}

void
dlssl__bio_set_flags(const struct dlssl__ossl *api, BIO *b, int flags)
{
	if (legacy(api))
		((struct bio_102 *)(void *)b)->flags |= flags;
	else
		api->BIO_set_flags(b, flags);
}

void
dlssl__bio_clear_flags(const struct dlssl__ossl *api, BIO *b, int flags)
{
	if (legacy(api))
		((struct bio_102 *)(void *)b)->flags &= ~flags;
	else
		api->BIO_clear_flags(b, flags);
}

void
dlssl__bio_set_init(const struct dlssl__ossl *api, BIO *b, int init)
{
	if (legacy(api))
		((struct bio_102 *)(void *)b)->init = init;
	else
		api->BIO_set_init(b, init);
}

void
dlssl__bio_set_data(const struct dlssl__ossl *api, BIO *b, void *data)
{
	if (legacy(api))
		((struct bio_102 *)(void *)b)->ptr = data;
	else
		api->BIO_set_data(b, data);
}

void *
dlssl__bio_get_data(const struct dlssl__ossl *api, BIO *b)
{
	if (legacy(api))
		return ((struct bio_102 *)(void *)b)->ptr;
	return api->BIO_get_data(b);
}

int
dlssl__bio_supported(const struct dlssl__ossl *api)
{
	return api->BIO_meth_new != NULL || legacy(api);
}

BIO_METHOD *
dlssl__bio_method_new(const struct dlssl__ossl *api, const struct dl_bio_callbacks *cb)
{
	BIO_METHOD *m;
	struct bio_method_102 *l;
	int type;

	if (legacy(api)) {
		/* A BIO_METHOD is static data in 1.0.2: kept for the life of the process. */
		if ((l = calloc(1, sizeof(*l))) == NULL)
			return NULL;
		l->type = 0x80 | DL_BIO_TYPE_SOURCE_SINK;
		l->name = cb->name;
		l->bwrite = cb->write;
		l->bread = cb->read;
		l->ctrl = cb->ctrl;
		l->create = cb->create;
		l->destroy = cb->destroy;
		return (BIO_METHOD *)(void *)l;
	}
	if (api->BIO_meth_new == NULL)
		return NULL;
	type = api->BIO_get_new_index != NULL ? api->BIO_get_new_index() : -1;
	if (type <= 0)
		type = 0x80; /* a private index, as on LibreSSL without BIO_get_new_index */
	if ((m = api->BIO_meth_new(type | DL_BIO_TYPE_SOURCE_SINK, cb->name)) == NULL)
		return NULL;
	if (api->BIO_meth_set_write(m, cb->write) != 1 || api->BIO_meth_set_read(m, cb->read) != 1 ||
	    api->BIO_meth_set_ctrl(m, cb->ctrl) != 1 || api->BIO_meth_set_create(m, cb->create) != 1 ||
	    api->BIO_meth_set_destroy(m, cb->destroy) != 1) {
		api->BIO_meth_free(m);
		return NULL;
	}
	return m;
}
