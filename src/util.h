/* Small helpers shared by the API layer. */
#ifndef DLSSL_UTIL_H
#define DLSSL_UTIL_H

#include <stddef.h>

/* Largest certificate, key or CA file dlssl reads into memory. */
#define DLSSL_MAX_FILE (1024 * 1024)

/*
 * Read a whole file (at most DLSSL_MAX_FILE bytes) into a malloc'd buffer
 * with a NUL after the data.  0, or -1 with the error set (IO naming the
 * path, USAGE for a too-large file, NOMEM).
 */
int dlssl__read_file(const char *path, unsigned char **data, size_t *len);
/* Overwrite memory in a way the compiler keeps. */
void dlssl__wipe(void *p, size_t len);
/* Overwrite then free (keys, passwords). */
void dlssl__free_secret(void *p, size_t len);
/* strdup that sets DLSSL_ERR_NOMEM on failure; NULL stays NULL. */
char *dlssl__strdup(const char *s, int *failed);

#endif
