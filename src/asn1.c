/*
 * The ASN.1 parsing dlssl does itself, independent of the OpenSSL version:
 * directory strings to UTF-8 (with validation), UTCTime/GeneralizedTime to
 * time_t, and the validity dates found by walking a certificate's DER (for
 * OpenSSL 1.0.2, which has no X509_get0_notBefore).
 */
#include "config.h"

#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "x509.h"

/* ASN.1 universal tags of the two time types (X.680; RFC 5280 4.1.2.5). */
#define TAG_UTCTIME 23
#define TAG_GENERALIZEDTIME 24

/* ---- ASN.1 strings to UTF-8 ------------------------------------------------ */

static size_t
utf8_put(unsigned char *o, unsigned long c)
{
	if (c < 0x80) {
		o[0] = (unsigned char)c;
		return 1;
	}
	if (c < 0x800) {
		o[0] = (unsigned char)(0xC0 | (c >> 6));
		o[1] = (unsigned char)(0x80 | (c & 0x3F));
		return 2;
	}
	if (c < 0x10000) {
		o[0] = (unsigned char)(0xE0 | (c >> 12));
		o[1] = (unsigned char)(0x80 | ((c >> 6) & 0x3F));
		o[2] = (unsigned char)(0x80 | (c & 0x3F));
		return 3;
	}
	o[0] = (unsigned char)(0xF0 | (c >> 18));
	o[1] = (unsigned char)(0x80 | ((c >> 12) & 0x3F));
	o[2] = (unsigned char)(0x80 | ((c >> 6) & 0x3F));
	o[3] = (unsigned char)(0x80 | (c & 0x3F));
	return 4;
}

/* A Unicode scalar value that may appear in a name: NULL if it is fine. */
static const char *
check_scalar(unsigned long c)
{
	if (c == 0)
		return "embedded NUL";
	if (c >= 0xD800 && c <= 0xDFFF)
		return "surrogate code point";
	if (c > 0x10FFFF)
		return "code point above U+10FFFF";
	return NULL;
}

/*
 * Length of the well-formed UTF-8 sequence at p (RFC 3629 section 4: no
 * overlong forms, no surrogates, nothing above U+10FFFF), or 0.
 */
static size_t
utf8_seq(const unsigned char *p, size_t left, unsigned long *cp)
{
	unsigned long c, min;
	size_t n, i;

	if (p[0] < 0x80) {
		*cp = p[0];
		return 1;
	}
	if (p[0] >= 0xC2 && p[0] <= 0xDF)
		n = 2, c = p[0] & 0x1F, min = 0x80;
	else if (p[0] >= 0xE0 && p[0] <= 0xEF)
		n = 3, c = p[0] & 0x0F, min = 0x800;
	else if (p[0] >= 0xF0 && p[0] <= 0xF4)
		n = 4, c = p[0] & 0x07, min = 0x10000;
	else
		return 0;
	if (n > left)
		return 0;
	for (i = 1; i < n; i++) {
		if ((p[i] & 0xC0) != 0x80)
			return 0;
		c = (c << 6) | (p[i] & 0x3F);
	}
	if (c < min)
		return 0;
	*cp = c;
	return n;
}

/* X.680 PrintableString, plus '*' so that wildcard CNs decode (as CL+SSL). */
static int
printable_char(unsigned char ch)
{
	if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
	    (ch >= '0' && ch <= '9'))
		return 1;
	return ch != '\0' && strchr(" '()+,-./:=?*", ch) != NULL;
}

/* The next character of a string of this type at p, its size in *n; or a reason. */
static const char *
next_char(int type, const unsigned char *p, size_t left, unsigned long *c, size_t *n)
{
	*n = 1;
	switch (type) {
	case DL_V_ASN1_UTF8STRING:
		if ((*n = utf8_seq(p, left, c)) == 0)
			return "invalid UTF-8";
		break;
	case DL_V_ASN1_BMPSTRING: /* UCS-2, big-endian */
		if (left < 2)
			return "BMPString of odd length";
		*c = ((unsigned long)p[0] << 8) | p[1];
		*n = 2;
		break;
	case DL_V_ASN1_UNIVERSALSTRING: /* UCS-4, big-endian */
		if (left < 4)
			return "UniversalString length not a multiple of 4";
		*c = ((unsigned long)p[0] << 24) | ((unsigned long)p[1] << 16) |
		    ((unsigned long)p[2] << 8) | p[3];
		*n = 4;
		break;
	case DL_V_ASN1_T61STRING: /* read as Latin-1, as most software does */
		*c = p[0];
		break;
	case DL_V_ASN1_IA5STRING:
		if ((*c = p[0]) >= 0x80)
			return "non-ASCII byte in IA5String";
		break;
	case DL_V_ASN1_PRINTABLESTRING:
		if ((*c = p[0]) != 0 && !printable_char(p[0]))
			return "character not allowed in PrintableString";
		break;
	default:
		return "unsupported ASN.1 string type";
	}
	return check_scalar(*c);
}

