/*
 * Probe one candidate: open it, read its version without initialising it,
 * check that it is a supported OpenSSL or LibreSSL, check that libssl and
 * libcrypto belong together, and bind every required symbol.
 */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ossl/dl.h"
#include "ossl/loader.h"

typedef unsigned long (*num_fn)(void);
typedef unsigned int (*part_fn)(void);
typedef const char *(*text_fn)(int);

#define REJECT(...) \
	do { \
		snprintf(p->reason, sizeof(p->reason), __VA_ARGS__); \
		return -1; \
	} while (0)

/* The libcrypto next to an explicitly named libssl: libssl* -> libcrypto*. */
char *
dlssl__sibling_crypto(const char *ssl_path)
{
	const char *base = strrchr(ssl_path, '/');
	const char *bs = strrchr(ssl_path, '\\');
	const char *rest, *repl;
	size_t dirlen;
	char *out;

	if (bs != NULL && (base == NULL || bs > base))
		base = bs;
	base = base ? base + 1 : ssl_path;
	dirlen = (size_t)(base - ssl_path);
	if (strncmp(base, "libssl", 6) == 0) {
		rest = base + 6;
		repl = "libcrypto";
	} else if (strncmp(base, "ssleay32", 8) == 0) {
		rest = base + 8;
		repl = "libeay32";
	} else {
		return NULL;
	}
	out = malloc(dirlen + strlen(repl) + strlen(rest) + 1);
	if (out == NULL)
		return NULL;
	memcpy(out, ssl_path, dirlen);
	strcpy(out + dirlen, repl);
	strcat(out, rest);
	if (!dlssl__dl_file_exists(out)) {
		free(out);
		return NULL;
	}
	return out;
}

/* Copy a version string, refusing anything that is not printable text. */
static int
copy_text(char *dst, size_t n, const char *src)
{
	size_t i;

	if (src == NULL)
		return -1;
	for (i = 0; i + 1 < n && src[i]; i++) {
		if (!isprint((unsigned char)src[i]))
			return -1;
		dst[i] = src[i];
	}
	dst[i] = '\0';
	return i > 0 ? 0 : -1;
}

static int
parse_triple(const char *s, unsigned int *a, unsigned int *b, unsigned int *c)
{
	*c = 0;
	return sscanf(s, "%u.%u.%u", a, b, c) >= 2 ? 0 : -1;
}

/* Identify the library: flavor, version, API level.  0 or -1 (reason set). */
static int
identify(struct dl_probe *p)
{
	void *h = p->crypto;
	dl_fp f_num = dlssl__dl_sym(h, "OpenSSL_version_num");
	dl_fp f_text = dlssl__dl_sym(h, "OpenSSL_version");
	dl_fp f_major = dlssl__dl_sym(h, "OPENSSL_version_major");
	dl_fp f_minor = dlssl__dl_sym(h, "OPENSSL_version_minor");
	dl_fp f_patch = dlssl__dl_sym(h, "OPENSSL_version_patch");
	unsigned int tmaj = 0, tmin = 0, tpat = 0;

	if (f_num == NULL)
		f_num = dlssl__dl_sym(h, "SSLeay");
	if (f_text == NULL)
		f_text = dlssl__dl_sym(h, "SSLeay_version");
	if (f_num == NULL || f_text == NULL)
		REJECT("not OpenSSL: exports neither OpenSSL_version_num nor SSLeay");
	/* These only return constants: nothing is initialised. */
	p->raw = ((num_fn)f_num)();
	if (copy_text(p->text, sizeof(p->text), ((text_fn)f_text)(DL_OPENSSL_VERSION)) < 0)
		REJECT("its version string is empty or not text (version number 0x%lx)", p->raw);

	if (strstr(p->text, "BoringSSL") || strstr(p->text, "AWS-LC") ||
	    strstr(p->text, "Tongsuo") || strstr(p->text, "BabaSSL"))
		REJECT("'%s' is a fork dlssl does not support (OpenSSL and LibreSSL only)", p->text);

	if (strncmp(p->text, "LibreSSL ", 9) == 0) {
		if (parse_triple(p->text + 9, &tmaj, &tmin, &tpat) < 0)
			REJECT("cannot read the LibreSSL version in '%s'", p->text);
		p->flavor = DLSSL_FLAVOR_LIBRESSL;
		p->major = tmaj;
		p->minor = tmin;
		p->patch = tpat;
		if (tmaj < 3)
			REJECT("%s is too old (LibreSSL 3.x or 4.x needed)", p->text);
		if (tmaj > 4)
			REJECT("%s is newer than this dlssl supports (LibreSSL 3.x or 4.x)", p->text);
		/* LibreSSL offers (most of) OpenSSL 1.1.1's API. */
		p->level = DL_V111;
		return 0;
	}
	if (strncmp(p->text, "OpenSSL ", 8) != 0)
		REJECT("unknown TLS library '%s' (version number 0x%lx): not OpenSSL or LibreSSL",
		    p->text, p->raw);
	if (parse_triple(p->text + 8, &tmaj, &tmin, &tpat) < 0)
		REJECT("cannot read the OpenSSL version in '%s'", p->text);

	p->flavor = DLSSL_FLAVOR_OPENSSL;
	if (f_major != NULL && f_minor != NULL && f_patch != NULL) {
		p->major = ((part_fn)f_major)();
		p->minor = ((part_fn)f_minor)();
		p->patch = ((part_fn)f_patch)();
	} else {
		/* 0xMNNFFPPS: major, minor, fix, patch letter, status. */
		p->major = (unsigned int)((p->raw >> 28) & 0xf);
		p->minor = (unsigned int)((p->raw >> 20) & 0xff);
		p->patch = (unsigned int)((p->raw >> 12) & 0xff);
	}
	if (p->major != tmaj || p->minor != tmin || p->patch != tpat)
		REJECT("version number %u.%u.%u (0x%lx) disagrees with its text '%s'",
		    p->major, p->minor, p->patch, p->raw, p->text);
	if (p->major == 3 || p->major == 4) {
		p->level = DL_V(p->major, p->minor, p->patch > 255 ? 255 : p->patch);
		return 0;
	}
	if ((p->major == 1 && p->minor == 1 && p->patch == 1) ||
	    (p->major == 1 && p->minor == 0 && p->patch == 2)) {
		p->level = DL_V(p->major, p->minor, p->patch);
		return 0;
	}
	if (p->major > 4)
		REJECT("%s is newer than this dlssl supports (1.0.2, 1.1.1, 3.x and 4.x)", p->text);
	REJECT("%s is not supported (dlssl supports OpenSSL 1.0.2, 1.1.1, 3.x and 4.x)", p->text);
}

