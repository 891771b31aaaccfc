/*
 * dlssl's own look at the record headers a peer sends during the
 * handshake (record_scan.c), so that what RFC 5246 6.2 and RFC 8446 5.1
 * forbid is refused the same way by every library: a record longer than
 * TLS allows, and an empty handshake, alert or change_cipher_spec record.
 * (OpenSSL 1.0.2's first read waits for seven bytes before it looks at a
 * header; OpenSSL 3.0 takes an empty handshake record and waits.)
 *
 * It also follows the headers of the records dlssl's side sends, to know
 * whether they are still unprotected: only then can dlssl itself send the
 * alert that goes with a refusal (record_guard.c).
 */
#ifndef DLSSL_RECORD_SCAN_H
#define DLSSL_RECORD_SCAN_H

#include <stddef.h>

/* Where a byte stream of records is: the next header, or inside a body. */
struct dl_recwalk {
	unsigned char hdr[5];
	size_t hlen;      /* header bytes seen of the next record */
	size_t body_left; /* bytes of the current record's body still to come */
};

struct dl_recscan {
	struct dl_recwalk in;      /* the peer's records */
	int off;                   /* not TLS records (garbage, SSLv2): the library judges */
	int alert;                 /* the alert for what was refused (RFC 8446 6.2) */
	unsigned char version[2];  /* the record version of the peer's last TLS record, or 0 */
	struct dl_recwalk out;     /* the records sent */
	int protected_out;         /* a change_cipher_spec or application_data record was sent */
};

/*
 * Account for n more bytes received.  NULL, or a static text naming what
 * the peer did wrong (rs->alert says which alert answers it); the caller
 * fails the connection.
 */
const char *dlssl__recscan_feed(struct dl_recscan *rs, const unsigned char *p, size_t n);

/* Account for n more bytes sent. */
void dlssl__recscan_sent(struct dl_recscan *rs, const unsigned char *p, size_t n);

/* Alert descriptions (RFC 8446 section 6). */
#define DL_ALERT_UNEXPECTED_MESSAGE 10
#define DL_ALERT_RECORD_OVERFLOW 22
#define DL_ALERT_HANDSHAKE_FAILURE 40
#define DL_ALERT_DECODE_ERROR 50

#endif
