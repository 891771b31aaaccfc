/*
 * Finding a connection from inside libssl's callbacks: dlssl's own ex_data
 * index on the SSL, read through the library generation whose call is
 * running (see conn.h).
 */
#include "config.h"

#include "conn.h"

static _Thread_local const struct dlssl__ossl *calling;

void
dlssl__conn_attach(struct dl_conn *cn)
{
	cn->api->SSL_set_ex_data(cn->ssl, cn->api->ex_ssl, cn);
}

const struct dlssl__ossl *
dlssl__conn_call_begin(const struct dlssl__ossl *api)
{
	const struct dlssl__ossl *prev = calling;

	calling = api;
	return prev;
}

void
dlssl__conn_call_end(const struct dlssl__ossl *prev)
{
	calling = prev;
}

const struct dlssl__ossl *
dlssl__conn_calling(void)
{
	return calling;
}

struct dl_conn *
dlssl__conn_of(const SSL *ssl)
{
	const struct dlssl__ossl *api = calling;

	if (api == NULL || ssl == NULL)
		return NULL;
	return (struct dl_conn *)api->SSL_get_ex_data(ssl, api->ex_ssl);
}
