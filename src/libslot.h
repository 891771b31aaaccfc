/*
 * libssl calls dlssl's callbacks (verify, new session, the transport's BIO)
 * without saying which loaded library it is, and dlssl's ex_data, or a
 * BIO's data, must be read through that library's own functions.  So each
 * library dlssl loads gets a slot, and each such callback is registered in
 * one copy per slot: the copy libssl calls knows its library.  Generations
 * of one library (reloads) share its functions and so its slot.
 */
#ifndef DLSSL_LIBSLOT_H
#define DLSSL_LIBSLOT_H

#include "internal.h"

#define DL_LIB_SLOTS 16
/* X(0) .. X(15): one copy of a callback, or one entry of a table, per slot. */
#define DL_EACH_LIB_SLOT(X) X(0) X(1) X(2) X(3) X(4) X(5) X(6) X(7) \
	X(8) X(9) X(10) X(11) X(12) X(13) X(14) X(15)

/* api's slot (given on first use): 0 .. DL_LIB_SLOTS-1, or -1 with the error set when all are taken. */
int dlssl__lib_slot(const struct dlssl__ossl *api);
/* A table of the library in slot (for its functions), or NULL for a slot never given. */
const struct dlssl__ossl *dlssl__lib_table(int slot);
/*
 * Inside a callback of the library in slot: what dlssl put at its own
 * ex_data index on ssl, under whichever generation of that library made
 * the SSL; NULL if none.
 */
void *dlssl__lib_ssl_data(int slot, const SSL *ssl);

#endif
