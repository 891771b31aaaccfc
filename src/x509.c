/*
 * Certificates: loading (PEM or DER, from a file or memory), the names,
 * addresses and dates in them, and fingerprints.
 *
 * Everything is read once, when the object is made (dlssl__x509_wrap), so
 * a struct dlssl_x509 never changes afterwards and the getters are plain
 * reads that any number of threads may make at once.
 */
#include "config.h"

#ifdef _WIN32
#include <ws2tcpip.h>
#else
#include <arpa/inet.h>
#endif
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "x509.h"
#include "compat/file.h"

/* A certificate file larger than this is refused (a chain is a few KiB). */
#define X509_FILE_MAX (1024 * 1024)

/* EVP_MAX_MD_SIZE: the largest digest X509_digest() writes. */
#define MD_MAX 64

static const char pem_marker[] = "-----BEGIN ";

/* ---- Small helpers ------------------------------------------------------ */

static void
free_list(char **list)
{
	size_t i;

	if (list == NULL)
		return;
	for (i = 0; list[i] != NULL; i++)
		free(list[i]);
	free(list);
}

static char *
dup_bytes(const void *p, size_t len)
{
	char *s;

	if ((s = malloc(len + 1)) == NULL)
		return NULL;
	memcpy(s, p, len);
	s[len] = '\0';
	return s;
}

/* OpenSSL's error queue as one line (it is emptied). */
static void
queue_text(const struct dlssl__ossl *api, char *buf, size_t size)
{
	unsigned long e;
	size_t used = 0;
	int n = 0;

	buf[0] = '\0';
	while ((e = api->ERR_get_error()) != 0) {
		if (n++ >= 4 || used + 3 >= size)
			continue;
		if (used > 0) {
			memcpy(buf + used, ": ", 3);
			used += 2;
		}
		api->ERR_error_string_n(e, buf + used, size - used);
		used += strlen(buf + used);
	}
}

/* A malloc'd message for a part of the certificate that failed to decode. */
static char *
part_error(const struct dlssl__ossl *api, const char *fmt, ...)
    DLSSL__PRINTF(2, 3);

static char *
part_error(const struct dlssl__ossl *api, const char *fmt, ...)
{
	char msg[512], queue[384];
	va_list ap;
	size_t len;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (api != NULL) {
		queue_text(api, queue, sizeof(queue));
		len = strlen(msg);
		if (queue[0] != '\0')
			snprintf(msg + len, sizeof(msg) - len, ": %s", queue);
	}
	return strdup(msg);
}

/* ---- Reading a certificate's parts (once, at wrap time) --------------------- */

/* The certificate's DER (malloc'd), or NULL. */
static unsigned char *
cert_der(const struct dlssl__ossl *api, X509 *x509, size_t *len)
{
	unsigned char *der, *p;
	int n;

	if ((n = api->i2d_X509(x509, NULL)) <= 0 || (der = malloc((size_t)n)) == NULL)
		return NULL;
	p = der;
	if (api->i2d_X509(x509, &p) != n) {
		free(der);
		return NULL;
	}
	*len = (size_t)n;
	return der;
}

/*
 * Subject and issuer in RFC 4514 form, from the DER.  0; -1 with *why
 * (and *which, the name) for a name dlssl refuses: an invalid string
 * (OpenSSL 3 refuses to load such a certificate, so with every version
 * dlssl does); -1 with *why NULL when out of memory.
 */
static int
read_names(struct dlssl_x509 *x, const unsigned char *der, size_t len, const char **which,
    const char **why)
{
	struct dlssl__der issuer, subject;

	*why = NULL;
	*which = "certificate";
	if (der == NULL)
		return -1;
	if (dlssl__x509_der_names(der, len, &issuer, &subject) < 0) {
		*why = "malformed certificate encoding";
		return -1;
	}
	*which = "subject name";
	if (dlssl__dn_format(subject.p, subject.len, &x->subject, why) < 0)
		return -1;
	*which = "issuer name";
	return dlssl__dn_format(issuer.p, issuer.len, &x->issuer, why);
}

void
dlssl__x509_subject_text(const struct dlssl__ossl *api, X509 *cert, char *buf, size_t size)
{
	struct dlssl__der issuer, subject;
	unsigned char *der;
	const char *why = "out of memory";
	char *text = NULL;
	size_t len = 0;

	if (size == 0)
		return;
	if ((der = cert_der(api, cert, &len)) != NULL) {
		why = "malformed certificate encoding";
		if (dlssl__x509_der_names(der, len, &issuer, &subject) == 0 &&
		    dlssl__dn_format(subject.p, subject.len, &text, &why) == 0)
			why = NULL;
	}
	if (why != NULL)
		snprintf(buf, size, "(unreadable name: %s)", why);
	else
		snprintf(buf, size, "%s", text);
	free(text);
	free(der);
}

