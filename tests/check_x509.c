/*
 * Certificates (src/x509.c): loading PEM and DER from files and memory, the
 * names, CNs, SANs, dates and fingerprints, on the fixtures of tests/pki/.
 *
 * Values that openssl(1) derives (fingerprints, subjects, dates) come from
 * tests/pki/expected.txt, written by tests/pki/gen.sh when it made the
 * fixtures; values that gen.sh put in (CN strings, SANs) are spelled out
 * here as gen.sh spells them.  The decoders (strings, times, DER) are also
 * tested directly with tables.  Without a libssl only those tables run and
 * the program exits 77 (SKIP).
 */
#include "config.h"

#include <check.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "named_library.h"
#include "x509.h"

#ifndef PKI_DIR
#error "PKI_DIR must name tests/pki"
#endif
#define PKI(name) PKI_DIR "/" name
#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* ---- expected.txt -------------------------------------------------------------- */

struct fact {
	char *file;
	char *key;
	char *value;
};

static struct fact *facts;
static size_t n_facts;
static char **fact_files;      /* distinct files, in order */
static size_t n_fact_files;

static void
add_fact(char *line)
{
	char *key, *value;

	if ((key = strchr(line, ' ')) == NULL || (value = strchr(key + 1, ' ')) == NULL)
		return;
	*key++ = '\0';
	*value++ = '\0';
	facts = realloc(facts, (n_facts + 1) * sizeof(*facts));
	facts[n_facts].file = strdup(line);
	facts[n_facts].key = strdup(key);
	facts[n_facts].value = strdup(value);
	if (n_fact_files == 0 || strcmp(fact_files[n_fact_files - 1], line) != 0) {
		fact_files = realloc(fact_files, (n_fact_files + 1) * sizeof(*fact_files));
		fact_files[n_fact_files++] = facts[n_facts].file;
	}
	n_facts++;
}

static void
load_facts(void)
{
	char line[1024];
	size_t len;
	FILE *f = fopen(PKI("expected.txt"), "r");

	if (f == NULL) {
		perror(PKI("expected.txt"));
		exit(EXIT_FAILURE);
	}
	while (fgets(line, sizeof(line), f) != NULL) {
		len = strcspn(line, "\r\n");
		line[len] = '\0';
		if (line[0] != '#' && line[0] != '\0')
			add_fact(line);
	}
	fclose(f);
}

static void
free_facts(void)
{
	size_t i;

	for (i = 0; i < n_facts; i++) {
		free(facts[i].file);
		free(facts[i].key);
		free(facts[i].value);
	}
	free(facts);
	free(fact_files);
}

static const char *
fact(const char *file, const char *key)
{
	size_t i;

	for (i = 0; i < n_facts; i++)
		if (strcmp(facts[i].file, file) == 0 && strcmp(facts[i].key, key) == 0)
			return facts[i].value;
	return NULL;
}

/* ---- Helpers -------------------------------------------------------------------- */

static char *
pki_path(const char *name)
{
	static char path[1024];

	snprintf(path, sizeof(path), "%s/%s", PKI_DIR, name);
	return path;
}

static struct dlssl_x509 *
load(const char *name)
{
	struct dlssl_x509 *x = dlssl_x509_load_file(pki_path(name));

	ck_assert_msg(x != NULL, "%s: %s", name, dlssl_error());
	ck_assert_ptr_null(dlssl_error());
	return x;
}

