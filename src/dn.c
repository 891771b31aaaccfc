/*
 * Distinguished names as RFC 4514 text, made by dlssl from the DER of the
 * Name (never by the library's printer), so that every OpenSSL and
 * LibreSSL version gives the same text:
 *
 * - RDNs from the last in the encoding to the first, joined by ',', and
 *   the attributes of a multi-valued RDN joined by '+', last first too (as
 *   OpenSSL's RFC 2253 printer orders them);
 * - attribute types by RFC 4514's names (CN, L, ST, O, OU, C, STREET, DC,
 *   UID) and a few common others; any other type as its dotted OID, its
 *   value then as '#' and the hex of its DER;
 * - string values (UTF8, BMP, Universal, and the one-byte types read as
 *   Latin-1) as UTF-8, with  , + " \ < > ;  escaped by a backslash, as
 *   are a leading '#' or space and a trailing space, and control
 *   characters as \XX (each UTF-8 byte); values of other types as '#' hex;
 * - a string whose encoding is invalid (bad UTF-8, a BMPString of odd
 *   length, surrogates, code points above U+10FFFF) makes the whole name
 *   invalid, as OpenSSL 3 refuses such certificates when it loads them.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "x509.h"

/* A growing output; failed is set once memory ran out. */
struct out {
	char *p;
	size_t len, cap;
	int failed;
};

static void
put(struct out *o, const void *s, size_t n)
{
	char *np;
	size_t cap;

	if (o->failed)
		return;
	if (o->len + n + 1 > o->cap) {
		cap = o->cap ? o->cap : 64;
		while (cap < o->len + n + 1)
			cap *= 2;
		if ((np = realloc(o->p, cap)) == NULL) {
			o->failed = 1;
			return;
		}
		o->p = np;
		o->cap = cap;
	}
	memcpy(o->p + o->len, s, n);
	o->len += n;
	o->p[o->len] = '\0';
}

static void
put_str(struct out *o, const char *s)
{
	put(o, s, strlen(s));
}

static void
put_hex(struct out *o, const unsigned char *p, size_t n, const char *before)
{
	static const char hexdig[] = "0123456789ABCDEF";
	char two[2];
	size_t i;

	for (i = 0; i < n; i++) {
		put_str(o, before);
		two[0] = hexdig[p[i] >> 4];
		two[1] = hexdig[p[i] & 0x0F];
		put(o, two, 2);
	}
}

/* ---- attribute types --------------------------------------------------------------- */

static const struct {
	const char *oid, *name;
} types[] = {
	{ "2.5.4.3", "CN" },
	{ "2.5.4.7", "L" },
	{ "2.5.4.8", "ST" },
	{ "2.5.4.10", "O" },
	{ "2.5.4.11", "OU" },
	{ "2.5.4.6", "C" },
	{ "2.5.4.9", "STREET" },
	{ "0.9.2342.19200300.100.1.25", "DC" },
	{ "0.9.2342.19200300.100.1.1", "UID" },
	/* Not in RFC 4514, named as OpenSSL names them. */
	{ "1.2.840.113549.1.9.1", "emailAddress" },
	{ "2.5.4.5", "serialNumber" },
	{ "2.5.4.4", "SN" },
	{ "2.5.4.42", "GN" },
	{ "2.5.4.12", "title" },
	{ "2.5.4.43", "initials" },
	{ "2.5.4.44", "generationQualifier" },
	{ "2.5.4.46", "dnQualifier" },
	{ "2.5.4.65", "pseudonym" },
	{ "2.5.4.15", "businessCategory" },
	{ "2.5.4.17", "postalCode" },
	{ "2.5.4.97", "organizationIdentifier" },
	{ "1.3.6.1.4.1.311.60.2.1.1", "jurisdictionL" },
	{ "1.3.6.1.4.1.311.60.2.1.2", "jurisdictionST" },
	{ "1.3.6.1.4.1.311.60.2.1.3", "jurisdictionC" },
};