/* One CN entry, decoded into *out; -1 with x->cn_error, or ENOMEM. */
static int
read_cn(struct dlssl_x509 *x, X509_NAME *name, int loc, size_t nth, char **out)
{
	const struct dlssl__ossl *api = x->api;
	X509_NAME_ENTRY *e;
	ASN1_STRING *s;
	const char *why;
	int len;

	if ((e = api->X509_NAME_get_entry(name, loc)) == NULL ||
	    (s = api->X509_NAME_ENTRY_get_data(e)) == NULL ||
	    (len = api->ASN1_STRING_length(s)) < 0) {
		x->cn_error = part_error(NULL, "subject CN %zu: missing value", nth + 1);
		return -1;
	}
	if (dlssl__asn1_string_utf8(api->ASN1_STRING_type(s),
	    api->ASN1_STRING_get0_data(s), (size_t)len, out, &why) == 0)
		return 0;
	if (why != NULL)
		x->cn_error = part_error(NULL,
		    "subject CN %zu (ASN.1 type %d) is not a valid string: %s",
		    nth + 1, api->ASN1_STRING_type(s), why);
	return -1;
}

/* Every CN of the subject; -1 only when out of memory. */
static int
read_cns(struct dlssl_x509 *x)
{
	const struct dlssl__ossl *api = x->api;
	X509_NAME *name = api->X509_get_subject_name(x->x509);
	size_t n = 0;
	int loc = -1;

	if (name != NULL)
		while ((loc = api->X509_NAME_get_index_by_NID(name, DL_NID_commonName, loc)) >= 0)
			n++;
	if ((x->cns = calloc(n + 1, sizeof(*x->cns))) == NULL)
		return -1;
	for (loc = -1; x->n_cns < n; x->n_cns++) {
		loc = api->X509_NAME_get_index_by_NID(name, DL_NID_commonName, loc);
		if (read_cn(x, name, loc, x->n_cns, &x->cns[x->n_cns]) < 0)
			break;
	}
	if (x->n_cns < n) {
		free_list(x->cns);
		x->cns = NULL;
		x->n_cns = 0;
		return x->cn_error != NULL ? 0 : -1;
	}
	return 0;
}

/*
 * A dNSName we list: non-empty printable ASCII.  Anything else (an
 * embedded NUL, a control character, a space, a non-ASCII byte) cannot be
 * a host name and would only invite mismatches between tools.
 */
static int
usable_dns(const unsigned char *p, int len)
{
	int i;

	if (p == NULL || len <= 0)
		return 0;
	for (i = 0; i < len; i++)
		if (p[i] <= 0x20 || p[i] >= 0x7F)
			return 0;
	return 1;
}

/* One GENERAL_NAME; -1 when out of memory. */
static int
read_general_name(struct dlssl_x509 *x, const struct dl_general_name *g)
{
	const struct dlssl__ossl *api = x->api;
	const unsigned char *p;
	char text[INET6_ADDRSTRLEN];
	struct dlssl__ip *ip;
	int len;

	if (g == NULL || (g->type != DL_GEN_DNS && g->type != DL_GEN_IPADD) ||
	    g->d.ptr == NULL)
		return 0;
	p = api->ASN1_STRING_get0_data(g->d.ia5);
	len = api->ASN1_STRING_length(g->d.ia5);
	if (g->type == DL_GEN_DNS) {
		x->n_dns_present++;
		if (!usable_dns(p, len))
			return 0;
		if ((x->dns[x->n_dns] = dup_bytes(p, (size_t)len)) == NULL)
			return -1;
		x->n_dns++;
		return 0;
	}
	if (p == NULL || (len != 4 && len != 16))
		return 0; /* not an address (RFC 5280 4.2.1.6) */
	ip = &x->ip_raw[x->n_ips];
	ip->len = (size_t)len;
	memcpy(ip->addr, p, ip->len);
	if (inet_ntop(len == 4 ? AF_INET : AF_INET6, ip->addr, text, sizeof(text)) == NULL ||
	    (x->ips[x->n_ips] = strdup(text)) == NULL)
		return -1;
	x->n_ips++;
	return 0;
}

