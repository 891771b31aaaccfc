/*
 * Where trusted certificates come from, decided by dlssl so that it is the
 * same on every library: the system's default store (SSL_CERT_FILE and
 * SSL_CERT_DIR from the environment, read with secure_getenv, else the
 * library's compiled-in file and directory), and hashed CA directories.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "context.h"
#include "util.h"
#include "compat/file.h"

#ifdef _WIN32
#define DL_PATH_LIST_SEP ';'
#else
#define DL_PATH_LIST_SEP ':'
#endif

int
dlssl__ctx_add_dir(struct dlssl_context *c, const char *dir)
{
	const struct dlssl__ossl *api = c->api;

	api->ERR_clear_error();
	if (api->SSL_CTX_load_verify_locations(c->ctx, NULL, dir) != 1) {
		dlssl__set_errorx(DLSSL_ERR_TLS, "cannot load trusted certificates from %s", dir);
		dlssl__ossl_append_errors(api);
		return -1;
	}
	return 0;
}

/* Each directory of a list (SSL_CERT_DIR's form); a missing one is skipped, as by OpenSSL. */
static int
add_dir_list(struct dlssl_context *c, const char *list)
{
	int failed = 0;
	char *copy = dlssl__strdup(list, &failed), *p, *end;
	struct stat st;
	int rv = 0;

	if (copy == NULL)
		return -1;
	for (p = copy; rv == 0 && p != NULL; p = end) {
		if ((end = strchr(p, DL_PATH_LIST_SEP)) != NULL)
			*end++ = '\0';
		if (*p != '\0' && dlssl__stat(p, &st) == 0 && S_ISDIR(st.st_mode))
			rv = dlssl__ctx_add_dir(c, p);
	}
	free(copy);
	return rv;
}

static const char *
env_or(const char *name, const char *dflt)
{
	const char *v = dlssl__secure_getenv(name);

	return v != NULL && *v != '\0' ? v : dflt;
}

int
dlssl__ctx_default_trust(struct dlssl_context *c)
{
	const struct dlssl__ossl *api = c->api;
	const char *file = env_or("SSL_CERT_FILE", api->X509_get_default_cert_file());
	const char *dir = env_or("SSL_CERT_DIR", api->X509_get_default_cert_dir());
	struct stat st;

	/* A file that is absent or unreadable leaves the store as it is, as in OpenSSL. */
	if (file != NULL && dlssl__stat(file, &st) == 0 && !S_ISDIR(st.st_mode)) {
		api->ERR_clear_error();
		(void)api->SSL_CTX_load_verify_locations(c->ctx, file, NULL);
		api->ERR_clear_error();
	}
	if (dir != NULL && add_dir_list(c, dir) < 0) {
		dlssl__set_errorx(DLSSL_ERR_TLS, "cannot load the system's default trusted certificates");
		return -1;
	}
	return 0;
}