static unsigned char *
slurp(const char *path, size_t *len)
{
	unsigned char *buf;
	long n;
	FILE *f = fopen(path, "rb");

	ck_assert_msg(f != NULL, "%s: %s", path, strerror(errno));
	ck_assert_int_eq(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	rewind(f);
	buf = malloc((size_t)n + 1);
	ck_assert_ptr_nonnull(buf);
	ck_assert_uint_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	*len = (size_t)n;
	return buf;
}

/* A temporary file with these bytes; the caller unlinks it. */
static char *
temp_file(const void *data, size_t len)
{
	static char path[64];
	int fd;

	snprintf(path, sizeof(path), "/tmp/check_x509.XXXXXX");
	fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	ck_assert(len == 0 || write(fd, data, len) == (ssize_t)len);
	close(fd);
	return path;
}

static void
assert_list(const char *const *got, size_t n, const char *const *want, size_t nwant,
    const char *what)
{
	size_t i;

	ck_assert_msg(got != NULL, "%s: %s", what, dlssl_error());
	ck_assert_msg(n == nwant, "%s: %zu entries, want %zu", what, n, nwant);
	for (i = 0; i < n; i++)
		ck_assert_msg(strcmp(got[i], want[i]) == 0, "%s[%zu] = \"%s\", want \"%s\"",
		    what, i, got[i], want[i]);
	ck_assert_ptr_null(got[n]);
}

/* ---- Safety: NULL arguments --------------------------------------------------------- */

START_TEST(test_safety)
{
	unsigned char md[64];
	char hex[200];
	time_t t;
	size_t n = 99;

	ck_assert_ptr_null(dlssl_x509_load_file(NULL));
	ck_assert_int_eq(dlssl_error_code(), DLSSL_ERR_USAGE);
	ck_assert_ptr_null(dlssl_x509_load_mem(NULL, 0));
	ck_assert_int_eq(dlssl_error_code(), DLSSL_ERR_USAGE);
	ck_assert_ptr_null(dlssl_x509_load_mem(NULL, 100));
	ck_assert_int_eq(dlssl_error_code(), DLSSL_ERR_USAGE);
	dlssl_x509_free(NULL);
	ck_assert_ptr_null(dlssl_x509_subject(NULL));
	ck_assert_int_eq(dlssl_error_code(), DLSSL_ERR_USAGE);
	ck_assert_ptr_null(dlssl_x509_issuer(NULL));
	ck_assert_int_eq(dlssl_error_code(), DLSSL_ERR_USAGE);
	ck_assert_ptr_null(dlssl_x509_subject_cns(NULL, &n));
	ck_assert_int_eq(dlssl_error_code(), DLSSL_ERR_USAGE);
	ck_assert_uint_eq(n, 0);
	n = 99;
	ck_assert_ptr_null(dlssl_x509_dns_names(NULL, &n));
	ck_assert_uint_eq(n, 0);
	ck_assert_ptr_null(dlssl_x509_ip_addresses(NULL, NULL));
	ck_assert_int_eq(dlssl_error_code(), DLSSL_ERR_USAGE);
	ck_assert_int_eq(dlssl_x509_validity(NULL, &t, &t), -1);
	ck_assert_int_eq(dlssl_error_code(), DLSSL_ERR_USAGE);
	ck_assert_int_eq(dlssl_x509_fingerprint(NULL, "sha256", md, sizeof(md)), -1);
	ck_assert_int_eq(dlssl_error_code(), DLSSL_ERR_USAGE);
	ck_assert_int_eq(dlssl_x509_fingerprint_hex(NULL, "sha256", hex, sizeof(hex)), -1);
	ck_assert_int_eq(dlssl_error_code(), DLSSL_ERR_USAGE);
	ck_assert_ptr_null(dlssl__x509_get(NULL));
	ck_assert_ptr_null(dlssl__x509_api(NULL));
}
END_TEST

/* ---- Every fixture against what openssl(1) said about it ---------------------------- */

static void
check_fingerprints(const struct dlssl_x509 *x, const char *file)
{
	static const char *const mds[] = { "sha256", "sha1", "md5" };
	char hex[200];
	const char *want;
	size_t i;
	int n;

	for (i = 0; i < NELEM(mds); i++) {
		if ((want = fact(file, mds[i])) == NULL)
			continue;
		n = dlssl_x509_fingerprint_hex(x, mds[i], hex, sizeof(hex));
		if (n < 0 && strcmp(mds[i], "md5") == 0 && dlssl_error_code() == DLSSL_ERR_TLS)
			continue; /* a FIPS libcrypto refuses MD5 */
		ck_assert_msg(n >= 0, "%s %s: %s", file, mds[i], dlssl_error());
		ck_assert_int_eq((size_t)n, strlen(want));
		ck_assert_msg(strcmp(hex, want) == 0, "%s %s: %s, want %s", file, mds[i], hex, want);
	}
}

static void
check_dates(const struct dlssl_x509 *x, const char *file)
{
	const char *nb = fact(file, "not_before"), *na = fact(file, "not_after");
	time_t b = 0, a = 0;

	ck_assert_msg(dlssl_x509_validity(x, &b, &a) == 0, "%s: %s", file, dlssl_error());
	ck_assert_msg(nb != NULL && strtoll(nb, NULL, 10) == (long long)b,
	    "%s: notBefore %lld, want %s", file, (long long)b, nb);
	ck_assert_msg(na != NULL && strtoll(na, NULL, 10) == (long long)a,
	    "%s: notAfter %lld, want %s", file, (long long)a, na);
}

START_TEST(test_expected)
{
	const char *file = fact_files[_i], *want;
	struct dlssl_x509 *x;

	if ((want = fact(file, "loads")) != NULL) {
		/* OpenSSL itself refuses it: so must we, and say why. */
		x = dlssl_x509_load_file(pki_path(file));
		ck_assert_msg(x == NULL, "%s loaded, but openssl refused it", file);
		ck_assert_int_eq(dlssl_error_code(), DLSSL_ERR_TLS);
		ck_assert_ptr_nonnull(strstr(dlssl_error(), file));
		return;
	}
	x = load(file);
	ck_assert_msg(strcmp(dlssl_x509_subject(x), fact(file, "subject")) == 0,
	    "%s: subject \"%s\", want \"%s\"", file, dlssl_x509_subject(x), fact(file, "subject"));
	ck_assert_msg(strcmp(dlssl_x509_issuer(x), fact(file, "issuer")) == 0,
	    "%s: issuer \"%s\", want \"%s\"", file, dlssl_x509_issuer(x), fact(file, "issuer"));
	check_dates(x, file);
	check_fingerprints(x, file);
	dlssl_x509_free(x);
}
END_TEST

/* ---- Loading ------------------------------------------------------------------------ */

static void
assert_same_cert(struct dlssl_x509 *x, const char *what)
{
	char hex[200];

	ck_assert_msg(x != NULL, "%s: %s", what, dlssl_error());
	ck_assert_int_gt(dlssl_x509_fingerprint_hex(x, "sha256", hex, sizeof(hex)), 0);
	ck_assert_msg(strcmp(hex, fact("localhost.crt", "sha256")) == 0, "%s: %s", what, hex);
	ck_assert_str_eq(dlssl_x509_subject(x), "CN=localhost");
	dlssl_x509_free(x);
}

START_TEST(test_load_forms)
{
	unsigned char *pem, *der, *key, *both;
	size_t pem_len, der_len, key_len;
	static const char junk[] = "Some text before the certificate.\n";

	pem = slurp(pki_path("localhost.crt"), &pem_len);
	der = slurp(pki_path("localhost.der"), &der_len);
	key = slurp(pki_path("localhost.key"), &key_len);
	assert_same_cert(dlssl_x509_load_file(pki_path("localhost.crt")), "PEM file");
	assert_same_cert(dlssl_x509_load_file(pki_path("localhost.der")), "DER file");
	assert_same_cert(dlssl_x509_load_mem(pem, pem_len), "PEM in memory");
	assert_same_cert(dlssl_x509_load_mem(der, der_len), "DER in memory");
	/* A chain file gives its first certificate. */
	assert_same_cert(dlssl_x509_load_file(pki_path("localhost-chain.pem")), "chain");
	/* Other PEM blocks and text before the certificate are skipped. */
	both = malloc(key_len + sizeof(junk) + pem_len);
	memcpy(both, key, key_len);
	memcpy(both + key_len, junk, sizeof(junk) - 1);
	memcpy(both + key_len + sizeof(junk) - 1, pem, pem_len);
	assert_same_cert(dlssl_x509_load_mem(both, key_len + sizeof(junk) - 1 + pem_len),
	    "key, text, then certificate");
	/* Memory is not kept: the caller may reuse it at once. */
	free(both);
	free(pem);
	free(der);
	free(key);
}
END_TEST

static void
assert_load_fails(const void *data, size_t len, int code, const char *needle, const char *what)
{
	char *path = temp_file(data, len);
	struct dlssl_x509 *x = dlssl_x509_load_file(path);

	ck_assert_msg(x == NULL, "%s: loaded", what);
	ck_assert_msg(dlssl_error_code() == code, "%s: code %d (%s), want %d", what,
	    dlssl_error_code(), dlssl_error(), code);
	ck_assert_msg(strstr(dlssl_error(), path) != NULL, "%s: \"%s\" does not name the file",
	    what, dlssl_error());
	if (needle != NULL)
		ck_assert_msg(strstr(dlssl_error(), needle) != NULL, "%s: \"%s\" lacks \"%s\"",
		    what, dlssl_error(), needle);
	unlink(path);
	if (len > 0 && len <= 65536) {
		x = dlssl_x509_load_mem(data, len);
		ck_assert_msg(x == NULL, "%s: loaded from memory", what);
		ck_assert_int_eq(dlssl_error_code(), code);
	}
}

START_TEST(test_load_errors)
{
	unsigned char *pem, *der, *buf;
	size_t pem_len, der_len;
	static const unsigned char seq[] = { 0x30, 0x03, 0x02, 0x01, 0x01 };
	static const char text[] = "hello, world\n";
	struct dlssl_x509 *x;

	pem = slurp(pki_path("localhost.crt"), &pem_len);
	der = slurp(pki_path("localhost.der"), &der_len);

	x = dlssl_x509_load_file(pki_path("no-such-file.pem"));
	ck_assert_ptr_null(x);
	ck_assert_int_eq(dlssl_error_code(), DLSSL_ERR_IO);
	ck_assert_ptr_nonnull(strstr(dlssl_error(), "no-such-file.pem"));
	ck_assert_ptr_nonnull(strstr(dlssl_error(), strerror(ENOENT)));
	x = dlssl_x509_load_file(PKI_DIR);
	ck_assert_ptr_null(x);
	ck_assert_int_eq(dlssl_error_code(), DLSSL_ERR_IO);
	ck_assert_ptr_nonnull(strstr(dlssl_error(), strerror(EISDIR)));

	assert_load_fails("", 0, DLSSL_ERR_TLS, "empty", "empty file");
	ck_assert_ptr_null(dlssl_x509_load_mem(text, 0));
	ck_assert_int_eq(dlssl_error_code(), DLSSL_ERR_TLS);
	assert_load_fails(der, der_len / 2, DLSSL_ERR_TLS, "DER", "truncated DER");
	assert_load_fails(der, 1, DLSSL_ERR_TLS, NULL, "one byte");
	assert_load_fails(pem, pem_len / 2, DLSSL_ERR_TLS, "PEM", "truncated PEM");
	assert_load_fails(text, sizeof(text) - 1, DLSSL_ERR_TLS, "not a certificate", "text");
	assert_load_fails(seq, sizeof(seq), DLSSL_ERR_TLS, "DER", "a SEQUENCE");

	buf = malloc(der_len + 3);
	memcpy(buf, der, der_len);
	memcpy(buf + der_len, "\0\0\n", 3);
	assert_load_fails(buf, der_len + 3, DLSSL_ERR_TLS, "3 bytes", "DER with trailing data");
	free(buf);

	/* PEM blocks that are not certificates. */
	free(pem);
	pem = slurp(pki_path("localhost.key"), &pem_len);
	assert_load_fails(pem, pem_len, DLSSL_ERR_TLS, NULL, "a key");
	free(pem);
	pem = slurp(pki_path("localhost-key-enc-trad.pem"), &pem_len);
	assert_load_fails(pem, pem_len, DLSSL_ERR_TLS, NULL, "an encrypted key");
	free(pem);
	free(der);

	/* Files are read up to 1 MiB. */
	buf = calloc(1, 1024 * 1024 + 1);
	memset(buf, 'x', 1024 * 1024 + 1);
	assert_load_fails(buf, 1024 * 1024 + 1, DLSSL_ERR_IO, "1048576", "too large");
	assert_load_fails(buf, 1024 * 1024, DLSSL_ERR_TLS, "not a certificate", "1 MiB of x");
	free(buf);
}
END_TEST

/* ---- Subject CNs ------------------------------------------------------------------------ */

struct cn_case {
	const char *file;
	size_t n;                 /* names wanted, when error is NULL */
	const char *names[3];
	const char *error;        /* a word of the message, for invalid CNs */
};

static const struct cn_case cn_cases[] = {
	{ "localhost.crt", 1, { "localhost" }, NULL },
	{ "root-ca.crt", 1, { "dlssl Test Root CA" }, NULL },
	{ "multi-cn.crt", 3, { "first.example", "second.example", "Gr\xc3\xbc\xc3\x9f" "e" }, NULL },
	{ "clplus/client-server-certificate.pem", 0, { NULL }, NULL },
	{ "cn/utf8.der", 1, { "www.example.com" }, NULL },
	{ "cn/utf8-nonascii.der", 1, { "Gr\xc3\xbc\xc3\x9f" "e\xf0\x9f\x94\x92" }, NULL },
	{ "cn/printable.der", 1, { "*.google.co.uk" }, NULL },
	{ "cn/teletex.der", 1, { "*.google.co.uk" }, NULL },
	{ "cn/teletex-latin1.der", 1, { "Gr\xc3\xbc\xc3\x9f" "e" }, NULL },
	{ "cn/ia5.der", 1, { "www.example.com" }, NULL },
	{ "cn/bmp.der", 1, { "google.co.uk" }, NULL },
	{ "cn/bmp-nonascii.der", 1, { "Gr\xc3\xbc\xc3\x9f" "e" }, NULL },
	{ "cn/universal.der", 1, { "google.co.uk" }, NULL },
	{ "cn/universal-nonbmp.der", 1, { "G\xf0\x9f\x94\x92" }, NULL },
	{ "cn/empty.der", 1, { "" }, NULL },
	{ "clplus/google_printable.der", 1, { "*.google.co.uk" }, NULL },
	{ "clplus/google_teletex.der", 1, { "*.google.co.uk" }, NULL },
	{ "clplus/google_bmp.der", 1, { "google.co.uk" }, NULL },
	{ "clplus/google_universal.der", 1, { "google.co.uk" }, NULL },
	/*
	 * Invalid values.  OpenSSL 3 already refuses to load some of them (its
	 * name canonicalisation decodes them); older libraries may not, and
	 * then the CN decoder must.
	 */
	{ "cn/bad-bmp-odd.der", 0, { NULL }, "odd length" },
	{ "cn/bad-bmp-surrogate.der", 0, { NULL }, "surrogate" },
	{ "cn/bad-bmp-nul.der", 0, { NULL }, "NUL" },
	{ "cn/bad-universal-range.der", 0, { NULL }, "U+10FFFF" },
	{ "cn/bad-universal-len.der", 0, { NULL }, "multiple of 4" },
	{ "cn/bad-universal-surrogate.der", 0, { NULL }, "surrogate" },
	{ "cn/bad-utf8-overlong.der", 0, { NULL }, "UTF-8" },
	{ "cn/bad-utf8-truncated.der", 0, { NULL }, "UTF-8" },
	{ "cn/bad-utf8-surrogate.der", 0, { NULL }, "surrogate" },
	{ "cn/bad-utf8-nul.der", 0, { NULL }, "NUL" },
	{ "cn/bad-printable.der", 0, { NULL }, "PrintableString" },
	{ "cn/bad-ia5-high.der", 0, { NULL }, "IA5String" },
	{ "cn/bad-teletex-nul.der", 0, { NULL }, "NUL" },
	{ "cn/bad-type-numeric.der", 0, { NULL }, "unsupported" },
	{ "clplus/google_printable_bad.der", 0, { NULL }, "PrintableString" },
};

START_TEST(test_cns)
{
	const struct cn_case *c = &cn_cases[_i];
	const char *const *got;
	struct dlssl_x509 *x;
	size_t n = 99;

	x = dlssl_x509_load_file(pki_path(c->file));
	if (x == NULL) {
		ck_assert_msg(c->error != NULL, "%s: %s", c->file, dlssl_error());
		ck_assert_int_eq(dlssl_error_code(), DLSSL_ERR_TLS);
		return;
	}
	got = dlssl_x509_subject_cns(x, &n);
	if (c->error == NULL) {
		assert_list(got, n, c->names, c->n, c->file);
		ck_assert_ptr_eq(dlssl_x509_subject_cns(x, NULL), got);
	} else {
		ck_assert_msg(got == NULL, "%s: decoded \"%s\"", c->file, got ? got[0] : "");
		ck_assert_uint_eq(n, 0);
		ck_assert_int_eq(dlssl_error_code(), DLSSL_ERR_TLS);
		ck_assert_msg(strstr(dlssl_error(), c->error) != NULL, "%s: \"%s\" lacks \"%s\"",
		    c->file, dlssl_error(), c->error);
		/* The rest of the certificate is still readable. */
		ck_assert_ptr_nonnull(dlssl_x509_subject(x));
		ck_assert_ptr_nonnull(dlssl_x509_dns_names(x, NULL));
	}
	dlssl_x509_free(x);
}
END_TEST

/* ---- Subject alternative names ------------------------------------------------------------ */

START_TEST(test_sans)
{
	static const char *const local_dns[] = { "localhost" };
	static const char *const local_ips[] = { "127.0.0.1", "::1" };
	static const char *const weird_dns[] = { "good.example" };
	static const char *const weird_ips[] = { "10.0.0.1", "2001:db8::1", "::ffff:192.0.2.1" };
	static const char *const wild_dns[] = { "*.example.com" };
	static const char *const google_dns[] = { "google.com", "*.google.com", "*.android.com",
	    "*.fr.doubleclick.net", "*.appengine.google.com", "youtube.com", "*.youtube.com",
	    "android.com", "g.co" };
	const char *const *l;
	struct dlssl_x509 *x;
	size_t n;

	x = load("localhost.crt");
	l = dlssl_x509_dns_names(x, &n);
	assert_list(l, n, local_dns, NELEM(local_dns), "localhost DNS");
	l = dlssl_x509_ip_addresses(x, &n);
	assert_list(l, n, local_ips, NELEM(local_ips), "localhost IP");
	dlssl_x509_free(x);

	x = load("clplus/localhost.der");
	l = dlssl_x509_ip_addresses(x, &n);
	assert_list(l, n, local_ips, NELEM(local_ips), "CL+SSL localhost IP");
	dlssl_x509_free(x);

	/* Unusable dNSNames (NUL, non-ASCII, empty) and 5-octet addresses are left out. */
	x = load("weird-san.der");
	l = dlssl_x509_dns_names(x, &n);
	assert_list(l, n, weird_dns, NELEM(weird_dns), "weird DNS");
	l = dlssl_x509_ip_addresses(x, &n);
	assert_list(l, n, weird_ips, NELEM(weird_ips), "weird IP");
	dlssl_x509_free(x);

	x = load("wildcard.crt");
	l = dlssl_x509_dns_names(x, &n);
	assert_list(l, n, wild_dns, NELEM(wild_dns), "wildcard DNS");
	dlssl_x509_free(x);

	x = load("clplus/google.der");
	l = dlssl_x509_dns_names(x, &n);
	assert_list(l, n, google_dns, NELEM(google_dns), "google DNS");
	dlssl_x509_free(x);

	/* No SAN: empty lists, not errors. */
	x = load("cn-only.crt");
	l = dlssl_x509_dns_names(x, &n);
	assert_list(l, n, NULL, 0, "no SAN DNS");
	l = dlssl_x509_ip_addresses(x, NULL);
	ck_assert_ptr_nonnull(l);
	ck_assert_ptr_null(l[0]);
	dlssl_x509_free(x);
}
END_TEST

START_TEST(test_bad_sans)
{
	static const char *const files[] = { "dup-san.der", "bad-san.der" };
	struct dlssl_x509 *x;
	size_t i, n;

	for (i = 0; i < NELEM(files); i++) {
		x = load(files[i]);
		n = 99;
		ck_assert_ptr_null(dlssl_x509_dns_names(x, &n));
		ck_assert_uint_eq(n, 0);
		ck_assert_int_eq(dlssl_error_code(), DLSSL_ERR_TLS);
		ck_assert_ptr_nonnull(strstr(dlssl_error(), "subjectAltName"));
		ck_assert_ptr_null(dlssl_x509_ip_addresses(x, &n));
		ck_assert_int_eq(dlssl_error_code(), DLSSL_ERR_TLS);
		/* The rest still works. */
		ck_assert_str_eq(dlssl_x509_subject(x), "CN=localhost");
		ck_assert_ptr_nonnull(dlssl_x509_subject_cns(x, NULL));
		dlssl_x509_free(x);
	}
}
END_TEST

/* ---- Validity ------------------------------------------------------------------------------- */

START_TEST(test_validity)
{
	struct dlssl_x509 *x;
	time_t b = 0, a = 0;

	/*
	 * CL+SSL's own expectations (reference section 2.2, universal time
	 * minus 2208988800), which gen.sh's equivalents reproduce.
	 */
	x = load("clplus/google.der");
	ck_assert_int_eq(dlssl_x509_validity(x, &b, &a), 0);
	ck_assert_int_eq((long long)b, 3634055286LL - 2208988800LL);
	ck_assert_int_eq((long long)a, 3641760000LL - 2208988800LL);
	dlssl_x509_free(x);
	x = load("clplus/mixed-time-formats.der");
	ck_assert_int_eq(dlssl_x509_validity(x, &b, &a), 0);
	ck_assert_int_eq((long long)b, 3846396304LL - 2208988800LL);
	ck_assert_int_eq((long long)a, 5424233104LL - 2208988800LL);
	/* Either pointer may be NULL. */
	ck_assert_int_eq(dlssl_x509_validity(x, NULL, &a), 0);
	ck_assert_int_eq(dlssl_x509_validity(x, &b, NULL), 0);
	ck_assert_int_eq(dlssl_x509_validity(x, NULL, NULL), 0);
	dlssl_x509_free(x);
	/* gen.sh asked for these dates (openssl ca -startdate/-enddate). */
	x = load("future2060.crt");
	ck_assert_int_eq(dlssl_x509_validity(x, &b, &a), 0);
	ck_assert_int_eq((long long)b, 1735689600LL);  /* 2025-01-01 */
	ck_assert_int_eq((long long)a, 2840140800LL);  /* 2060-01-01 */
	dlssl_x509_free(x);
	x = load("expired.crt");
	ck_assert_int_eq(dlssl_x509_validity(x, &b, &a), 0);
	ck_assert_int_eq((long long)b, 1577836800LL);  /* 2020-01-01 */
	ck_assert_int_eq((long long)a, 1577923200LL);  /* 2020-01-02 */
	dlssl_x509_free(x);
}
END_TEST

/* The DER walk used without X509_get0_notBefore (1.0.2) gives the same dates. */
START_TEST(test_der_validity_fixtures)
{
	const char *file = fact_files[_i];
	const struct dlssl__ossl *api;
	struct dlssl_x509 *x;
	unsigned char *der, *p;
	const char *why;
	time_t b, a, b2, a2;
	int len;

	if (fact(file, "loads") != NULL)
		return;
	x = load(file);
	api = dlssl__x509_api(x);
	ck_assert_int_eq(dlssl_x509_validity(x, &b, &a), 0);
	len = api->i2d_X509(dlssl__x509_get(x), NULL);
	ck_assert_int_gt(len, 0);
	der = p = malloc((size_t)len);
	ck_assert_int_eq(api->i2d_X509(dlssl__x509_get(x), &p), len);
	ck_assert_msg(dlssl__x509_der_validity(der, (size_t)len, &b2, &a2, &why) == 0,
	    "%s: %s", file, why);
	ck_assert_int_eq((long long)b, (long long)b2);
	ck_assert_int_eq((long long)a, (long long)a2);
	free(der);
	dlssl_x509_free(x);
}
END_TEST

/* The same through dlssl__x509_wrap with a table that lacks X509_get0_notBefore. */
START_TEST(test_legacy_validity)
{
	static const char *const files[] = { "localhost.crt", "future2060.crt",
	    "clplus/mixed-time-formats.der", "clplus/google.der", "expired.crt" };
	const struct dlssl__ossl *api = dlssl__api();
	struct dlssl__ossl legacy;
	struct dlssl_x509 *x, *y;
	time_t b, a, b2, a2;
	size_t i;

	ck_assert_ptr_nonnull(api);
	legacy = *api;
	legacy.X509_get0_notBefore = NULL;
	legacy.X509_get0_notAfter = NULL;
	for (i = 0; i < NELEM(files); i++) {
		x = load(files[i]);
		y = dlssl__x509_wrap(&legacy, dlssl__ossl_x509_ref(api, dlssl__x509_get(x)));
		ck_assert_ptr_nonnull(y);
		ck_assert_int_eq(dlssl_x509_validity(x, &b, &a), 0);
		ck_assert_msg(dlssl_x509_validity(y, &b2, &a2) == 0, "%s: %s", files[i],
		    dlssl_error());
		ck_assert_int_eq((long long)b, (long long)b2);
		ck_assert_int_eq((long long)a, (long long)a2);
		dlssl_x509_free(y);
		dlssl_x509_free(x);
	}
}
END_TEST

struct der_case {
	const char *hex;
	int ok;
};

static size_t
unhex(const char *hex, unsigned char *out)
{
	size_t n = 0;
	unsigned int v;

	while (hex[0] != '\0' && hex[1] != '\0' && sscanf(hex, "%2x", &v) == 1) {
		out[n++] = (unsigned char)v;
		hex += 2;
	}
	return n;
}

START_TEST(test_der_validity_table)
{
	/* SEQUENCE { SEQUENCE { [0] INTEGER 2, INTEGER 1, SEQUENCE {}, SEQUENCE {}, validity } } */
#define TBS_HEAD "a003020102" "020101" "3000" "3000"
#define VALIDITY "301e" "170d3730303130313030303030305a" "170d3730303130323030303030305a"
	static const struct der_case cases[] = {
		{ "302e" "302c" TBS_HEAD VALIDITY, 1 },
		{ "3029" "3027" "020101" "3000" "3000" VALIDITY, 1 },   /* no version */
		{ "302f" "302d" TBS_HEAD VALIDITY "00", 1 },            /* more fields follow */
		{ "3082002e" "302c" TBS_HEAD VALIDITY, 1 },             /* long-form length */
		{ "308200ff" "302c" TBS_HEAD VALIDITY, 0 },             /* longer than the input */
		{ "302e" "302d" TBS_HEAD VALIDITY, 0 },                 /* inner longer than outer */
		{ "3080" "302c" TBS_HEAD VALIDITY "0000", 0 },          /* indefinite length */
		{ "302e" "302c" TBS_HEAD "301e" "170d3730303130313030303030305a"
		  "180d3730303130323030303030305a", 0 },                /* GeneralizedTime of 13 */
		{ "302d" "302b" TBS_HEAD "301d" "170d3730303130313030303030305a"
		  "170c37303031303230303030305a", 0 },                  /* bad time */
		{ "302e" "302c" TBS_HEAD "311e" "170d3730303130313030303030305a"
		  "170d3730303130323030303030305a", 0 },                /* validity not a SEQUENCE */
		{ "300e" "300c" TBS_HEAD, 0 },                          /* no validity */
		{ "3032", 0 },
		{ "30", 0 },
		{ "", 0 },
		{ "3100", 0 },
		{ "1f8101", 0 },                                        /* high tag number */
	};

	unsigned char der[128];
	const char *why;
	time_t b = 1, a = 1;
	size_t i, n;
	int rv;

	for (i = 0; i < NELEM(cases); i++) {
		n = unhex(cases[i].hex, der);
		rv = dlssl__x509_der_validity(der, n, &b, &a, &why);
		ck_assert_msg((rv == 0) == cases[i].ok, "case %zu: %d (%s)", i, rv,
		    rv ? why : "");
		if (rv == 0) {
			ck_assert_int_eq((long long)b, 0);
			ck_assert_int_eq((long long)a, 86400);
		}
	}
#undef TBS_HEAD
#undef VALIDITY
}
END_TEST

struct time_case {
	int type;
	const char *text;
	int ok;
	long long want;
};

START_TEST(test_time_parse)
{
	static const struct time_case cases[] = {
		{ 23, "211120112504Z", 1, 1637407504LL },
		{ 24, "20711120112504Z", 1, 3215244304LL },
		{ 24, "19700101000000Z", 1, 0 },
		{ 23, "700101000000Z", 1, 0 },
		{ 23, "500101000000Z", 1, -631152000LL },      /* 1950 */
		{ 23, "491231235959Z", 1, 2524607999LL },      /* 2049 */
		{ 24, "20500101000000Z", 1, 2524608000LL },
		{ 24, "20600101000000Z", 1, 2840140800LL },
		{ 24, "99991231235959Z", 1, 253402300799LL },
		{ 24, "20000229120000Z", 1, 951825600LL },     /* leap day */
		{ 24, "20240229000000Z", 1, 1709164800LL },
		{ 24, "19000229120000Z", 0, 0 },               /* 1900 is not a leap year */
		{ 24, "20230229000000Z", 0, 0 },
		{ 24, "20230431000000Z", 0, 0 },
		/* Forms RFC 5280 forbids but OpenSSL reads. */
		{ 23, "7001010000Z", 1, 0 },                   /* no seconds */
		{ 23, "700101000000+0100", 1, -3600 },
		{ 23, "700101000000-0130", 1, 5400 },
		{ 24, "20201231235959.123Z", 1, 1609459199LL },
		{ 24, "20201231235959,5Z", 1, 1609459199LL },
		/* Malformed. */
		{ 24, "20201231235959.Z", 0, 0 },
		{ 23, "201231235959.1Z", 0, 0 },               /* no fractions in UTCTime */
		{ 23, "201301000000Z", 0, 0 },
		{ 23, "200001000000Z", 0, 0 },
		{ 23, "200100000000Z", 0, 0 },
		{ 23, "200132000000Z", 0, 0 },
		{ 23, "200101240000Z", 0, 0 },
		{ 23, "200101006000Z", 0, 0 },
		{ 23, "200101000060Z", 0, 0 },
		{ 23, "200101000000", 0, 0 },
		{ 23, "200101000000z", 0, 0 },
		{ 23, "20010100000Z", 0, 0 },
		{ 23, "2001010000000Z", 0, 0 },
		{ 23, "200101000000ZZ", 0, 0 },
		{ 23, "20 101000000Z", 0, 0 },
		{ 23, "-20101000000Z", 0, 0 },
		{ 23, "200101000000+2400", 0, 0 },
		{ 23, "200101000000+0160", 0, 0 },
		{ 23, "200101000000+01", 0, 0 },
		{ 23, "", 0, 0 },
		{ 24, "2020123123595", 0, 0 },
		{ 24, "202012312359Z", 1, 1609459140LL },
		{ 22, "200101000000Z", 0, 0 },                 /* not a time type */
	};
	const char *why;
	size_t i;
	time_t t;
	int rv;

	for (i = 0; i < NELEM(cases); i++) {
		t = 12345;
		rv = dlssl__asn1_time_parse(cases[i].type, (const unsigned char *)cases[i].text,
		    strlen(cases[i].text), &t, &why);
		ck_assert_msg((rv == 0) == cases[i].ok, "\"%s\": %d (%s)", cases[i].text, rv,
		    rv ? why : "ok");
		if (rv == 0)
			ck_assert_msg((long long)t == cases[i].want, "\"%s\": %lld, want %lld",
			    cases[i].text, (long long)t, cases[i].want);
	}
}
END_TEST

/* ---- The string decoder ----------------------------------------------------------------------- */

struct str_case {
	int type;
	const char *in;
	size_t len;
	const char *out;          /* NULL: must fail */
};

#define S(type, lit, out) { type, lit, sizeof(lit) - 1, out }

START_TEST(test_strings)
{
	static const struct str_case cases[] = {
		S(12, "", ""),
		S(12, "abc", "abc"),
		S(12, "Gr\xc3\xbc\xc3\x9f" "e", "Gr\xc3\xbc\xc3\x9f" "e"),
		S(12, "\xe2\x82\xac", "\xe2\x82\xac"),
		S(12, "\xf0\x9f\x94\x92", "\xf0\x9f\x94\x92"),
		S(12, "\xf4\x8f\xbf\xbf", "\xf4\x8f\xbf\xbf"),       /* U+10FFFF */
		S(12, "\xf4\x90\x80\x80", NULL),                     /* U+110000 */
		S(12, "\xf5\x80\x80\x80", NULL),
		S(12, "\xc0\xaf", NULL),                             /* overlong '/' */
		S(12, "\xc1\xbf", NULL),
		S(12, "\xe0\x80\xaf", NULL),
		S(12, "\xe0\x9f\xbf", NULL),
		S(12, "\xf0\x80\x80\xaf", NULL),
		S(12, "\xf0\x8f\xbf\xbf", NULL),
		S(12, "\xed\xa0\x80", NULL),                         /* U+D800 */
		S(12, "\xed\xbf\xbf", NULL),                         /* U+DFFF */
		S(12, "\xed\x9f\xbf", "\xed\x9f\xbf"),               /* U+D7FF */
		S(12, "\xee\x80\x80", "\xee\x80\x80"),               /* U+E000 */
		S(12, "\xc3", NULL),
		S(12, "a\xe2\x82", NULL),
		S(12, "\x80", NULL),
		S(12, "\xc3\x28", NULL),
		S(12, "\xff", NULL),
		S(12, "\xfe", NULL),
		S(12, "a\0b", NULL),
		S(12, "\0", NULL),
		S(30, "", ""),
		S(30, "\0g\0o", "go"),
		S(30, "\0G\0r\0\xfc\0\xdf\0e", "Gr\xc3\xbc\xc3\x9f" "e"),
		S(30, "\x20\xac", "\xe2\x82\xac"),
		S(30, "\xff\xfd", "\xef\xbf\xbd"),
		S(30, "\x07\xff", "\xdf\xbf"),
		S(30, "\x08\x00", "\xe0\xa0\x80"),
		S(30, "\0g\0", NULL),                                /* odd length */
		S(30, "\xd8\x3d\xde\x12", NULL),                     /* a surrogate pair */
		S(30, "\xdc\x00", NULL),
		S(30, "\0\0", NULL),
		S(30, "\0a\0\0\0b", NULL),
		S(28, "", ""),
		S(28, "\0\0\0g", "g"),
		S(28, "\0\x01\xf5\x12", "\xf0\x9f\x94\x92"),
		S(28, "\0\x10\xff\xff", "\xf4\x8f\xbf\xbf"),
		S(28, "\0\x11\0\0", NULL),
		S(28, "\xff\xff\xff\xff", NULL),
		S(28, "\0\0\xd8\0", NULL),
		S(28, "\0\0\0", NULL),
		S(28, "\0\0\0g\0", NULL),
		S(28, "\0\0\0\0", NULL),
		S(19, "*.google.co.uk", "*.google.co.uk"),
		S(19, "A-Z a'()+,-./:=?09", "A-Z a'()+,-./:=?09"),
		S(19, "a@b", NULL),
		S(19, "a_b", NULL),
		S(19, "a&b", NULL),
		S(19, "*.go\x04gle.co.uk", NULL),
		S(19, "\xe9", NULL),
		S(19, "a\0", NULL),
		S(20, "*.google.co.uk", "*.google.co.uk"),
		S(20, "\xfc\xdf", "\xc3\xbc\xc3\x9f"),
		S(20, "\x80\xff", "\xc2\x80\xc3\xbf"),
		S(20, "a\0b", NULL),
		S(22, "www.example.com", "www.example.com"),
		S(22, "a@b_c", "a@b_c"),
		S(22, "\x80", NULL),
		S(22, "a\0", NULL),
		S(18, "12", NULL),                                   /* NumericString */
		S(26, "ab", NULL),                                   /* VisibleString */
		S(4, "ab", NULL),                                    /* OCTET STRING */
	};
	const char *why;
	char *out;
	size_t i;
	int rv;

	for (i = 0; i < NELEM(cases); i++) {
		rv = dlssl__asn1_string_utf8(cases[i].type, (const unsigned char *)cases[i].in,
		    cases[i].len, &out, &why);
		if (cases[i].out == NULL) {
			ck_assert_msg(rv == -1 && out == NULL && why != NULL,
			    "case %zu (type %d) decoded", i, cases[i].type);
			continue;
		}
		ck_assert_msg(rv == 0, "case %zu (type %d): %s", i, cases[i].type, why);
		ck_assert_msg(strcmp(out, cases[i].out) == 0, "case %zu: wrong output", i);
		free(out);
	}
}
END_TEST

#undef S

/* ---- Fingerprints ------------------------------------------------------------------------------ */

START_TEST(test_fingerprint)
{
	struct dlssl_x509 *x = load("localhost.crt");
	const char *want = fact("localhost.crt", "sha256");
	unsigned char md[64];
	char hex[200], expect[200];
	int i, n;

	ck_assert_ptr_nonnull(want);
	n = dlssl_x509_fingerprint(x, "sha256", md, sizeof(md));
	ck_assert_int_eq(n, 32);
	for (i = 0; i < n; i++)
		snprintf(expect + 3 * i, sizeof(expect) - 3 * (size_t)i, "%02X%s", md[i],
		    i + 1 < n ? ":" : "");
	ck_assert_str_eq(expect, want);
	ck_assert_int_eq(dlssl_x509_fingerprint(x, "sha256", md, 32), 32);
	ck_assert_int_eq(dlssl_x509_fingerprint(x, "SHA256", md, 32), 32);
	ck_assert_int_eq(dlssl_x509_fingerprint(x, "sha1", md, 20), 20);
	ck_assert_int_eq(dlssl_x509_fingerprint(x, "sha512", md, sizeof(md)), 64);

	/* Too small a buffer, unknown names, NULLs. */
	ck_assert_int_eq(dlssl_x509_fingerprint(x, "sha256", md, 31), -1);
	ck_assert_int_eq(dlssl_error_code(), DLSSL_ERR_USAGE);
	ck_assert_int_eq(dlssl_x509_fingerprint(x, "sha256", NULL, 64), -1);
	ck_assert_int_eq(dlssl_error_code(), DLSSL_ERR_USAGE);
	ck_assert_int_eq(dlssl_x509_fingerprint(x, "no-such-digest", md, sizeof(md)), -1);
	ck_assert_int_eq(dlssl_error_code(), DLSSL_ERR_USAGE);
	ck_assert_ptr_nonnull(strstr(dlssl_error(), "no-such-digest"));
	ck_assert_int_eq(dlssl_x509_fingerprint(x, NULL, md, sizeof(md)), -1);
	ck_assert_int_eq(dlssl_error_code(), DLSSL_ERR_USAGE);

	/* Hex: exactly 3 bytes per digest byte. */
	ck_assert_int_eq(dlssl_x509_fingerprint_hex(x, "sha256", hex, 96), 95);
	ck_assert_str_eq(hex, want);
	ck_assert_int_eq(dlssl_x509_fingerprint_hex(x, "sha256", hex, 95), -1);
	ck_assert_int_eq(dlssl_error_code(), DLSSL_ERR_USAGE);
	ck_assert_int_eq(dlssl_x509_fingerprint_hex(x, "sha256", NULL, 96), -1);
	ck_assert_int_eq(dlssl_x509_fingerprint_hex(x, "bogus", hex, sizeof(hex)), -1);
	ck_assert_int_eq(dlssl_error_code(), DLSSL_ERR_USAGE);

	/* MD5: a value, or (FIPS) an error; never a crash. */
	n = dlssl_x509_fingerprint(x, "md5", md, sizeof(md));
	ck_assert(n == 16 || (n == -1 && dlssl_error_code() == DLSSL_ERR_TLS));
	ck_assert_int_eq(dlssl_x509_fingerprint(x, "md5", md, 15), -1);
	dlssl_x509_free(x);
}
END_TEST

/* ---- The internal interface the stream code uses -------------------------------------------- */

START_TEST(test_wrap)
{
	const struct dlssl__ossl *api = dlssl__api();
	const unsigned char *p;
	unsigned char *der;
	struct dlssl_x509 *x;
	X509 *x509;
	size_t len;

	ck_assert_ptr_nonnull(api);
	der = slurp(pki_path("localhost.der"), &len);
	p = der;
	x509 = api->d2i_X509(NULL, &p, (long)len);
	ck_assert_ptr_nonnull(x509);
	x = dlssl__x509_wrap(api, x509);
	ck_assert_ptr_nonnull(x);
	ck_assert_ptr_eq(dlssl__x509_get(x), x509);
	ck_assert_ptr_eq(dlssl__x509_api(x), api);
	ck_assert_int_eq(dlssl_check_host(x, "localhost"), 1);
	dlssl_x509_free(x);  /* releases the reference wrap took */
	free(der);

	ck_assert_ptr_null(dlssl__x509_wrap(api, NULL));
	ck_assert_int_eq(dlssl_error_code(), DLSSL_ERR_INTERNAL);
}
END_TEST

/* Readers on one object from several threads (TSan has something to look at). */
static void *
reader(void *arg)
{
	struct dlssl_x509 *x = arg;
	char hex[200];
	size_t n;
	int i;

	for (i = 0; i < 200; i++) {
		if (dlssl_check_host(x, "localhost") != 1 ||
		    dlssl_x509_dns_names(x, &n) == NULL || n != 1 ||
		    dlssl_x509_fingerprint_hex(x, "sha256", hex, sizeof(hex)) != 95)
			return (void *)1;
	}
	return NULL;
}

START_TEST(test_threads)
{
	struct dlssl_x509 *x = load("localhost.crt");
	pthread_t t[4];
	void *rv;
	int i;

	for (i = 0; i < 4; i++)
		ck_assert_int_eq(pthread_create(&t[i], NULL, reader, x), 0);
	for (i = 0; i < 4; i++) {
		ck_assert_int_eq(pthread_join(t[i], &rv), 0);
		ck_assert_ptr_null(rv);
	}
	dlssl_x509_free(x);
}
END_TEST

/* After dlssl_reload(), an old object is refused where libcrypto is needed. */
START_TEST(test_stale)
{
	struct dlssl_x509 *x = load("localhost.crt");
	unsigned char md[64];

	if (dlssl_reload() != 0) {
		fprintf(stderr, "test_stale: dlssl_reload failed (%s): not tested\n", dlssl_error());
		dlssl_x509_free(x);
		return;
	}
	ck_assert_int_eq(dlssl_x509_fingerprint(x, "sha256", md, sizeof(md)), -1);
	ck_assert_int_eq(dlssl_error_code(), DLSSL_ERR_STALE);
	/* What was decoded at load time is still there. */
	ck_assert_str_eq(dlssl_x509_subject(x), "CN=localhost");
	ck_assert_int_eq(dlssl_check_host(x, "localhost"), 1);
	dlssl_x509_free(x);
	x = load("localhost.crt");
	ck_assert_int_eq(dlssl_x509_fingerprint(x, "sha256", md, sizeof(md)), 32);
	dlssl_x509_free(x);
}
END_TEST

static Suite *
x509_suite(int have_libssl)
{
	Suite *s = suite_create("x509");
	TCase *tc;

	tc = tcase_create("decoders");
	tcase_add_test(tc, test_strings);
	tcase_add_test(tc, test_time_parse);
	tcase_add_test(tc, test_der_validity_table);
	suite_add_tcase(s, tc);
	if (!have_libssl)
		return s;

	tc = tcase_create("safety");
	tcase_add_test(tc, test_safety);
	suite_add_tcase(s, tc);

	tc = tcase_create("load");
	tcase_add_test(tc, test_load_forms);
	tcase_add_test(tc, test_load_errors);
	suite_add_tcase(s, tc);

	tc = tcase_create("fixtures");
	tcase_add_loop_test(tc, test_expected, 0, (int)n_fact_files);
	tcase_add_loop_test(tc, test_der_validity_fixtures, 0, (int)n_fact_files);
	tcase_add_loop_test(tc, test_cns, 0, (int)NELEM(cn_cases));
	tcase_add_test(tc, test_sans);
	tcase_add_test(tc, test_bad_sans);
	tcase_add_test(tc, test_validity);
	tcase_add_test(tc, test_legacy_validity);
	tcase_add_test(tc, test_fingerprint);
	suite_add_tcase(s, tc);

	tc = tcase_create("internal");
	tcase_add_test(tc, test_wrap);
	tcase_add_test(tc, test_threads);
	tcase_add_test(tc, test_stale);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr;
	int failed, have_libssl = dlssl_ensure_initialized(NULL) == 0;

	if (!have_libssl)
		fprintf(stderr, "no libssl (%s): certificate tests skipped\n", dlssl_error());
	load_facts();
	sr = srunner_create(x509_suite(have_libssl));
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	free_facts();
	if (failed != 0)
		return EXIT_FAILURE;
	if (!have_libssl && named_library_var() != NULL) {
		/* The library the caller named is the one under test: not loading it fails. */
		printf("FAIL: %s names a library dlssl cannot load: %s\n", named_library_var(),
		    dlssl_error());
		return EXIT_FAILURE;
	}
	return have_libssl ? EXIT_SUCCESS : 77;
}