/* Open both libraries and check they belong together. */
static int
open_pair(const struct dl_cand *c, struct dl_probe *p)
{
	char err[384];
	char *derived = NULL;
	const char *crypto_name = c->crypto;
	dl_fp in_ssl, in_crypto;

	if (crypto_name == NULL && dlssl__dl_is_absolute(c->ssl))
		crypto_name = derived = dlssl__sibling_crypto(c->ssl);
	p->ns = c->ns;
	/*
	 * libcrypto first, so libssl's dependency resolves to this very file;
	 * in a private namespace, libssl follows it into the same one.
	 */
	if (crypto_name != NULL) {
		p->crypto = dlssl__dl_open_ns(crypto_name, &p->ns, c->noload, err, sizeof(err));
		p->new_ns = c->ns == DL_NS_NEW && p->crypto != NULL;
		if (p->crypto == NULL) {
			snprintf(p->reason, sizeof(p->reason), "%s libcrypto %s: %s",
			    c->noload ? "not mapped:" : "cannot open", crypto_name, err);
			free(derived);
			return -1;
		}
	}
	free(derived);
	p->ssl = dlssl__dl_open_ns(c->ssl, &p->ns, c->noload, err, sizeof(err));
	if (p->crypto == NULL)
		p->new_ns = c->ns == DL_NS_NEW && p->ssl != NULL;
	if (p->ssl == NULL)
		REJECT("%s: %s", c->noload ? "not mapped" : "cannot open", err);
	if (dlssl__dl_sym(p->ssl, "SSL_CTX_new") == NULL)
		REJECT("not a libssl: no SSL_CTX_new");

	in_ssl = dlssl__dl_sym(p->ssl, "OpenSSL_version_num");
	if (in_ssl == NULL)
		in_ssl = dlssl__dl_sym(p->ssl, "SSLeay");
	if (p->crypto != NULL) {
		in_crypto = dlssl__dl_sym(p->crypto, "OpenSSL_version_num");
		if (in_crypto == NULL)
			in_crypto = dlssl__dl_sym(p->crypto, "SSLeay");
		if (in_crypto == NULL)
			REJECT("not a libcrypto: exports neither OpenSSL_version_num nor SSLeay");
		/*
		 * The libssl handle sees its own libcrypto (on Windows through the
		 * modules its imports were bound to): it must be ours.
		 */
		if (in_ssl != in_crypto) {
			char *used = dlssl__dl_path_of(in_ssl);

			snprintf(p->reason, sizeof(p->reason),
			    "libssl and libcrypto do not belong together: libssl resolved its "
			    "libcrypto to %s, not the requested one (same soname, different files?)",
			    used ? used : "another library");
			free(used);
			return -1;
		}
	} else {
		if (in_ssl == NULL)
			REJECT("no libcrypto found through libssl (no OpenSSL_version_num or SSLeay)");
		p->crypto = dlssl__dl_ns_handle_of(in_ssl, p->ns);
		if (p->crypto == NULL)
			REJECT("cannot find the libcrypto that libssl uses");
		in_crypto = in_ssl;
	}
	p->ssl_path = dlssl__dl_path_of(dlssl__dl_sym(p->ssl, "SSL_CTX_new"));
	p->crypto_path = dlssl__dl_path_of(in_crypto);
	return 0;
}

int
dlssl__probe(const struct dl_cand *c, struct dl_probe *p, struct dlssl__ossl *t)
{
	unsigned long t0;
	int n;

	memset(p, 0, sizeof(*p));
	if (open_pair(c, p) < 0)
		return -1;
	t0 = dlssl__now_ns();
	if (identify(p) < 0)
		return -1;
	t->flavor = p->flavor;
	t->level = p->level;
	t->raw_number = p->raw;
	t->major = p->major;
	t->minor = p->minor;
	t->patch = p->patch;
	n = dlssl__bind(t, p->ssl, p->crypto, &p->missing);
	p->bind_ns = dlssl__now_ns() - t0;
	if (n < 0)
		REJECT("out of memory while binding");
	if (n > 0)
		REJECT("%s lacks %d required symbol%s", p->text, n, n == 1 ? "" : "s");
	return 0;
}

void
dlssl__probe_release(struct dl_probe *p, int close_handles)
{
	if (close_handles) {
		/* A namespace made for them stays, empty, for the next one. */
		if (p->new_ns)
			dlssl__dl_ns_keep_spare(p->ns);
		/* Nothing was initialised yet, so these really unload. */
		dlssl__dl_close(p->ssl);
		dlssl__dl_close(p->crypto);
	}
	p->ssl = p->crypto = NULL;
	free(p->ssl_path);
	free(p->crypto_path);
	free(p->missing);
	p->ssl_path = p->crypto_path = p->missing = NULL;
}
