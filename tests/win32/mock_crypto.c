/* The mock libcrypto's BIO (see mock.h): BIO_meth_*, BIO_new and friends. */
#include <stdlib.h>

#include "mock.h"

int BIO_get_new_index(void);
BIO_METHOD *BIO_meth_new(int type, const char *name);
void BIO_meth_free(BIO_METHOD *m);
int BIO_meth_set_write(BIO_METHOD *m, dl_bio_write_fn f);
int BIO_meth_set_read(BIO_METHOD *m, dl_bio_read_fn f);
int BIO_meth_set_ctrl(BIO_METHOD *m, dl_bio_ctrl_fn f);
int BIO_meth_set_create(BIO_METHOD *m, dl_bio_create_fn f);
int BIO_meth_set_destroy(BIO_METHOD *m, dl_bio_destroy_fn f);
int BIO_meth_set_puts(BIO_METHOD *m, dl_bio_puts_fn f);
BIO *BIO_new(const BIO_METHOD *m);
void BIO_free_all(BIO *b);
void BIO_set_data(BIO *b, void *data);
void *BIO_get_data(BIO *b);
void BIO_set_init(BIO *b, int init);
void BIO_set_flags(BIO *b, int flags);
void BIO_clear_flags(BIO *b, int flags);
long BIO_ctrl(BIO *b, int cmd, long larg, void *parg);
BIO *BIO_new_mem_buf(const void *buf, int len);
X509 *PEM_read_bio_X509_AUX(BIO *bp, X509 **x, pem_password_cb *cb, void *u);
EVP_PKEY *PEM_read_bio_PrivateKey(BIO *bp, EVP_PKEY **x, pem_password_cb *cb, void *u);

int
BIO_get_new_index(void)
{
	static int next = 0x80;

	return next < 0xff ? next++ : -1;
}

BIO_METHOD *
BIO_meth_new(int type, const char *name)
{
	BIO_METHOD *m = calloc(1, sizeof(*m));

	if (m != NULL) {
		m->type = type;
		m->name = name;
	}
	return m;
}

void
BIO_meth_free(BIO_METHOD *m)
{
	free(m);
}

int
BIO_meth_set_write(BIO_METHOD *m, dl_bio_write_fn f)
{
	m->bwrite = f;
	return 1;
}

int
BIO_meth_set_read(BIO_METHOD *m, dl_bio_read_fn f)
{
	m->bread = f;
	return 1;
}

int
BIO_meth_set_ctrl(BIO_METHOD *m, dl_bio_ctrl_fn f)
{
	m->ctrl = f;
	return 1;
}

int
BIO_meth_set_create(BIO_METHOD *m, dl_bio_create_fn f)
{
	m->create = f;
	return 1;
}

int
BIO_meth_set_destroy(BIO_METHOD *m, dl_bio_destroy_fn f)
{
	m->destroy = f;
	return 1;
}

int
BIO_meth_set_puts(BIO_METHOD *m, dl_bio_puts_fn f)
{
	(void)m;
	(void)f;
	return 1;
}

BIO *
BIO_new(const BIO_METHOD *m)
{
	BIO *b = calloc(1, sizeof(*b));

	if (b == NULL)
		return NULL;
	b->m = m;
	if (m->create != NULL && !m->create(b)) {
		free(b);
		return NULL;
	}
	return b;
}

int
BIO_free(BIO *b)
{
	if (b == NULL)
		return 0;
	if (b->m->destroy != NULL)
		b->m->destroy(b);
	free(b);
	return 1;
}

void
BIO_free_all(BIO *b)
{
	(void)BIO_free(b);
}

void
BIO_set_data(BIO *b, void *data)
{
	b->data = data;
}

void *
BIO_get_data(BIO *b)
{
	return b->data;
}

void
BIO_set_init(BIO *b, int init)
{
	b->init = init;
}

void
BIO_set_flags(BIO *b, int flags)
{
	b->flags |= flags;
}

void
BIO_clear_flags(BIO *b, int flags)
{
	b->flags &= ~flags;
}

int
BIO_read(BIO *b, void *data, int len)
{
	return b->m->bread(b, data, len);
}

int
BIO_write(BIO *b, const void *data, int len)
{
	return b->m->bwrite(b, data, len);
}

long
BIO_ctrl(BIO *b, int cmd, long larg, void *parg)
{
	return b->m->ctrl != NULL ? b->m->ctrl(b, cmd, larg, parg) : 0;
}

/* ---- loading a server's certificate and key: placeholders (see mock.h) ---- */

static const BIO_METHOD mem_method = { 0x401, "mock memory", NULL, NULL, NULL, NULL, NULL };
static char placeholder_x509, placeholder_key;

BIO *
BIO_new_mem_buf(const void *buf, int len)
{
	(void)len;
	return buf != NULL ? BIO_new(&mem_method) : NULL;
}

X509 *
PEM_read_bio_X509_AUX(BIO *bp, X509 **x, pem_password_cb *cb, void *u)
{
	(void)x;
	(void)cb;
	(void)u;
	return bp != NULL ? (X509 *)&placeholder_x509 : NULL;
}

EVP_PKEY *
PEM_read_bio_PrivateKey(BIO *bp, EVP_PKEY **x, pem_password_cb *cb, void *u)
{
	(void)x;
	(void)cb;
	(void)u;
	return bp != NULL ? (EVP_PKEY *)&placeholder_key : NULL;
}
