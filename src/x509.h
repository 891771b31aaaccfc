/*
 * Certificates and host names: what x509.c and hostname.c share with each
 * other and with the stream code.
 */
#ifndef DLSSL_X509_H
#define DLSSL_X509_H

#include <stddef.h>
#include <time.h>

#include "internal.h"

/* An iPAddress SAN: 4 (IPv4) or 16 (IPv6) octets, network order. */
struct dlssl__ip {
	size_t len;
	unsigned char addr[16];
};

/*
 * A certificate and everything read from it.  Decoded once, when the
 * object is made, so the object never changes afterwards: any number of
 * threads may read it at the same time.  A part that failed to decode
 * keeps its message (e.g. cn_error) and its getter fails with that
 * message; the other parts still work.
 */
struct dlssl_x509 {
	const struct dlssl__ossl *api; /* the table generation it was made under */
	X509 *x509;                    /* one reference, owned */

	char *subject;                 /* RFC 4514 forms (dn.c) */
	char *issuer;

	char **cns;                    /* NULL-terminated, UTF-8 */
	size_t n_cns;
	char *cn_error;                /* why the CNs could not be decoded */

	char **dns;                    /* NULL-terminated usable dNSName SANs */
	size_t n_dns;
	size_t n_dns_present;          /* every dNSName SAN, usable or not */
	char **ips;                    /* NULL-terminated, text */
	struct dlssl__ip *ip_raw;      /* the same addresses, as octets */
	size_t n_ips;
	char *san_error;               /* why subjectAltName could not be read */

	time_t not_before;
	time_t not_after;
	char *time_error;
};

/*
 * Make an object from one reference to x509, which it takes over (on
 * failure too: then the reference is released).  api is the table the
 * X509 came from.  NULL with the error set (DLSSL_ERR_NOMEM).
 */
struct dlssl_x509 *dlssl__x509_wrap(const struct dlssl__ossl *api, X509 *x509);

/* The X509 inside, still owned by the object (X509_up_ref to keep it). */
X509 *dlssl__x509_get(const struct dlssl_x509 *x);

/* The table generation the object was made under. */
const struct dlssl__ossl *dlssl__x509_api(const struct dlssl_x509 *x);

/*
 * Decode an X.509 DirectoryString-like value (ASN.1 universal tag `type`:
 * UTF8String 12, PrintableString 19, TeletexString 20, IA5String 22,
 * UniversalString 28, BMPString 30) to NUL-terminated UTF-8 in *out
 * (malloc'd).  0, or -1 with a static reason in *why and *out NULL (an
 * invalid string, or ENOMEM: then *why is NULL).
 */
int dlssl__asn1_string_utf8(int type, const unsigned char *p, size_t len,
    char **out, const char **why);

/*
 * The next character of a string of ASN.1 type `type` at p, for display:
 * its code point in *c and its size in *n.  Only faults of the encoding
 * (invalid UTF-8, a BMPString of odd length, a surrogate, a code point
 * above U+10FFFF) are reported, as a static reason; a NUL or a character
 * the type does not allow passes (the printer escapes it).  One-byte types
 * are read as Latin-1.
 */
const char *dlssl__asn1_display_char(int type, const unsigned char *p, size_t left,
    unsigned long *c, size_t *n);

/* A piece of DER: a whole TLV. */
struct dlssl__der {
	const unsigned char *p;
	size_t len;
};

/* One DER TLV at *p (low tag numbers, definite lengths): tag, contents; *p moves past.  0 or -1. */
int dlssl__der_next(const unsigned char **p, const unsigned char *end, int *tag,
    const unsigned char **body, size_t *blen);

/* The issuer and subject Names in a certificate's DER.  0, or -1 (malformed). */
int dlssl__x509_der_names(const unsigned char *der, size_t len, struct dlssl__der *issuer,
    struct dlssl__der *subject);

/*
 * A DER Name as RFC 4514 text (dn.c), malloc'd in *out: RDNs from the last
 * to the first, '+' between the attributes of one RDN, values escaped.
 * 0, or -1 with a static reason in *why (a malformed Name, or a string
 * whose encoding is invalid), or -1 with *why NULL (out of memory).
 */
int dlssl__dn_format(const unsigned char *der, size_t len, char **out, const char **why);

/*
 * The subject of cert in RFC 4514 form into buf (truncated to size), for
 * messages; "(unreadable name: reason)" when it cannot be read.
 */
void dlssl__x509_subject_text(const struct dlssl__ossl *api, X509 *cert, char *buf, size_t size);

/*
 * Parse an ASN.1 UTCTime (type 23) or GeneralizedTime (24) value to
 * seconds since the epoch.  0, or -1 with a static reason in *why.
 */
int dlssl__asn1_time_parse(int type, const unsigned char *p, size_t len,
    time_t *t, const char **why);

/*
 * The validity dates read from a certificate's DER encoding (for libraries
 * without X509_get0_notBefore).  0, or -1 with a static reason in *why.
 */
int dlssl__x509_der_validity(const unsigned char *der, size_t len,
    time_t *not_before, time_t *not_after, const char **why);

/* What a reference name is, after validation (dlssl__host_parse). */
enum dlssl__host_kind {
	DLSSL__HOST_INVALID = -1,
	DLSSL__HOST_DNS = 0,
	DLSSL__HOST_IPV4 = 4,
	DLSSL__HOST_IPV6 = 6
};

/* 253 octets, one trailing dot, NUL. */
#define DLSSL__HOST_MAX 255

/* A validated reference name: a DNS name without its trailing dot, or an address. */
struct dlssl__host {
	enum dlssl__host_kind kind;
	size_t len;                    /* of dns, or of ip.addr */
	char dns[DLSSL__HOST_MAX];     /* DLSSL__HOST_DNS: normalised, NUL-terminated */
	struct dlssl__ip ip;           /* IPV4 / IPV6: the octets */
};

/*
 * Validate and classify a reference name (DESIGN.md "Host names"): an IP
 * literal as inet_pton reads it, or a DNS name of ASCII letters, digits,
 * '-', '_' and '.', with no empty label, at most 253 octets and 63 per
 * label, one trailing dot removed.  Returns h->kind; DLSSL__HOST_INVALID
 * with a static reason in *why.  The stream code sends SNI only for
 * DLSSL__HOST_DNS, and then h->dns.
 */
enum dlssl__host_kind dlssl__host_parse(const char *name, struct dlssl__host *h,
    const char **why);

/* Does a presented DNS identifier (SAN or CN) match a parsed DNS reference?  1 or 0. */
int dlssl__host_match_dns(const char *pattern, size_t plen, const struct dlssl__host *h);

#endif /* DLSSL_X509_H */
