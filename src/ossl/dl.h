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


/*
 * Link-map namespaces (dl_ns.c; glibc's dlmopen).  DL_NS_BASE is the
 * process's own, DL_NS_NEW asks for a new one; any other value is an id an
 * earlier open returned.
 */
#define DL_NS_BASE 0L
#define DL_NS_NEW (-1L)
/* 1 where the platform has them. */
int dlssl__dl_ns_supported(void);
/*
 * dlssl__dl_open in namespace *ns; a new namespace's id is stored back.
 * Calls of the objects it maps that must reach the host's libc (thread
 * keys, fork handlers) are pointed there.
 */
void *dlssl__dl_open_ns(const char *name, long *ns, int noload, char *err, size_t errlen);
/*
 * Would opening this pair (paths or sonames) in the base namespace mix it
 * with another OpenSSL there: one with the same soname but another file, or
 * one exporting its symbols to every library?  1 with the reason in why.
 */
int dlssl__dl_base_conflict(const char *ssl, const char *crypto, char *why, size_t n);
/* A symbol of the libc of namespace ns (not the base one), or NULL. */
dl_fp dlssl__dl_ns_libc_sym(long ns, const char *name);
/* Keep a namespace emptied by a rejected candidate for the next DL_NS_NEW. */
void dlssl__dl_ns_keep_spare(long ns);
/* A handle, in namespace ns, of the already-mapped object defining fp; or NULL. */
void *dlssl__dl_ns_handle_of(dl_fp fp, long ns);

#endif