static int
read_san_list(struct dlssl_x509 *x, OPENSSL_STACK *gens)
{
	const struct dlssl__ossl *api = x->api;
	int i, n = api->OPENSSL_sk_num(gens);

	if (n < 0)
		n = 0;
	if ((x->dns = calloc((size_t)n + 1, sizeof(*x->dns))) == NULL ||
	    (x->ips = calloc((size_t)n + 1, sizeof(*x->ips))) == NULL ||
	    (x->ip_raw = calloc((size_t)n + 1, sizeof(*x->ip_raw))) == NULL)
		return -1;
	for (i = 0; i < n; i++)
		if (read_general_name(x, api->OPENSSL_sk_value(gens, i)) < 0)
			return -1;
	return 0;
}

/* subjectAltName (RFC 5280 4.2.1.6); -1 only when out of memory. */
static int
read_sans(struct dlssl_x509 *x)
{
	const struct dlssl__ossl *api = x->api;
	OPENSSL_STACK *gens;
	int crit = -1, rv;

	gens = api->X509_get_ext_d2i(x->x509, DL_NID_subject_alt_name, &crit, NULL);
	if (gens == NULL && crit == -2) {
		x->san_error = part_error(api, "the certificate has more than one "
		    "subjectAltName extension");
		return x->san_error != NULL ? 0 : -1;
	}
	if (gens == NULL && crit != -1) {
		x->san_error = part_error(api, "cannot decode the subjectAltName extension");
		return x->san_error != NULL ? 0 : -1;
	}
	if (gens == NULL) {
		x->dns = calloc(1, sizeof(*x->dns));
		x->ips = calloc(1, sizeof(*x->ips));
		x->ip_raw = calloc(1, sizeof(*x->ip_raw));
		return x->dns && x->ips && x->ip_raw ? 0 : -1;
	}
	rv = read_san_list(x, gens);
	api->GENERAL_NAMES_free(gens);
	return rv;
}

static int
read_time(struct dlssl_x509 *x, const ASN1_TIME *at, const char *what, time_t *t)
{
	const struct dlssl__ossl *api = x->api;
	const char *why = "missing";
	int len;

	if (at != NULL && (len = api->ASN1_STRING_length(at)) >= 0 &&
	    dlssl__asn1_time_parse(api->ASN1_STRING_type(at),
	    api->ASN1_STRING_get0_data(at), (size_t)len, t, &why) == 0)
		return 0;
	x->time_error = part_error(NULL, "cannot read the certificate's %s: %s", what, why);
	return -1;
}

/* Validity from the DER encoding, where X509_get0_notBefore is missing (1.0.2). */
static int
read_der_times(struct dlssl_x509 *x, const unsigned char *der, size_t len)
{
	const char *why = "cannot encode the certificate";

	if (der != NULL && dlssl__x509_der_validity(der, len, &x->not_before, &x->not_after,
	    &why) == 0)
		return 0;
	x->time_error = part_error(x->api, "cannot read the certificate's validity: %s", why);
	return -1;
}

/* Validity; -1 only when out of memory. */
static int
read_times(struct dlssl_x509 *x, const unsigned char *der, size_t len)
{
	const struct dlssl__ossl *api = x->api;
	int rv;

	if (api->X509_get0_notBefore == NULL || api->X509_get0_notAfter == NULL)
		rv = read_der_times(x, der, len);
	else if ((rv = read_time(x, api->X509_get0_notBefore(x->x509), "notBefore",
	    &x->not_before)) == 0)
		rv = read_time(x, api->X509_get0_notAfter(x->x509), "notAfter", &x->not_after);
	/* A part that failed without a message failed for want of memory. */
	return rv == 0 || x->time_error != NULL ? 0 : -1;
}

static void
x509_destroy(struct dlssl_x509 *x)
{
	if (x->x509 != NULL)
		x->api->X509_free(x->x509);
	free(x->subject);
	free(x->issuer);
	free_list(x->cns);
	free(x->cn_error);
	free_list(x->dns);
	free_list(x->ips);
	free(x->ip_raw);
	free(x->san_error);
	free(x->time_error);
	free(x);
}

