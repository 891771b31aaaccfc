/*
 * Which private namespace holds which pair of files.  glibc has room for
 * only a few namespaces (each holds a libc, whose static TLS is never given
 * back), so dlssl makes one per pair of files, keyed by the device and
 * inode of both, and every later load of the same files goes back to it.
 * A pair named by soname is remembered under its names, and reused while
 * the files those names led to are still the same (a file replaced on
 * disk, as after a restore onto another machine, is a new pair).
 *
 * Called only during a load, under the loader's lock.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "ossl/dl.h"
#include "ossl/loader.h"

#define NS_MAX 16

struct ns_entry {
	char *ssl_name, *crypto_name; /* as requested: paths or sonames */
	char *ssl_path, *crypto_path; /* what they led to */
	dev_t sdev, cdev;
	ino_t sino, cino;
	long ns;
};

static struct ns_entry entries[NS_MAX];
static size_t nentries;

static int
ids(const char *path, dev_t *dev, ino_t *ino)
{
	struct stat st;

	if (path == NULL || stat(path, &st) != 0)
		return -1;
	*dev = st.st_dev;
	*ino = st.st_ino;
	return 0;
}

static int
same_str(const char *a, const char *b)
{
	return (a == NULL && b == NULL) || (a != NULL && b != NULL && strcmp(a, b) == 0);
}

/* Does e still describe the files at its paths? */
static int
still_same(const struct ns_entry *e)
{
	dev_t d;
	ino_t i;

	if (ids(e->ssl_path, &d, &i) < 0 || d != e->sdev || i != e->sino)
		return 0;
	if (e->crypto_path == NULL)
		return 1;
	return ids(e->crypto_path, &d, &i) == 0 && d == e->cdev && i == e->cino;
}

long
dlssl__ns_lookup(const char *ssl, const char *crypto)
{
	dev_t sd = 0, cd = 0;
	ino_t si = 0, ci = 0;
	int by_id;
	size_t k;

	for (k = 0; k < nentries; k++)
		if (same_str(entries[k].ssl_name, ssl) && same_str(entries[k].crypto_name, crypto) &&
		    still_same(&entries[k]))
			return entries[k].ns;
	by_id = dlssl__dl_is_absolute(ssl) && ids(ssl, &sd, &si) == 0 &&
	    (crypto == NULL || (dlssl__dl_is_absolute(crypto) && ids(crypto, &cd, &ci) == 0));
	for (k = 0; by_id && k < nentries; k++)
		if (entries[k].sdev == sd && entries[k].sino == si &&
		    (crypto == NULL || (entries[k].cdev == cd && entries[k].cino == ci)) &&
		    still_same(&entries[k]))
			return entries[k].ns;
	return DL_NS_NEW;
}

static char *
dup_or_null(const char *s)
{
	return s != NULL ? strdup(s) : NULL;
}

void
dlssl__ns_remember(const char *ssl, const char *crypto, const char *ssl_path,
    const char *crypto_path, long ns)
{
	struct ns_entry e;
	size_t k;

	memset(&e, 0, sizeof(e));
	if (ids(ssl_path, &e.sdev, &e.sino) < 0 ||
	    (crypto_path != NULL && ids(crypto_path, &e.cdev, &e.cino) < 0))
		return;
	for (k = 0; k < nentries; k++)
		if (entries[k].ns == ns && same_str(entries[k].ssl_name, ssl) &&
		    same_str(entries[k].crypto_name, crypto) && entries[k].sdev == e.sdev &&
		    entries[k].sino == e.sino)
			return;
	if (nentries == NS_MAX)
		return; /* glibc runs out of namespaces before this */
	e.ssl_name = dup_or_null(ssl);
	e.crypto_name = dup_or_null(crypto);
	e.ssl_path = dup_or_null(ssl_path);
	e.crypto_path = dup_or_null(crypto_path);
	e.ns = ns;
	if (e.ssl_name == NULL || e.ssl_path == NULL) {
		free(e.ssl_name);
		free(e.crypto_name);
		free(e.ssl_path);
		free(e.crypto_path);
		return;
	}
	entries[nentries++] = e;
}
