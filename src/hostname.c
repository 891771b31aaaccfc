/*
 * Host name verification: RFC 6125 matching of a reference name against
 * the identifiers a certificate presents, as DESIGN.md "Host names" fixes
 * it.
 *
 * - The reference name (what the user connects to) is validated first:
 *   an IP literal as inet_pton(3) reads it, else a DNS name of A-labels
 *   (ASCII letters, digits, '-', '_', '.'), no empty label, at most 253
 *   octets and 63 per label, one trailing dot ignored.
 * - An IP literal matches only iPAddress SANs, octet for octet
 *   (RFC 6125 section 6.2.1): never a dNSName, a CN or a wildcard.
 * - A DNS name is compared with each dNSName SAN without regard to ASCII
 *   case (section 6.4.1).  The subject CN is a fallback used only when the
 *   certificate has no dNSName SAN at all (section 6.4.4), and
 *   DLSSL_CHECK_HOST_NO_CN_FALLBACK turns it off.
 * - Wildcards (section 6.4.3): '*' counts only as the whole left-most label
 *   and matches exactly one non-empty label; at least two labels must
 *   follow it (so "*.com" matches nothing).  As in OpenSSL's
 *   X509_check_host, the label it stands for and the labels after it must
 *   be host name labels (letters, digits, '-'; those after it not starting
 *   or ending with '-'): "*.example.com" does not match
 *   "_dmarc.example.com", though "_dmarc.example.com" matches itself.  Partial wildcards such as
 *   "f*.example.com", "*f.example.com" or "xn--*.example.com" never match:
 *   section 6.4.3 lets a client refuse them, and refusing them also rules
 *   out a wildcard inside an A-label.  A whole-label wildcard does match a
 *   reference label that is an A-label ("*.example.com" matches
 *   "xn--bcher-kva.example.com"): 6.4.3 forbids only a wildcard embedded
 *   within an A-label, and OpenSSL's X509_check_host agrees.
 *
 * With the reference name normalised (one trailing dot removed) and not an
 * IP literal, the answers are those of X509_check_host with
 * X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS, except that a presented
 * identifier's trailing dot is ignored here too (CL+SSL's tests want
 * "www.example.com." to match "www.example.com").
 */
#include "config.h"

#ifdef _WIN32
#include <ws2tcpip.h>
#else
#include <arpa/inet.h>
#endif
#include <string.h>

#include "x509.h"

static int
ascii_lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

static int
ascii_caseeq(const char *a, const char *b, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (ascii_lower((unsigned char)a[i]) != ascii_lower((unsigned char)b[i]))
			return 0;
	return 1;
}

static int
host_char(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '-' || c == '_';
}

/* Check the labels of a DNS name of len octets (no trailing dot); a reason or NULL. */
static const char *
check_dns(const char *s, size_t len)
{
	size_t i, label = 0;

	if (len == 0)
		return "empty name";
	if (len > 253)
		return "longer than 253 octets";
	for (i = 0; i < len; i++) {
		if (s[i] == '.') {
			if (label == 0)
				return "empty label";
			label = 0;
		} else if (!host_char((unsigned char)s[i])) {
			return "only ASCII letters, digits, '-', '_' and '.' are allowed "
			    "(pass IDNs as A-labels)";
		} else if (++label > 63) {
			return "label longer than 63 octets";
		}
	}
	return label == 0 ? "empty label" : NULL;
}

enum dlssl__host_kind
dlssl__host_parse(const char *name, struct dlssl__host *h, const char **why)
{
	unsigned char addr[16];
	size_t len;

	h->kind = DLSSL__HOST_INVALID;
	h->len = 0;
	h->dns[0] = '\0';
	if (name == NULL) {
		*why = "no name";
		return h->kind;
	}
	if (inet_pton(AF_INET, name, h->ip.addr) == 1) {
		h->ip.len = h->len = 4;
		return h->kind = DLSSL__HOST_IPV4;
	}
	if (inet_pton(AF_INET6, name, h->ip.addr) == 1) {
		h->ip.len = h->len = 16;
		return h->kind = DLSSL__HOST_IPV6;
	}
	len = strlen(name);
	if (len > 0 && name[len - 1] == '.')
		len--;
	if ((*why = check_dns(name, len)) != NULL)
		return h->kind;
	memcpy(h->dns, name, len);
	h->dns[len] = '\0';
	/* "127.0.0.1." is neither an address nor a name anyone means. */
	if (inet_pton(AF_INET, h->dns, addr) == 1) {
		*why = "an IP address with a trailing dot";
		h->dns[0] = '\0';
		return h->kind;
	}
	h->len = len;
	return h->kind = DLSSL__HOST_DNS;
}

static int
ldh_char(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '-';
}

/*
 * The labels after a wildcard: how many, or 0 unless every one is a host
 * name label (letters, digits, '-' inside), as OpenSSL's valid_star() wants.
 */
