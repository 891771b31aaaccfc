/* dlssl's own check of incoming TLS record headers (see record_scan.h). */
#include "config.h"

#include <string.h>

#include "record_scan.h"

/* TLSCiphertext.length may exceed 2^14 by at most 2048 (RFC 5246 6.2.3). */
#define DL_RECORD_MAX (16384 + 2048)

enum { DL_CT_CCS = 20, DL_CT_ALERT = 21, DL_CT_HANDSHAKE = 22, DL_CT_HEARTBEAT = 24 };

/* A complete header: NULL when it may go on, else what is wrong. */
static const char *
check_header(struct dl_recscan *rs)
{
	unsigned type = rs->hdr[0];
	size_t len = ((size_t)rs->hdr[3] << 8) | rs->hdr[4];

	if (type < DL_CT_CCS || type > DL_CT_HEARTBEAT || rs->hdr[1] != 3) {
		rs->off = 1; /* not a TLS record at all: the library refuses it */
		return NULL;
	}
	if (len > DL_RECORD_MAX)
		return "the peer sent a record longer than TLS allows (record_overflow)";
	if (len == 0 && type == DL_CT_HANDSHAKE)
		return "the peer sent an empty handshake record (unexpected_message)";
	if (len == 0 && (type == DL_CT_ALERT || type == DL_CT_CCS))
		return "the peer sent an empty alert or change_cipher_spec record (unexpected_message)";
	rs->body_left = len;
	return NULL;
}

const char *
dlssl__recscan_feed(struct dl_recscan *rs, const unsigned char *p, size_t n)
{
	const char *bad;
	size_t k;

	while (n > 0 && !rs->off) {
		if (rs->body_left > 0) {
			k = n < rs->body_left ? n : rs->body_left;
			rs->body_left -= k;
			p += k;
			n -= k;
			continue;
		}
		k = sizeof(rs->hdr) - rs->hlen;
		if (k > n)
			k = n;
		memcpy(rs->hdr + rs->hlen, p, k);
		rs->hlen += k;
		p += k;
		n -= k;
		if (rs->hlen < sizeof(rs->hdr))
			break;
		rs->hlen = 0;
		if ((bad = check_header(rs)) != NULL)
			return bad;
	}
	return NULL;
}
