/*
 * OpenSSL 1.0.2 needs the application to supply locking and thread-id
 * callbacks before it is used from several threads (CRYPTO_set_locking_callback(3)).
 * 1.1.0 and later do their own locking; this file is used only for 1.0.2,
 * and only when dlssl owns the library and nobody installed callbacks yet.
 */
#include "config.h"

#include <stdlib.h>

#include "compat/thread.h"
#include "ossl/loader.h"

static dl_mutex *locks;
static int nlocks;

static void
locking_cb(int mode, int n, const char *file, int line)
{
	(void)file;
	(void)line;
	if (n < 0 || n >= nlocks)
		return;
	if (mode & DL_CRYPTO_LOCK)
		dl_mutex_lock(&locks[n]);
	else
		dl_mutex_unlock(&locks[n]);
}

static const struct dlssl__ossl *legacy_api;

static void
threadid_cb(CRYPTO_THREADID *id)
{
	legacy_api->CRYPTO_THREADID_set_numeric(id, dl_thread_id());
}

int
dlssl__legacy102_init(const struct dlssl__ossl *t)
{
	int i, n;

	if (t->CRYPTO_get_locking_callback == NULL || t->CRYPTO_get_locking_callback() != NULL)
		return 0; /* someone else set them up */
	n = t->CRYPTO_num_locks();
	if (n <= 0 || n > 4096)
		return -1;
	if (locks == NULL) {
		/* Kept for the life of the process: the library may use them at exit. */
		locks = calloc((size_t)n, sizeof(*locks));
		if (locks == NULL)
			return -1;
		for (i = 0; i < n; i++) {
#ifdef _WIN32
			InitializeSRWLock(&locks[i]);
#else
			pthread_mutex_init(&locks[i], NULL);
#endif
		}
		nlocks = n;
	} else if (n > nlocks) {
		return -1;
	}
	legacy_api = t;
	t->CRYPTO_THREADID_set_callback(threadid_cb);
	t->CRYPTO_set_locking_callback(locking_cb);
	return 0;
}
