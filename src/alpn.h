/* ALPN wire format (RFC 7301), pure code (alpn.c). */
#ifndef DLSSL_ALPN_H
#define DLSSL_ALPN_H

#include <stddef.h>

/* A NULL-terminated list of names in wire format (malloc'd): 0, or -1 with the error set. */
int dlssl__alpn_encode(const char *const *list, unsigned char **wire, size_t *len);
/* Is in a well-formed, non-empty wire list? */
int dlssl__alpn_valid(const unsigned char *in, size_t inlen);
/* Find protocol name (length n) in a wire list: its position, or NULL. */
const unsigned char *dlssl__alpn_find(const unsigned char *in, size_t inlen,
    const unsigned char *name, size_t n);

#endif