static size_t
suffix_labels(const char *s, size_t len)
{
	size_t i, n = 1, label = 0;

	for (i = 0; i < len; i++) {
		if (s[i] == '.') {
			if (label == 0 || s[i - 1] == '-')
				return 0;
			n++;
			label = 0;
		} else if (!ldh_char((unsigned char)s[i]) || (label++ == 0 && s[i] == '-')) {
			return 0;
		}
	}
	return label == 0 || s[len - 1] == '-' ? 0 : n;
}

/* Can '*' stand for the first label of the reference (letters, digits, '-')? */
static size_t
first_label(const struct dlssl__host *h)
{
	size_t i;

	for (i = 0; i < h->len && h->dns[i] != '.'; i++)
		if (!ldh_char((unsigned char)h->dns[i]))
			return 0;
	return i < h->len ? i : 0;
}

int
dlssl__host_match_dns(const char *pat, size_t plen, const struct dlssl__host *h)
{
	size_t n;

	if (h->kind != DLSSL__HOST_DNS || pat == NULL)
		return 0;
	if (plen > 0 && pat[plen - 1] == '.')
		plen--;
	if (plen == 0 || memchr(pat, '\0', plen) != NULL)
		return 0;
	if (memchr(pat, '*', plen) == NULL)
		return plen == h->len && ascii_caseeq(pat, h->dns, plen);
	/*
	 * "*." then at least two labels (RFC 6125 6.4.3).  Like OpenSSL's
	 * X509_check_host, the labels after the '*' and the one it stands
	 * for must be host name labels: "*.example.com" does not match
	 * "_dmarc.example.com".
	 */
	if (plen < 2 || pat[0] != '*' || pat[1] != '.' ||
	    suffix_labels(pat + 2, plen - 2) < 2 || (n = first_label(h)) == 0)
		return 0;
	return h->len - n == plen - 1 && ascii_caseeq(h->dns + n, pat + 1, plen - 1);
}

DLSSL_EXPORT int
dlssl_hostname_matches(const char *pattern, const char *name)
{
	struct dlssl__host h;
	const char *why;

	dlssl__error_clear();
	if (pattern == NULL || name == NULL) {
		dlssl__set_errorx(DLSSL_ERR_USAGE, "dlssl_hostname_matches: NULL %s",
		    pattern == NULL ? "pattern" : "name");
		return 0;
	}
	if (dlssl__host_parse(name, &h, &why) == DLSSL__HOST_INVALID) {
		dlssl__set_errorx(DLSSL_ERR_USAGE, "invalid host name \"%.80s\": %s", name, why);
		return 0;
	}
	return dlssl__host_match_dns(pattern, strlen(pattern), &h);
}

/* An IP reference against the iPAddress SANs. */
static int
match_ip(const struct dlssl_x509 *x, const struct dlssl__host *h)
{
	size_t i;

	for (i = 0; i < x->n_ips; i++)
		if (x->ip_raw[i].len == h->ip.len &&
		    memcmp(x->ip_raw[i].addr, h->ip.addr, h->ip.len) == 0)
			return 1;
	return 0;
}

/* A DNS reference against the dNSName SANs, then (maybe) the CNs. */
static int
match_dns(const struct dlssl_x509 *x, const struct dlssl__host *h, unsigned int flags)
{
	size_t i;

	for (i = 0; i < x->n_dns; i++)
		if (dlssl__host_match_dns(x->dns[i], strlen(x->dns[i]), h))
			return 1;
	if (x->n_dns_present > 0 || (flags & DLSSL_CHECK_HOST_NO_CN_FALLBACK))
		return 0;
	if (x->cn_error != NULL) {
		dlssl__set_errorx(DLSSL_ERR_TLS, "%s", x->cn_error);
		return 0;
	}
	for (i = 0; i < x->n_cns; i++)
		if (dlssl__host_match_dns(x->cns[i], strlen(x->cns[i]), h))
			return 1;
	return 0;
}

DLSSL_EXPORT int
dlssl_check_host_flags(const struct dlssl_x509 *x, const char *name, unsigned int flags)
{
	struct dlssl__host h;
	const char *why;

	dlssl__error_clear();
	if (x == NULL || name == NULL) {
		dlssl__set_errorx(DLSSL_ERR_USAGE, "dlssl_check_host: NULL %s",
		    x == NULL ? "certificate" : "name");
		return 0;
	}
	if ((flags & ~(unsigned int)DLSSL_CHECK_HOST_NO_CN_FALLBACK) != 0) {
		dlssl__set_errorx(DLSSL_ERR_USAGE, "dlssl_check_host: unknown flags 0x%x", flags);
		return 0;
	}
	if (dlssl__host_parse(name, &h, &why) == DLSSL__HOST_INVALID) {
		dlssl__set_errorx(DLSSL_ERR_USAGE, "invalid host name \"%.80s\": %s", name, why);
		return 0;
	}
	if (x->san_error != NULL) {
		dlssl__set_errorx(DLSSL_ERR_TLS, "%s", x->san_error);
		return 0;
	}
	if (h.kind != DLSSL__HOST_DNS)
		return match_ip(x, &h);
	return match_dns(x, &h, flags);
}

DLSSL_EXPORT int
dlssl_check_host(const struct dlssl_x509 *x, const char *name)
{
	return dlssl_check_host_flags(x, name, 0);
}
