/*
 * The binder: fills a table from the manifest for the detected flavor and
 * API level, and lists every required symbol that is missing.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "ossl/dl.h"
#include "ossl/loader.h"

struct dl_desc {
	const char *sym;
	const char *alt;
	unsigned char lib;
	unsigned char need;
	unsigned char cap;
	unsigned long since, until;
	size_t off;
};

#define DL_DESC(lib, ret, slot, params, sym, alt, since, until, need, cap) \
	{ sym, alt, DL_LIB_##lib, need, DL_CAPBIT_##cap, since, until, \
	    offsetof(struct dlssl__ossl, slot) },
static const struct dl_desc descs[] = { DLSSL_OSSL_MANIFEST(DL_DESC) };
#undef DL_DESC

static int
applies(const struct dl_desc *d, enum dlssl_flavor flavor, unsigned long level)
{
	if (d->need == DL_LRS)
		return flavor == DLSSL_FLAVOR_LIBRESSL;
	return level >= d->since && level < d->until;
}

static int
required(const struct dl_desc *d, enum dlssl_flavor flavor)
{
	return d->need == DL_REQ ||
	    (d->need == DL_REQ_OSSL && flavor == DLSSL_FLAVOR_OPENSSL);
}

/* Append " name" to a growing string. */
static int
append_name(char **list, size_t *len, const char *name, const char *alt)
{
	size_t add = strlen(name) + (alt[0] ? strlen(alt) + 1 : 0) + 1;
	char *n = realloc(*list, *len + add + 1);

	if (n == NULL)
		return -1;
	*list = n;
	if (*len > 0)
		n[(*len)++] = ' ';
	strcpy(n + *len, name);
	*len += strlen(name);
	if (alt[0]) {
		n[(*len)++] = '/';
		strcpy(n + *len, alt);
		*len += strlen(alt);
	}
	n[*len] = '\0';
	return 0;
}

static unsigned long
public_cap(unsigned char capbit)
{
	switch (capbit) {
	case DL_CAPBIT_BIO_METH:
		return DLSSL_CAP_BIO_METHOD;
	case DL_CAPBIT_HOSTCHECK:
		return DLSSL_CAP_HOSTCHECK;
	case DL_CAPBIT_ALPN:
		return DLSSL_CAP_ALPN;
	case DL_CAPBIT_CIPHERSUITES:
		return DLSSL_CAP_CIPHERSUITES;
	default:
		return 0;
	}
}

int
dlssl__bind(struct dlssl__ossl *t, void *ssl, void *crypto, char **missing)
{
	size_t i, len = 0;
	int nmissing = 0;
	unsigned long have_caps = 0, lacking_caps = 0;

	*missing = NULL;
	for (i = 0; i < sizeof(descs) / sizeof(descs[0]); i++) {
		const struct dl_desc *d = &descs[i];
		void *h = d->lib == DL_LIB_CRYPTO ? crypto : ssl;
		dl_fp fp;

		if (!applies(d, t->flavor, t->level))
			continue;
		fp = dlssl__dl_sym(h, d->sym);
		if (fp == NULL && d->alt[0] != '\0')
			fp = dlssl__dl_sym(h, d->alt);
		memcpy((char *)t + d->off, &fp, sizeof(fp));
		if (fp != NULL) {
			have_caps |= public_cap(d->cap);
			continue;
		}
		lacking_caps |= public_cap(d->cap);
		if (!required(d, t->flavor))
			continue;
		nmissing++;
		if (append_name(missing, &len, d->sym, d->alt) < 0) {
			free(*missing);
			*missing = NULL;
			return -1;
		}
	}
	/* A capability needs every slot tagged with it. */
	t->caps |= have_caps & ~lacking_caps;
	return nmissing;
}
