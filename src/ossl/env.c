/*
 * The loader's configuration: API options merged with the environment.
 *
 * DLSSL_LIBSSL, DLSSL_LIBCRYPTO  absolute paths
 * DLSSL_LIBDIR                   an absolute directory, searched with the soname list
 * DLSSL_MODE                     auto | host | private
 * DLSSL_TRACE                    1: print every candidate to stderr
 *
 * Read with secure_getenv, so a setuid or otherwise AT_SECURE process
 * ignores them all.  API options take precedence over the environment.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#ifdef HAVE_SYS_AUXV_H
#include <sys/auxv.h>
#endif
#ifndef _WIN32
#include <unistd.h>
#else
#include "compat/win32.h"
#endif

#include "error.h"
#include "ossl/dl.h"
#include "ossl/loader.h"

/* Longest accepted value: a path longer than this is a mistake. */
#define DL_ENV_MAX 4096


const char *
dlssl__secure_getenv(const char *name)
{
#if defined(HAVE_SECURE_GETENV)
	return secure_getenv(name);
#elif defined(HAVE___SECURE_GETENV)
	return __secure_getenv(name);
#elif defined(HAVE_GETAUXVAL) && defined(AT_SECURE)
	if (getauxval(AT_SECURE))
		return NULL;
	return getenv(name);
#elif defined(_WIN32)
	/* No setuid on Windows.  UTF-8 from the wide environment, not the ANSI code page. */
	return dlssl__win_getenv(name);
#else
	if (getuid() != geteuid() || getgid() != getegid())
		return NULL;
	return getenv(name);
#endif
}

void
dlssl__config_free(struct dl_config *cfg)
{
	free(cfg->libssl);
	free(cfg->libcrypto);
	free(cfg->libdir);
	memset(cfg, 0, sizeof(*cfg));
}

static int
take_path(char **dst, const char *value, const char *what)
{
	if (value == NULL || value[0] == '\0')
		return 0;
	if (strlen(value) > DL_ENV_MAX) {
		dlssl__set_errorx(DLSSL_ERR_LOAD, "%s is longer than %d bytes",
		    what, DL_ENV_MAX);
		return -1;
	}
	if (!dlssl__dl_is_absolute(value)) {
		dlssl__set_errorx(DLSSL_ERR_LOAD,
		    "%s must be an absolute path, not the relative '%s' "
		    "(a relative path would be searched from the current directory)",
		    what, value);
		return -1;
	}
	*dst = strdup(value);
	if (*dst == NULL) {
		dlssl__set_errorx(DLSSL_ERR_NOMEM, "out of memory");
		return -1;
	}
	return 0;
}

static int
parse_mode(const char *v, enum dlssl_mode *mode)
{
	if (v == NULL || v[0] == '\0')
		return 0;
	if (strcmp(v, "auto") == 0)
		*mode = DLSSL_MODE_AUTO;
	else if (strcmp(v, "host") == 0)
		*mode = DLSSL_MODE_HOST;
	else if (strcmp(v, "private") == 0)
		*mode = DLSSL_MODE_PRIVATE;
	else {
		dlssl__set_errorx(DLSSL_ERR_LOAD,
		    "DLSSL_MODE must be auto, host or private, not '%.64s'", v);
		return -1;
	}
	return 0;
}

int
dlssl__config_read(struct dl_config *cfg, const struct dlssl_init_opts *opts)
{
	const char *t;

	memset(cfg, 0, sizeof(*cfg));
	t = dlssl__secure_getenv("DLSSL_TRACE");
	cfg->trace = t != NULL && t[0] != '\0' && strcmp(t, "0") != 0;
	cfg->mode = DLSSL_MODE_AUTO;

	if (opts != NULL && (opts->libssl_path || opts->libcrypto_path || opts->libdir)) {
		cfg->path_source = DLSSL_SOURCE_ARGUMENT;
		if (take_path(&cfg->libssl, opts->libssl_path, "libssl_path") < 0 ||
		    take_path(&cfg->libcrypto, opts->libcrypto_path, "libcrypto_path") < 0 ||
		    take_path(&cfg->libdir, opts->libdir, "libdir") < 0)
			goto fail;
	} else {
		const char *ssl = dlssl__secure_getenv("DLSSL_LIBSSL");
		const char *crypto = dlssl__secure_getenv("DLSSL_LIBCRYPTO");
		const char *dir = dlssl__secure_getenv("DLSSL_LIBDIR");

		if (take_path(&cfg->libssl, ssl, "DLSSL_LIBSSL") < 0 ||
		    take_path(&cfg->libcrypto, crypto, "DLSSL_LIBCRYPTO") < 0 ||
		    take_path(&cfg->libdir, dir, "DLSSL_LIBDIR") < 0)
			goto fail;
		if (cfg->libssl || cfg->libcrypto || cfg->libdir)
			cfg->path_source = DLSSL_SOURCE_ENVIRONMENT;
	}
	if (cfg->libcrypto != NULL && cfg->libssl == NULL && cfg->libdir == NULL) {
		dlssl__set_errorx(DLSSL_ERR_LOAD, "%s names libcrypto but not libssl",
		    cfg->path_source == DLSSL_SOURCE_ARGUMENT ? "libcrypto_path" : "DLSSL_LIBCRYPTO");
		goto fail;
	}

	if (opts != NULL && opts->mode != DLSSL_MODE_DEFAULT) {
		if (opts->mode < DLSSL_MODE_AUTO || opts->mode > DLSSL_MODE_PRIVATE) {
			dlssl__set_errorx(DLSSL_ERR_USAGE, "invalid mode %d", (int)opts->mode);
			goto fail;
		}
		cfg->mode = opts->mode;
	} else if (parse_mode(dlssl__secure_getenv("DLSSL_MODE"), &cfg->mode) < 0) {
		goto fail;
	}
	return 0;
fail:
	dlssl__config_free(cfg);
	return -1;
}
