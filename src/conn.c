/*
 * Finding a connection from an SSL: dlssl's own ex_data index, read through
 * the generation that made it, or from inside a callback of a library
 * (libslot.h) through whichever of its generations did.
 */
#include "config.h"

#include "conn.h"
#include "libslot.h"

void
dlssl__conn_attach(struct dl_conn *cn)
{
	cn->api->SSL_set_ex_data(cn->ssl, cn->api->ex_ssl, cn);
}

struct dl_conn *
dlssl__conn_get(const struct dlssl__ossl *api, const SSL *ssl)
{
	return ssl != NULL ? (struct dl_conn *)api->SSL_get_ex_data(ssl, api->ex_ssl) : NULL;
}

struct dl_conn *
dlssl__conn_of(int slot, const SSL *ssl)
{
	return (struct dl_conn *)dlssl__lib_ssl_data(slot, ssl);
}