const char *
dlssl__asn1_display_char(int type, const unsigned char *p, size_t left, unsigned long *c,
    size_t *n)
{
	const char *why;

	switch (type) {
	case DL_V_ASN1_UTF8STRING:
	case DL_V_ASN1_BMPSTRING:
	case DL_V_ASN1_UNIVERSALSTRING:
		/* Encoding faults only: a NUL is a character like another here. */
		*c = ULONG_MAX; /* not a NUL, when next_char fails before it reads one */
		if ((why = next_char(type, p, left, c, n)) != NULL && *c != 0)
			return why;
		return NULL;
	default:
		/* One byte, one character (Teletex and the 7-bit types alike, as Latin-1). */
		*c = p[0];
		*n = 1;
		return NULL;
	}
}

/* Decode into o (room for 2 * len bytes): the output length, or -1 and *why. */
static long
decode_string(int type, const unsigned char *p, size_t len, unsigned char *o,
    const char **why)
{
	unsigned long c = 0;
	size_t i, n;
	long used = 0;

	/* Whole-string checks first, so the message names the real fault. */
	if (type == DL_V_ASN1_BMPSTRING && len % 2 != 0) {
		*why = "BMPString of odd length";
		return -1;
	}
	if (type == DL_V_ASN1_UNIVERSALSTRING && len % 4 != 0) {
		*why = "UniversalString length not a multiple of 4";
		return -1;
	}
	for (i = 0; i < len; i += n) {
		if ((*why = next_char(type, p + i, len - i, &c, &n)) != NULL)
			return -1;
		used += (long)utf8_put(o + used, c);
	}
	return used;
}

int
dlssl__asn1_string_utf8(int type, const unsigned char *p, size_t len,
    char **out, const char **why)
{
	unsigned char *o;
	long n;

	*out = NULL;
	*why = NULL;
	if (len > (SIZE_MAX - 1) / 2 || len > LONG_MAX / 2) {
		*why = "string too long";
		return -1;
	}
	if ((o = malloc(2 * len + 1)) == NULL)
		return -1;
	if ((n = decode_string(type, p, len, o, why)) < 0) {
		free(o);
		return -1;
	}
	o[n] = '\0';
	*out = (char *)o;
	return 0;
}