struct dlssl_x509 *
dlssl__x509_wrap(const struct dlssl__ossl *api, X509 *x509)
{
	struct dlssl_x509 *x;
	unsigned char *der;
	const char *which, *why;
	size_t len = 0;
	int rv;

	if (x509 == NULL) {
		dlssl__set_errorx(DLSSL_ERR_INTERNAL, "dlssl__x509_wrap: NULL certificate");
		return NULL;
	}
	if ((x = calloc(1, sizeof(*x))) == NULL) {
		api->X509_free(x509);
		dlssl__set_errorx(DLSSL_ERR_NOMEM, "cannot allocate a certificate");
		return NULL;
	}
	x->api = api;
	x->x509 = x509;
	/*
	 * The stream code wraps the peer's certificate inside the verify
	 * callback, so OpenSSL's error queue is left alone unless a part fails
	 * (then its entries go into that part's message).
	 */
	der = cert_der(api, x509, &len);
	if (read_names(x, der, len, &which, &why) < 0) {
		free(der);
		x509_destroy(x);
		if (why != NULL)
			dlssl__set_errorx(DLSSL_ERR_TLS, "the certificate's %s is invalid: %s", which, why);
		else
			dlssl__set_errorx(DLSSL_ERR_NOMEM, "out of memory reading a certificate");
		return NULL;
	}
	rv = read_cns(x) < 0 || read_sans(x) < 0 || read_times(x, der, len) < 0 ? -1 : 0;
	free(der);
	if (rv < 0) {
		x509_destroy(x);
		dlssl__set_errorx(DLSSL_ERR_NOMEM, "out of memory reading a certificate");
		return NULL;
	}
	return x;
}

X509 *
dlssl__x509_get(const struct dlssl_x509 *x)
{
	return x != NULL ? x->x509 : NULL;
}

const struct dlssl__ossl *
dlssl__x509_api(const struct dlssl_x509 *x)
{
	return x != NULL ? x->api : NULL;
}

/* ---- Loading ------------------------------------------------------------------ */

/* Never prompt on a terminal for the password of an encrypted PEM block. */
static int
no_password(char *buf, int size, int rwflag, void *u)
{
	return -1;
}

static int
has_pem_marker(const unsigned char *p, size_t len)
{
	size_t n = sizeof(pem_marker) - 1, i;

	for (i = 0; i + n <= len; i++)
		if (p[i] == '-' && memcmp(p + i, pem_marker, n) == 0)
			return 1;
	return 0;
}

static X509 *
decode_der(const struct dlssl__ossl *api, const unsigned char *p, size_t len,
    const char *what)
{
	const unsigned char *q = p;
	X509 *x509;

	api->ERR_clear_error();
	if ((x509 = api->d2i_X509(NULL, &q, (long)len)) == NULL) {
		dlssl__set_errorx(DLSSL_ERR_TLS, "%s: not a valid DER certificate", what);
		dlssl__ossl_append_errors(api);
		return NULL;
	}
	if (q != p + len) {
		api->X509_free(x509);
		dlssl__set_errorx(DLSSL_ERR_TLS, "%s: %zu bytes of unexpected data after "
		    "the DER certificate", what, (size_t)(p + len - q));
		return NULL;
	}
	return x509;
}

static X509 *
decode_pem(const struct dlssl__ossl *api, const unsigned char *p, size_t len,
    const char *what)
{
	X509 *x509 = NULL;
	BIO *bio;

	api->ERR_clear_error();
	if ((bio = api->BIO_new_mem_buf(p, (int)len)) != NULL) {
		x509 = api->PEM_read_bio_X509(bio, NULL, no_password, NULL);
		api->BIO_free(bio);
	}
	if (x509 == NULL) {
		dlssl__set_errorx(DLSSL_ERR_TLS, "%s: no PEM certificate could be read", what);
		dlssl__ossl_append_errors(api);
	}
	return x509;
}

/* PEM or DER, told apart by content. */
static struct dlssl_x509 *
decode(const unsigned char *p, size_t len, const char *what)
{
	const struct dlssl__ossl *api;
	struct dlssl_x509 *x;
	X509 *x509 = NULL;
	int pem;

	if (len == 0) {
		dlssl__set_errorx(DLSSL_ERR_TLS, "%s: empty, no certificate", what);
		return NULL;
	}
	if (len > INT_MAX) {
		dlssl__set_errorx(DLSSL_ERR_USAGE, "%s: %zu bytes is too large", what, len);
		return NULL;
	}
	if ((api = dlssl__api()) == NULL)
		return NULL;
	pem = has_pem_marker(p, len);
	/* A DER certificate starts with a SEQUENCE; a PEM file is text. */
	if (p[0] == 0x30)
		x509 = decode_der(api, p, len, what);
	if (x509 == NULL && pem)
		x509 = decode_pem(api, p, len, what);
	if (x509 == NULL && p[0] != 0x30 && !pem)
		dlssl__set_errorx(DLSSL_ERR_TLS, "%s: not a certificate (neither DER "
		    "nor PEM with a \"-----BEGIN\" line)", what);
	if (x509 == NULL)
		return NULL;
	if ((x = dlssl__x509_wrap(api, x509)) == NULL && dlssl_error_code() == DLSSL_ERR_TLS) {
		char msg[400];

		snprintf(msg, sizeof(msg), "%s", dlssl_error());
		dlssl__set_errorx(DLSSL_ERR_TLS, "%s: %s", what, msg);
	}
	return x;
}

