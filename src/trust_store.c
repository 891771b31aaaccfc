/*
 * Where trusted certificates come from, decided by dlssl so that it is the
 * same on every library: the system's default store (SSL_CERT_FILE and
 * SSL_CERT_DIR from the environment, read with secure_getenv, else the
 * library's compiled-in file and directory), and hashed CA directories,
 * whose certificates dlssl loads itself where the library's verifier would
 * never look in them (DL_QUIRK_DIR_UNUSED).
 */
#include "config.h"

#include <dirent.h>
#include <limits.h>
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

/* A hashed directory's certificate names: 8 hex digits, '.', a decimal number. */
static int
is_hashed_name(const char *n)
{
	size_t i;

	for (i = 0; i < 8; i++)
		if (!strchr("0123456789abcdef", n[i]) || n[i] == '\0')
			return 0;
	if (n[8] != '.' || n[9] == '\0')
		return 0;
	for (i = 9; n[i] != '\0'; i++)
		if (n[i] < '0' || n[i] > '9')
			return 0;
	return 1;
}

struct dl_store {
	const struct dlssl__ossl *api;
	X509_STORE *st;
};

/* Every PEM certificate in one file of a hashed directory, as the library would find it. */
static void
store_file(const struct dlssl__ossl *api, X509_STORE *st, const char *path)
{
	unsigned char *d;
	size_t n;
	BIO *b;
	X509 *x;

	if (dlssl__read_file(path, &d, &n) < 0)
		return; /* unreadable: the library's lookup skips it too */
	if (n <= INT_MAX && (b = api->BIO_new_mem_buf(d, (int)n)) != NULL) {
		/* A certificate already in the store is no failure (1.0.2 and LibreSSL say it is). */
		while ((x = api->PEM_read_bio_X509(b, NULL, NULL, NULL)) != NULL) {
			(void)api->X509_STORE_add_cert(st, x);
			api->X509_free(x);
		}
		api->BIO_free(b);
	}
	free(d);
}

static void
store_dir(struct dlssl_context *c, const char *dir)
{
	X509_STORE *st = c->api->SSL_CTX_get_cert_store(c->ctx);
	DIR *dh;
	struct dirent *e;
	char *path;
	size_t dl = strlen(dir);

	if (st == NULL || (dh = opendir(dir)) == NULL)
		return;
	while ((e = readdir(dh)) != NULL) {
		if (!is_hashed_name(e->d_name) || (path = malloc(dl + strlen(e->d_name) + 2)) == NULL)
			continue;
		memcpy(path, dir, dl);
		path[dl] = '/';
		strcpy(path + dl + 1, e->d_name);
		store_file(c->api, st, path);
		free(path);
	}
	closedir(dh);
	dlssl__error_clear();
	c->api->ERR_clear_error();
}

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
	if (api->quirks & DL_QUIRK_DIR_UNUSED)
		store_dir(c, dir);
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
