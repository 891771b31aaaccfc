/*
 * Thread-local error state shared by both layers (the loader may set
 * errors too; that is the one thing src/ossl/ takes from src/).
 */
#ifndef DLSSL_ERROR_H
#define DLSSL_ERROR_H

#include "dlssl.h"

#define DLSSL__PRINTF(a, b) __attribute__((format(printf, a, b)))

/* Clear the calling thread's error; every public entry point starts so. */
void dlssl__error_clear(void);
/* Set the error, appending ": strerror(errno)". */
void dlssl__set_error(int code, const char *fmt, ...) DLSSL__PRINTF(2, 3);
/* Set the error without errno. */
void dlssl__set_errorx(int code, const char *fmt, ...) DLSSL__PRINTF(2, 3);
/* Append ": " and text to the current message (if there is one). */
void dlssl__error_append(const char *text);
/*
 * Append one entry of OpenSSL's error queue, unless the message holds that
 * text already (OpenSSL 3 queues some errors twice).  alert >= 0: the entry
 * reports that alert received from the peer; its name (dlssl's table, the
 * same on every library) goes before the library's text.  Returns 1 when
 * something was appended, 0 when the entry was a repeat.
 */
int dlssl__error_append_queued(const char *text, int alert);

/* names.c: "TLSv1.2" for DLSSL_TLS1_2 (and 0x0300 "SSLv3"), else NULL. */
const char *dlssl__version_name(int version);
/*
 * names.c: a protocol range for messages, "TLSv1.3 .. TLSv1.2 (the minimum
 * is above the maximum)"; 0 is the default bound, an unknown value is shown
 * in hex with the reason.  Thread-local; valid until the thread's next call.
 */
const char *dlssl__version_range(int min, int max);
/* names.c: "handshake_failure" for 40 (the IANA TLS Alerts registry), else NULL. */
const char *dlssl__alert_name(int alert);

/* dlssl's text for an X509_V_ERR code, OpenSSL 3.0's numbering and wording (tls_text.c). */
const char *dlssl__x509_error_text(long code);

#endif