/* The whole file, at most X509_FILE_MAX bytes, in *buf (malloc'd). */
static int
read_file(const char *path, unsigned char **buf, size_t *len)
{
	unsigned char *p = NULL, *np;
	size_t cap = 0, n = 0, got;
	FILE *f;
	int rv = -1;

	if ((f = dlssl__fopen(path, "rb")) == NULL) {
		dlssl__set_error(DLSSL_ERR_IO, "cannot open %s", path);
		return -1;
	}
	do {
		if (n == cap) {
			cap = cap == 0 ? 16384 : cap * 2;
			if ((np = realloc(p, cap + 1)) == NULL) {
				dlssl__set_errorx(DLSSL_ERR_NOMEM, "reading %s: out of memory", path);
				goto out;
			}
			p = np;
		}
		got = fread(p + n, 1, cap - n, f);
		n += got;
	} while (got > 0 && n <= X509_FILE_MAX);
	if (ferror(f))
		dlssl__set_error(DLSSL_ERR_IO, "cannot read %s", path);
	else if (n > X509_FILE_MAX)
		dlssl__set_errorx(DLSSL_ERR_IO, "%s: larger than %d bytes, the limit for "
		    "a certificate file", path, X509_FILE_MAX);
	else
		rv = 0;
out:
	fclose(f);
	if (rv == 0) {
		*buf = p;
		*len = n;
	} else {
		free(p);
	}
	return rv;
}

DLSSL_EXPORT struct dlssl_x509 *
dlssl_x509_load_file(const char *path)
{
	struct dlssl_x509 *x = NULL;
	unsigned char *buf;
	size_t len;

	dlssl__error_clear();
	if (path == NULL) {
		dlssl__set_errorx(DLSSL_ERR_USAGE, "dlssl_x509_load_file: NULL path");
		return NULL;
	}
	if (read_file(path, &buf, &len) < 0)
		return NULL;
	x = decode(buf, len, path);
	free(buf);
	return x;
}

DLSSL_EXPORT struct dlssl_x509 *
dlssl_x509_load_mem(const void *data, size_t len)
{
	dlssl__error_clear();
	if (data == NULL) {
		dlssl__set_errorx(DLSSL_ERR_USAGE, "dlssl_x509_load_mem: NULL data");
		return NULL;
	}
	return decode(data, len, "certificate in memory");
}

DLSSL_EXPORT void
dlssl_x509_free(struct dlssl_x509 *x)
{
	if (x != NULL)
		x509_destroy(x);
}

/* ---- Getters ------------------------------------------------------------------ */

static int
check_arg(const struct dlssl_x509 *x, const char *fn)
{
	dlssl__error_clear();
	if (x == NULL) {
		dlssl__set_errorx(DLSSL_ERR_USAGE, "%s: NULL certificate", fn);
		return -1;
	}
	return 0;
}

DLSSL_EXPORT const char *
dlssl_x509_subject(const struct dlssl_x509 *x)
{
	return check_arg(x, "dlssl_x509_subject") < 0 ? NULL : x->subject;
}

DLSSL_EXPORT const char *
dlssl_x509_issuer(const struct dlssl_x509 *x)
{
	return check_arg(x, "dlssl_x509_issuer") < 0 ? NULL : x->issuer;
}

/* A list getter: the list, or NULL with the part's error. */
static const char *const *
list_result(char **list, size_t n, const char *error, size_t *count)
{
	if (count != NULL)
		*count = 0;
	if (error != NULL) {
		dlssl__set_errorx(DLSSL_ERR_TLS, "%s", error);
		return NULL;
	}
	if (list == NULL) {
		dlssl__set_errorx(DLSSL_ERR_NOMEM, "out of memory reading a certificate");
		return NULL;
	}
	if (count != NULL)
		*count = n;
	return (const char *const *)list;
}

