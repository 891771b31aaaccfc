/* The dynamic loader on POSIX systems: dlopen, dlsym, dladdr. */
#include "config.h"

#ifndef _WIN32
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#ifdef HAVE_LINK_H
#include <link.h>
#endif

#include "ossl/dl.h"

/* Object to function pointer conversion, as POSIX dlsym requires. */
static dl_fp
to_fp(void *p)
{
	dl_fp fp;

	memcpy(&fp, &p, sizeof(fp));
	return fp;
}

static void *
from_fp(dl_fp fp)
{
	void *p;

	memcpy(&p, &fp, sizeof(p));
	return p;
}

void *
dlssl__dl_open(const char *name, int noload, char *err, size_t errlen)
{
	int flags = RTLD_NOW | RTLD_LOCAL;
	void *h;
	const char *msg;

#ifdef RTLD_NOLOAD
	if (noload)
		flags |= RTLD_NOLOAD;
#else
	if (noload) {
		snprintf(err, errlen, "no RTLD_NOLOAD on this platform");
		return NULL;
	}
#endif
	(void)dlerror();
	h = dlopen(name, flags);
	if (h == NULL && err != NULL && errlen > 0) {
		msg = dlerror();
		snprintf(err, errlen, "%s", msg ? msg : (noload ? "not mapped" : "cannot open"));
	}
	return h;
}

void
dlssl__dl_close(void *handle)
{
	if (handle != NULL)
		dlclose(handle);
}

dl_fp
dlssl__dl_sym(void *handle, const char *name)
{
	if (handle == NULL)
		return NULL;
	(void)dlerror();
	return to_fp(dlsym(handle, name));
}

dl_fp
dlssl__dl_global_sym(const char *name)
{
	(void)dlerror();
	return to_fp(dlsym(RTLD_DEFAULT, name));
}

static char *
absolute_copy(const char *path)
{
	char *r;

	if (path == NULL || path[0] == '\0')
		return NULL;
	r = realpath(path, NULL);
	if (r == NULL)
		r = strdup(path);
	return r;
}

char *
dlssl__dl_path_of(dl_fp fp)
{
	Dl_info di;

	if (fp == NULL || dladdr(from_fp(fp), &di) == 0 || di.dli_fname == NULL)
		return NULL;
	return absolute_copy(di.dli_fname);
}

char *
dlssl__dl_path_of_handle(void *handle)
{
#if defined(HAVE_DLINFO) && defined(RTLD_DI_LINKMAP)
	struct link_map *lm = NULL;

	if (handle != NULL && dlinfo(handle, RTLD_DI_LINKMAP, &lm) == 0 &&
	    lm != NULL && lm->l_name != NULL && lm->l_name[0] != '\0')
		return absolute_copy(lm->l_name);
#endif
	(void)handle;
	return NULL;
}

void *
dlssl__dl_handle_of(dl_fp fp)
{
	Dl_info di;
	void *h;

	if (fp == NULL || dladdr(from_fp(fp), &di) == 0 || di.dli_fname == NULL)
		return NULL;
#ifdef RTLD_NOLOAD
	h = dlopen(di.dli_fname, RTLD_NOW | RTLD_LOCAL | RTLD_NOLOAD);
	if (h != NULL) {
		/*
		 * The main program's own name may not reopen as a library;
		 * dlopen(NULL) is its handle.
		 */
		return h;
	}
#endif
	h = dlopen(NULL, RTLD_NOW);
	if (h != NULL && dlsym(h, "SSL_CTX_new") == NULL) {
		dlclose(h);
		h = NULL;
	}
	return h;
}

int
dlssl__dl_is_absolute(const char *name)
{
	return name != NULL && name[0] == '/';
}

int
dlssl__dl_file_exists(const char *path)
{
	struct stat st;

	return path != NULL && stat(path, &st) == 0 && S_ISREG(st.st_mode);
}
#endif /* !_WIN32 */

#ifndef _WIN32
#include "ossl/loader.h"

struct mapped_walk {
	char **paths;
	size_t n, cap;
};

#if defined(HAVE_DL_ITERATE_PHDR)
static int
collect_libssl(struct dl_phdr_info *info, size_t size, void *arg)
{
	struct mapped_walk *w = arg;
	const char *name = info->dlpi_name;
	const char *base;
	char **v;

	(void)size;
	if (name == NULL || name[0] != '/')
		return 0;
	base = strrchr(name, '/') + 1;
	/* libssl.so.N, not NSS's libssl3.so. */
	if (strncmp(base, "libssl.so", 9) != 0)
		return 0;
	if (w->n == w->cap) {
		size_t cap = w->cap ? w->cap * 2 : 4;

		v = realloc(w->paths, cap * sizeof(*v));
		if (v == NULL)
			return 1;
		w->paths = v;
		w->cap = cap;
	}
	w->paths[w->n] = strdup(name);
	if (w->paths[w->n] != NULL)
		w->n++;
	return 0;
}
#endif

void
dlssl__dl_each_mapped_libssl(dl_mapped_cb cb, void *arg)
{
	struct mapped_walk w = { NULL, 0, 0 };
	size_t i;

#if defined(HAVE_DL_ITERATE_PHDR)
	/* Collect first: the callback must not dlopen inside the walk. */
	dl_iterate_phdr(collect_libssl, &w);
#endif
	for (i = 0; i < w.n; i++) {
		cb(w.paths[i], arg);
		free(w.paths[i]);
	}
	free(w.paths);
}
#endif
