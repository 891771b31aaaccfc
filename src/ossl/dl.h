/*
 * The platform's dynamic loader, behind five calls: dl_posix.c (dlopen)
 * and dl_win32.c (LoadLibraryExW).
 */
#ifndef DLSSL_OSSL_DL_H
#define DLSSL_OSSL_DL_H

#include <stddef.h>

typedef void (*dl_fp)(void);

/*
 * Open a library: an absolute path or a bare soname.  noload: only return a
 * library already mapped into the process.  On failure NULL, with the
 * loader's message in err.
 */
void *dlssl__dl_open(const char *name, int noload, char *err, size_t errlen);
void dlssl__dl_close(void *handle);
/*
 * A symbol from the handle, else from its dependencies (dlsym's search on
 * ELF; on Windows the modules its imports were bound to, one level).
 */
dl_fp dlssl__dl_sym(void *handle, const char *name);
/* A symbol from the global scope (already-mapped libraries), or NULL. */
dl_fp dlssl__dl_global_sym(const char *name);
/* The absolute path of the object that defines fp (malloc'd), or NULL. */
char *dlssl__dl_path_of(dl_fp fp);
/* The absolute path of the object behind the handle (malloc'd), or NULL. */
char *dlssl__dl_path_of_handle(void *handle);
/* A handle for the object that defines fp, already mapped; or NULL. */
void *dlssl__dl_handle_of(dl_fp fp);
/* Is name an absolute path on this platform? */
int dlssl__dl_is_absolute(const char *name);
/* Does a file exist at this path? */
int dlssl__dl_file_exists(const char *path);

#endif
