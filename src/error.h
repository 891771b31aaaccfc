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

/* dlssl's texts for an X509_V_ERR code (OpenSSL 3.0's numbering) and a TLS alert (tls_text.c). */
const char *dlssl__x509_error_text(long code);
const char *dlssl__tls_alert_text(int alert);

#endif
