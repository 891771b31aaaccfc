/* dlssl's own check of TLS record headers, both ways (see record_scan.h). */
#include "config.h"

#include <string.h>

#include "record_scan.h"

/* TLSCiphertext.length may exceed 2^14 by at most 2048 (RFC 5246 6.2.3). */
#define DL_RECORD_MAX (16384 + 2048)

enum {
	DL_CT_CCS = 20, DL_CT_ALERT = 21, DL_CT_HANDSHAKE = 22, DL_CT_APPDATA = 23,
	DL_CT_HEARTBEAT = 24
};

/*
 * Walk n bytes: returns how many were taken, stopping right after a
 * complete header (then *header is 1 and w->hdr holds it; the caller sets
 * w->body_left), or at the end of the bytes.
 */
static size_t
walk(struct dl_recwalk *w, const unsigned char *p, size_t n, int *header)
{
	size_t used = 0, k;

	*header = 0;
	while (used < n) {
		if (w->body_left > 0) {
			k = n - used < w->body_left ? n - used : w->body_left;
			w->body_left -= k;
			used += k;
			continue;
		}
		k = sizeof(w->hdr) - w->hlen;
		if (k > n - used)
			k = n - used;
		memcpy(w->hdr + w->hlen, p + used, k);
		w->hlen += k;
		used += k;
		if (w->hlen == sizeof(w->hdr)) {
			w->hlen = 0;
			*header = 1;
			break;
		}
	}
	return used;
}

static size_t
record_length(const struct dl_recwalk *w)
{
	return ((size_t)w->hdr[3] << 8) | w->hdr[4];
}

/* A complete header: NULL when it may go on, else what is wrong. */
static const char *
check_header(struct dl_recscan *rs)
{
	unsigned type = rs->in.hdr[0];
	size_t len = record_length(&rs->in);

	if (type < DL_CT_CCS || type > DL_CT_HEARTBEAT || rs->in.hdr[1] != 3) {
		rs->off = 1; /* not a TLS record at all: the library refuses it */
		return NULL;
	}
	memcpy(rs->version, rs->in.hdr + 1, 2);
	if (len > DL_RECORD_MAX) {
		rs->alert = DL_ALERT_RECORD_OVERFLOW;
		return "the peer sent a record longer than TLS allows (record_overflow)";
	}
	rs->alert = DL_ALERT_UNEXPECTED_MESSAGE;
	if (len == 0 && type == DL_CT_HANDSHAKE)
		return "the peer sent an empty handshake record (unexpected_message)";
	if (len == 0 && (type == DL_CT_ALERT || type == DL_CT_CCS))
		return "the peer sent an empty alert or change_cipher_spec record (unexpected_message)";
	rs->alert = 0;
	rs->in.body_left = len;
	return NULL;
}

const char *
dlssl__recscan_feed(struct dl_recscan *rs, const unsigned char *p, size_t n)
{
	const char *bad;
	size_t k;
	int header;

	while (n > 0 && !rs->off) {
		k = walk(&rs->in, p, n, &header);
		p += k;
		n -= k;
		if (header && (bad = check_header(rs)) != NULL)
			return bad;
	}
	return NULL;
}

void
dlssl__recscan_sent(struct dl_recscan *rs, const unsigned char *p, size_t n)
{
	size_t k;
	int header;

	while (n > 0 && !rs->protected_out) {
		k = walk(&rs->out, p, n, &header);
		p += k;
		n -= k;
		if (!header)
			continue;
		if (rs->out.hdr[0] == DL_CT_CCS || rs->out.hdr[0] == DL_CT_APPDATA)
			rs->protected_out = 1;
		rs->out.body_left = record_length(&rs->out);
	}
}