/* ---- Times ----------------------------------------------------------------- */

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian; H. Hinnant). */
static long long
days_from_civil(long long y, unsigned int m, unsigned int d)
{
	long long era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static int
days_in_month(long long y, unsigned int m)
{
	static const unsigned char dm[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	return dm[m - 1] + (m == 2 && leap);
}

/* n decimal digits at *p (advanced), or -1. */
static int
digits(const unsigned char **p, const unsigned char *end, int n)
{
	int v = 0;

	if (end - *p < n)
		return -1;
	while (n-- > 0) {
		if (**p < '0' || **p > '9')
			return -1;
		v = v * 10 + (*(*p)++ - '0');
	}
	return v;
}

/* The "Z" or "+hhmm"/"-hhmm" at the end: the offset in seconds, or -1. */
static int
time_zone(const unsigned char *p, const unsigned char *end, long *offset)
{
	int h, m, sign;

	if (end - p == 1 && *p == 'Z') {
		*offset = 0;
		return 0;
	}
	if (end - p != 5 || (*p != '+' && *p != '-'))
		return -1;
	sign = *p++ == '-' ? -1 : 1;
	if ((h = digits(&p, end, 2)) < 0 || (m = digits(&p, end, 2)) < 0 ||
	    h > 23 || m > 59)
		return -1;
	*offset = sign * (h * 3600L + m * 60L);
	return 0;
}

/*
 * UTCTime YYMMDDhhmm[ss](Z|+-hhmm), GeneralizedTime
 * YYYYMMDDhhmm[ss[.f...]](Z|+-hhmm).  RFC 5280 section 4.1.2.5 allows only
 * the forms with seconds and Z; the others are read as OpenSSL reads them.
 */
int
dlssl__asn1_time_parse(int type, const unsigned char *p, size_t len,
    time_t *t, const char **why)
{
	const unsigned char *end = p + len;
	int y, mo, d, h, mi, s = 0;
	long offset;
	long long v;

	*why = "malformed time";
	if (type == TAG_UTCTIME) {
		if ((y = digits(&p, end, 2)) < 0)
			return -1;
		y += y < 50 ? 2000 : 1900; /* RFC 5280 4.1.2.5.1 */
	} else if (type == TAG_GENERALIZEDTIME) {
		if ((y = digits(&p, end, 4)) < 0)
			return -1;
	} else {
		*why = "not a UTCTime or GeneralizedTime";
		return -1;
	}
	if ((mo = digits(&p, end, 2)) < 1 || mo > 12 ||
	    (d = digits(&p, end, 2)) < 1 || d > days_in_month(y, (unsigned int)mo) ||
	    (h = digits(&p, end, 2)) < 0 || h > 23 ||
	    (mi = digits(&p, end, 2)) < 0 || mi > 59)
		return -1;
	if (p < end && *p >= '0' && *p <= '9' &&
	    ((s = digits(&p, end, 2)) < 0 || s > 59))
		return -1;
	if (type == TAG_GENERALIZEDTIME && p < end && (*p == '.' || *p == ',')) {
		if (++p == end || *p < '0' || *p > '9')
			return -1;
		while (p < end && *p >= '0' && *p <= '9')
			p++;
	}
	if (time_zone(p, end, &offset) < 0)
		return -1;
	v = days_from_civil(y, (unsigned int)mo, (unsigned int)d) * 86400LL +
	    h * 3600LL + mi * 60LL + s - offset;
	if ((long long)(time_t)v != v) {
		*why = "date does not fit in time_t";
		return -1;
	}
	*t = (time_t)v;
	return 0;
}

/* One DER TLV at *p: its tag and contents; *p moves past it.  0 or -1. */
int
dlssl__der_next(const unsigned char **p, const unsigned char *end, int *tag,
    const unsigned char **body, size_t *blen)
{
	const unsigned char *q = *p;
	size_t len = 0, n;

	if (end - q < 2)
		return -1;
	*tag = *q++;
	if ((*tag & 0x1F) == 0x1F) /* high tag numbers do not occur here */
		return -1;
	if (*q < 0x80) {
		len = *q++;
	} else {
		n = *q++ & 0x7F;
		if (n == 0 || n > 4 || (size_t)(end - q) < n)
			return -1; /* indefinite length is not DER */
		while (n-- > 0)
			len = (len << 8) | *q++;
	}
	if ((size_t)(end - q) < len)
		return -1;
	*body = q;
	*blen = len;
	*p = q + len;
	return 0;
}

/* Enter the SEQUENCE at *p: [*p, *end) become its contents. */
static int
der_enter(const unsigned char **p, const unsigned char **end)
{
	const unsigned char *body;
	size_t len;
	int tag;

	if (dlssl__der_next(p, *end, &tag, &body, &len) < 0 || tag != 0x30)
		return -1;
	*p = body;
	*end = body + len;
	return 0;
}

/* Into the TBSCertificate, past [0] version, serialNumber and signature: at the issuer. */
static int
enter_tbs(const unsigned char **p, const unsigned char **end)
{
	const unsigned char *body;
	size_t blen;
	int tag, i;

	/* Certificate, then TBSCertificate (RFC 5280 section 4.1). */
	if (der_enter(p, end) < 0 || der_enter(p, end) < 0)
		return -1;
	if (*end - *p > 0 && **p == 0xA0 && dlssl__der_next(p, *end, &tag, &body, &blen) < 0)
		return -1;
	for (i = 0; i < 2; i++)
		if (dlssl__der_next(p, *end, &tag, &body, &blen) < 0)
			return -1;
	return 0;
}

int
dlssl__x509_der_validity(const unsigned char *der, size_t len,
    time_t *not_before, time_t *not_after, const char **why)
{
	const unsigned char *p = der, *end = der + len, *body;
	size_t blen;
	int tag;

	*why = "malformed certificate encoding";
	/* Past the issuer, into the validity. */
	if (enter_tbs(&p, &end) < 0 || dlssl__der_next(&p, end, &tag, &body, &blen) < 0)
		return -1;
	if (der_enter(&p, &end) < 0 ||
	    dlssl__der_next(&p, end, &tag, &body, &blen) < 0 ||
	    dlssl__asn1_time_parse(tag, body, blen, not_before, why) < 0 ||
	    dlssl__der_next(&p, end, &tag, &body, &blen) < 0 ||
	    dlssl__asn1_time_parse(tag, body, blen, not_after, why) < 0)
		return -1;
	return 0;
}

/* The Name at *p, whole (tag and length too). */
static int
take_name(const unsigned char **p, const unsigned char *end, struct dlssl__der *name)
{
	const unsigned char *at = *p, *body;
	size_t blen;
	int tag;

	if (dlssl__der_next(p, end, &tag, &body, &blen) < 0 || tag != 0x30)
		return -1;
	name->p = at;
	name->len = (size_t)(*p - at);
	return 0;
}

int
dlssl__x509_der_names(const unsigned char *der, size_t len, struct dlssl__der *issuer,
    struct dlssl__der *subject)
{
	const unsigned char *p = der, *end = der + len, *body;
	size_t blen;
	int tag;

	/* issuer, validity, subject */
	if (enter_tbs(&p, &end) < 0 || take_name(&p, end, issuer) < 0 ||
	    dlssl__der_next(&p, end, &tag, &body, &blen) < 0 || take_name(&p, end, subject) < 0)
		return -1;
	return 0;
}