/* An OBJECT IDENTIFIER's contents as dotted decimal into buf.  0, or -1 (malformed). */
static int
oid_text(const unsigned char *p, size_t len, char *buf, size_t size)
{
	unsigned long long v = 0;
	size_t i, used = 0;
	int first = 1, n;

	if (len == 0)
		return -1;
	for (i = 0; i < len; i++) {
		if (v == 0 && p[i] == 0x80)
			return -1; /* not minimal */
		if (v > (~0ULL >> 7))
			return -1;
		v = (v << 7) | (p[i] & 0x7F);
		if (p[i] & 0x80)
			continue;
		if (first)
			n = v < 80 ? snprintf(buf, size, "%llu.%llu", v / 40, v % 40) :
			    snprintf(buf, size, "2.%llu", v - 80);
		else
			n = snprintf(buf + used, size - used, ".%llu", v);
		if (n < 0 || (size_t)n >= size - used)
			return -1;
		used += (size_t)n;
		first = 0;
		v = 0;
	}
	return p[len - 1] & 0x80 ? -1 : 0; /* the last subidentifier is complete */
}

static const char *
type_name(const char *oid)
{
	size_t i;

	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (strcmp(types[i].oid, oid) == 0)
			return types[i].name;
	return NULL;
}

/* ---- values --------------------------------------------------------------------------- */

static int
is_string_type(int tag)
{
	switch (tag) {
	case DL_V_ASN1_UTF8STRING:
	case 18: /* NumericString */
	case DL_V_ASN1_PRINTABLESTRING:
	case DL_V_ASN1_T61STRING:
	case DL_V_ASN1_IA5STRING:
	case 26: /* VisibleString */
	case DL_V_ASN1_UNIVERSALSTRING:
	case DL_V_ASN1_BMPSTRING:
		return 1;
	default:
		return 0;
	}
}

/* One character of a value: escaped as RFC 4514 section 2.4 asks. */
static void
put_char(struct out *o, unsigned long c, int first, int last)
{
	unsigned char u[4];
	size_t n;

	if (c < 0x80) {
		u[0] = (unsigned char)c;
		n = 1;
	} else if (c < 0x800) {
		u[0] = (unsigned char)(0xC0 | (c >> 6));
		u[1] = (unsigned char)(0x80 | (c & 0x3F));
		n = 2;
	} else if (c < 0x10000) {
		u[0] = (unsigned char)(0xE0 | (c >> 12));
		u[1] = (unsigned char)(0x80 | ((c >> 6) & 0x3F));
		u[2] = (unsigned char)(0x80 | (c & 0x3F));
		n = 3;
	} else {
		u[0] = (unsigned char)(0xF0 | (c >> 18));
		u[1] = (unsigned char)(0x80 | ((c >> 12) & 0x3F));
		u[2] = (unsigned char)(0x80 | ((c >> 6) & 0x3F));
		u[3] = (unsigned char)(0x80 | (c & 0x3F));
		n = 4;
	}
	if (c < 0x20 || c == 0x7F || (c >= 0x80 && c <= 0x9F)) {
		put_hex(o, u, n, "\\");
		return;
	}
	if ((c != 0 && strchr(",+\"\\<>;", (int)c) != NULL) || (first && (c == '#' || c == ' ')) ||
	    (last && c == ' '))
		put(o, "\\", 1);
	put(o, u, n);
}

static const char *
put_string(struct out *o, int tag, const unsigned char *p, size_t len)
{
	const char *why;
	unsigned long c;
	size_t i, n;

	if (tag == DL_V_ASN1_BMPSTRING && len % 2 != 0)
		return "BMPString of odd length";
	if (tag == DL_V_ASN1_UNIVERSALSTRING && len % 4 != 0)
		return "UniversalString length not a multiple of 4";
	for (i = 0; i < len; i += n) {
		if ((why = dlssl__asn1_display_char(tag, p + i, len - i, &c, &n)) != NULL)
			return why;
		put_char(o, c, i == 0, i + n == len);
	}
	return NULL;
}

