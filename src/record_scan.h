/*
 * dlssl's own look at the record headers a peer sends during the
 * handshake (record_scan.c), so that what RFC 5246 6.2 and RFC 8446 5.1
 * forbid is refused the same way by every library: a record longer than
 * TLS allows, and an empty handshake, alert or change_cipher_spec record.
 * (OpenSSL 1.0.2's first read waits for seven bytes before it looks at a
 * header; OpenSSL 3.0 takes an empty handshake record and waits.)
 */
#ifndef DLSSL_RECORD_SCAN_H
#define DLSSL_RECORD_SCAN_H

#include <stddef.h>

struct dl_recscan {
	unsigned char hdr[5];
	size_t hlen;      /* header bytes seen of the next record */
	size_t body_left; /* bytes of the current record's body still to come */
	int off;          /* not TLS records (garbage, SSLv2): the library judges */
};

/*
 * Account for n more bytes received.  NULL, or a static text naming what
 * the peer did wrong; the caller fails the connection.
 */
const char *dlssl__recscan_feed(struct dl_recscan *rs, const unsigned char *p, size_t n);

#endif