DLSSL_EXPORT const char *const *
dlssl_x509_subject_cns(const struct dlssl_x509 *x, size_t *count)
{
	if (check_arg(x, "dlssl_x509_subject_cns") < 0) {
		if (count != NULL)
			*count = 0;
		return NULL;
	}
	return list_result(x->cns, x->n_cns, x->cn_error, count);
}

DLSSL_EXPORT const char *const *
dlssl_x509_dns_names(const struct dlssl_x509 *x, size_t *count)
{
	if (check_arg(x, "dlssl_x509_dns_names") < 0) {
		if (count != NULL)
			*count = 0;
		return NULL;
	}
	return list_result(x->dns, x->n_dns, x->san_error, count);
}

DLSSL_EXPORT const char *const *
dlssl_x509_ip_addresses(const struct dlssl_x509 *x, size_t *count)
{
	if (check_arg(x, "dlssl_x509_ip_addresses") < 0) {
		if (count != NULL)
			*count = 0;
		return NULL;
	}
	return list_result(x->ips, x->n_ips, x->san_error, count);
}

DLSSL_EXPORT int
dlssl_x509_validity(const struct dlssl_x509 *x, time_t *not_before, time_t *not_after)
{
	if (check_arg(x, "dlssl_x509_validity") < 0)
		return -1;
	if (x->time_error != NULL) {
		dlssl__set_errorx(DLSSL_ERR_TLS, "%s", x->time_error);
		return -1;
	}
	if (not_before != NULL)
		*not_before = x->not_before;
	if (not_after != NULL)
		*not_after = x->not_after;
	return 0;
}

/* ---- Fingerprints ------------------------------------------------------------- */

static int
digest(const struct dlssl_x509 *x, const char *name, unsigned char *md, unsigned int *n,
    const char *fn)
{
	const struct dlssl__ossl *api;
	const EVP_MD *type;

	if (check_arg(x, fn) < 0)
		return -1;
	if (name == NULL) {
		dlssl__set_errorx(DLSSL_ERR_USAGE, "%s: NULL digest name", fn);
		return -1;
	}
	if (dlssl__ossl_check_current(x->api) < 0)
		return -1;
	api = x->api;
	api->ERR_clear_error();
	if ((type = api->EVP_get_digestbyname(name)) == NULL) {
		dlssl__set_errorx(DLSSL_ERR_USAGE, "%s: unknown digest algorithm \"%s\"", fn, name);
		api->ERR_clear_error();
		return -1;
	}
	if (api->X509_digest(x->x509, type, md, n) != 1 || *n == 0 || *n > MD_MAX) {
		dlssl__set_errorx(DLSSL_ERR_TLS, "%s: cannot compute the %s digest of the "
		    "certificate", fn, name);
		dlssl__ossl_append_errors(api);
		return -1;
	}
	return 0;
}

DLSSL_EXPORT int
dlssl_x509_fingerprint(const struct dlssl_x509 *x, const char *name,
    unsigned char *out, size_t outlen)
{
	unsigned char md[MD_MAX];
	unsigned int n = 0;

	if (digest(x, name, md, &n, "dlssl_x509_fingerprint") < 0)
		return -1;
	if (out == NULL || outlen < n) {
		dlssl__set_errorx(DLSSL_ERR_USAGE, "dlssl_x509_fingerprint: a %u-byte %s "
		    "digest does not fit in %zu bytes", n, name, out == NULL ? 0 : outlen);
		return -1;
	}
	memcpy(out, md, n);
	return (int)n;
}

DLSSL_EXPORT int
dlssl_x509_fingerprint_hex(const struct dlssl_x509 *x, const char *name,
    char *out, size_t outlen)
{
	static const char hexdig[] = "0123456789ABCDEF";
	unsigned char md[MD_MAX];
	unsigned int n = 0, i;

	if (digest(x, name, md, &n, "dlssl_x509_fingerprint_hex") < 0)
		return -1;
	if (out == NULL || outlen < 3 * (size_t)n) {
		dlssl__set_errorx(DLSSL_ERR_USAGE, "dlssl_x509_fingerprint_hex: the %s "
		    "fingerprint needs %u bytes, got %zu", name, 3 * n,
		    out == NULL ? 0 : outlen);
		return -1;
	}
	for (i = 0; i < n; i++) {
		out[3 * i] = hexdig[md[i] >> 4];
		out[3 * i + 1] = hexdig[md[i] & 0x0F];
		out[3 * i + 2] = i + 1 < n ? ':' : '\0';
	}
	return (int)(3 * n - 1);
}