/* One AttributeTypeAndValue (its contents at p). */
static const char *
put_attribute(struct out *o, const unsigned char *p, const unsigned char *end)
{
	const unsigned char *body, *value;
	const char *name;
	char oid[128];
	size_t blen;
	int tag;

	if (dlssl__der_next(&p, end, &tag, &body, &blen) < 0 || tag != 0x06 ||
	    oid_text(body, blen, oid, sizeof(oid)) < 0)
		return "malformed attribute type";
	value = p;
	if (dlssl__der_next(&p, end, &tag, &body, &blen) < 0 || p != end)
		return "malformed attribute value";
	name = type_name(oid);
	put_str(o, name != NULL ? name : oid);
	put(o, "=", 1);
	if (name != NULL && is_string_type(tag))
		return put_string(o, tag, body, blen);
	/* A string in an unknown type's value must still be well formed. */
	if (is_string_type(tag)) {
		struct out scratch = { 0 };
		const char *why = put_string(&scratch, tag, body, blen);

		free(scratch.p);
		if (why != NULL)
			return why;
	}
	put(o, "#", 1);
	put_hex(o, value, (size_t)(p - value), "");
	return NULL;
}

/* How many TLVs of this tag p..end holds; -1 if anything else is there. */
static long
count_tlvs(const unsigned char *p, const unsigned char *end, int want)
{
	const unsigned char *body;
	size_t blen;
	long n = 0;
	int tag;

	while (p < end) {
		if (dlssl__der_next(&p, end, &tag, &body, &blen) < 0 || tag != want)
			return -1;
		n++;
	}
	return n;
}

/* The contents of the i-th TLV of p..end (counted, so it exists). */
static void
nth_tlv(const unsigned char *p, const unsigned char *end, long i, const unsigned char **body,
    size_t *blen)
{
	int tag;

	do
		(void)dlssl__der_next(&p, end, &tag, body, blen);
	while (i-- > 0);
}

/*
 * Everything in reverse of the encoding: the RDNs, and the attributes of
 * a multi-valued RDN (joined by '+'), as OpenSSL's RFC 2253 printer does.
 */
static const char *
put_rdns(struct out *o, const unsigned char *p, const unsigned char *end)
{
	const unsigned char *rdn, *attr;
	const char *why;
	size_t rlen, alen;
	long nr, na, i, k;
	int any = 0;

	if ((nr = count_tlvs(p, end, 0x31)) < 0)
		return "malformed relative distinguished name";
	for (i = nr; i-- > 0;) {
		nth_tlv(p, end, i, &rdn, &rlen);
		if ((na = count_tlvs(rdn, rdn + rlen, 0x30)) < 0)
			return "malformed attribute";
		for (k = na; k-- > 0;) {
			nth_tlv(rdn, rdn + rlen, k, &attr, &alen);
			if (any++)
				put(o, k + 1 < na ? "+" : ",", 1);
			if ((why = put_attribute(o, attr, attr + alen)) != NULL)
				return why;
		}
	}
	return NULL;
}

int
dlssl__dn_format(const unsigned char *der, size_t len, char **out, const char **why)
{
	const unsigned char *p = der, *end = der + len, *body;
	struct out o = { 0 };
	size_t blen;
	int tag;

	*out = NULL;
	*why = NULL;
	if (dlssl__der_next(&p, end, &tag, &body, &blen) < 0 || tag != 0x30 || p != end)
		*why = "malformed name";
	else
		*why = put_rdns(&o, body, body + blen);
	put(&o, "", 0); /* an empty name is "" */
	if (*why != NULL || o.failed) {
		free(o.p);
		return -1;
	}
	*out = o.p;
	return 0;
}
