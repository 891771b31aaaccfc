/*
 * dlssl: TLS client and server streams and contexts over an OpenSSL that is
 * found and loaded when the program runs.
 *
 * This is the one public header.  It never includes an OpenSSL header:
 * programs built against dlssl need no OpenSSL at build time.
 *
 * Conventions (see dlssl(3)):
 *  - Functions returning int return 0 on success and -1 on failure;
 *    constructors return a pointer or NULL.
 *  - On failure a message and a category are left for the calling thread:
 *    dlssl_error() and dlssl_error_code().  Every public call clears them
 *    when it starts.
 *  - Options structs: a NULL pointer or an all-zero struct means "every
 *    default".  The library copies what it needs before returning.
 *  - _free(NULL) and _close(NULL) are no-ops.
 */
#ifndef DLSSL_H
#define DLSSL_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#define DLSSL_VERSION_MAJOR 0
#define DLSSL_VERSION_MINOR 1
#define DLSSL_VERSION_PATCH 0
#define DLSSL_VERSION_HEX \
	((DLSSL_VERSION_MAJOR << 16) | (DLSSL_VERSION_MINOR << 8) | DLSSL_VERSION_PATCH)

#if defined(_WIN32) && !defined(__GNUC__)
#define DLSSL_EXPORT __declspec(dllexport)
#elif defined(_WIN32)
#define DLSSL_EXPORT __attribute__((visibility("default")))
#elif defined(__GNUC__)
#define DLSSL_EXPORT __attribute__((visibility("default")))
#else
#define DLSSL_EXPORT
#endif

/*
 * Error categories.  One list; dlssl_error_name() gives each its name.
 *   NONE      no error
 *   USAGE     the caller passed something invalid
 *   NOMEM     out of memory
 *   LOAD      libssl/libcrypto could not be found, loaded or bound
 *   STALE     the object was made under a libssl that a reload replaced
 *   IO        the transport failed (errno or the callback's error)
 *   TLS       OpenSSL reported a protocol or configuration error
 *   VERIFY    the peer's certificate or host name did not verify
 *   TIMEOUT   a read, write or handshake deadline passed
 *   TRUNCATED the peer closed without close_notify (truncation)
 *   CLOSED    the stream is closed
 *   INTERNAL  a bug in dlssl
 */
#define DLSSL_ERRNO_MAP(X) \
	X(NONE, 0, "no error") \
	X(USAGE, 1, "invalid use") \
	X(NOMEM, 2, "out of memory") \
	X(LOAD, 3, "libssl could not be loaded") \
	X(STALE, 4, "object from an earlier libssl generation") \
	X(IO, 5, "I/O error") \
	X(TLS, 6, "TLS error") \
	X(VERIFY, 7, "verification failed") \
	X(TIMEOUT, 8, "timed out") \
	X(TRUNCATED, 9, "peer closed without close_notify") \
	X(CLOSED, 10, "stream closed") \
	X(INTERNAL, 11, "internal error")

enum dlssl_error_code {
#define DLSSL_ERR_ENUM_(name, value, text) DLSSL_ERR_##name = value,
	DLSSL_ERRNO_MAP(DLSSL_ERR_ENUM_)
#undef DLSSL_ERR_ENUM_
	DLSSL_ERR_MAX_
};

/* Library loading modes (DLSSL_MODE=auto|host|private). */
enum dlssl_mode {
	/** Take DLSSL_MODE from the environment, else auto. */
	DLSSL_MODE_DEFAULT = 0,
	/** Use an acceptable OpenSSL already mapped into the process, else load one. */
	DLSSL_MODE_AUTO = 1,
	/** Use only what the process already mapped; never initialise it. */
	DLSSL_MODE_HOST = 2,
	/** Always load our own copy; ignore what the host mapped. */
	DLSSL_MODE_PRIVATE = 3
};

/* Where the loaded library came from. */
enum dlssl_source {
	DLSSL_SOURCE_NONE = 0,
	DLSSL_SOURCE_ARGUMENT = 1,   /* struct dlssl_init_opts */
	DLSSL_SOURCE_ENVIRONMENT = 2, /* DLSSL_LIBSSL, DLSSL_LIBCRYPTO, DLSSL_LIBDIR */
	DLSSL_SOURCE_HOST = 3,       /* already mapped into the process */
	DLSSL_SOURCE_SYSTEM = 4      /* the system's versioned sonames */
};

enum dlssl_flavor {
	DLSSL_FLAVOR_UNKNOWN = 0,
	DLSSL_FLAVOR_OPENSSL = 1,
	DLSSL_FLAVOR_LIBRESSL = 2
};

/* Capabilities of the loaded library (dlssl_library_info()->capabilities). */
#define DLSSL_CAP_TLS13 0x0001UL        /* TLS 1.3 (OpenSSL 1.1.1+, LibreSSL 3.2+) */
#define DLSSL_CAP_ALPN 0x0002UL         /* ALPN (RFC 7301) */
#define DLSSL_CAP_HOSTCHECK 0x0004UL    /* X509_check_host and verify params */
#define DLSSL_CAP_BIO_METHOD 0x0008UL   /* custom BIO methods (1.1.0+) */
#define DLSSL_CAP_CIPHERSUITES 0x0010UL /* TLS 1.3 cipher suite selection */
#define DLSSL_CAP_MINMAX_PROTO 0x0020UL /* min/max protocol version controls */
#define DLSSL_CAP_EOF_OPTION 0x0040UL   /* SSL_OP_IGNORE_UNEXPECTED_EOF (3.0+) */

/**
 * Options for dlssl_ensure_initialized().  Zero fields mean "default";
 * these take precedence over the environment.
 */
struct dlssl_init_opts {
	/** Absolute path of libssl to load; failure to use it is an error. */
	const char *libssl_path;
	/** Absolute path of libcrypto; derived from libssl_path when NULL. */
	const char *libcrypto_path;
	/** Absolute directory searched with the versioned soname list. */
	const char *libdir;
	/** Loading mode; DLSSL_MODE_DEFAULT reads DLSSL_MODE, else auto. */
	enum dlssl_mode mode;
	/** Reserved; must be zero. */
	void *reserved[8];
};

/** One library candidate the loader tried. */
struct dlssl_candidate {
	const char *libssl;      /**< path or soname tried for libssl */
	const char *libcrypto;   /**< path or soname tried for libcrypto, or NULL */
	enum dlssl_source source;
	int accepted;            /**< 1 when this candidate was used */
	const char *reason;      /**< why it was rejected, or what was found */
	const char *missing;     /**< space-separated missing required symbols, or NULL */
	void *reserved[4];
};

/**
 * What the loader found.  Filled by every load attempt, successful or not.
 */
struct dlssl_library_info {
	int loaded;                  /**< 1 when a library is in use */
	const char *libssl_path;     /**< absolute path of libssl, or NULL */
	const char *libcrypto_path;  /**< absolute path of libcrypto, or NULL */
	enum dlssl_source source;
	enum dlssl_mode mode;        /**< the mode in effect */
	enum dlssl_flavor flavor;
	const char *version_text;    /**< e.g. "OpenSSL 3.0.19 27 Jan 2026" */
	unsigned long version_number; /**< as the library reports it */
	unsigned int version_major, version_minor, version_patch;
	unsigned long capabilities;  /**< DLSSL_CAP_* bits */
	unsigned long generation;    /**< increases with every successful load */
	int host_owned;              /**< 1 when the host process owns the library */
	unsigned long load_ns;       /**< time spent finding, checking and binding */
	const char *error;           /**< why loading failed, or NULL */
	const char *warning;         /**< a non-fatal finding, or NULL */
	size_t n_candidates;
	const struct dlssl_candidate *candidates;
	void *reserved[8];
};

/** The version of dlssl itself, as DLSSL_VERSION_HEX. */
DLSSL_EXPORT unsigned int dlssl_version(void);

/**
 * Find, check and bind libssl and libcrypto, once.  Everything else calls
 * this by itself; call it yourself to choose the library or to get the
 * error early.
 *
 * Order: _opts paths, then DLSSL_LIBSSL/DLSSL_LIBCRYPTO/DLSSL_LIBDIR
 * (absolute paths only; ignored in setuid programs), then, by mode, what
 * the process already mapped, then the system's versioned sonames.
 * A source asked for explicitly that fails is an error, not a fallback.
 *
 * @param _opts NULL for defaults.  Copied.
 * @returns 0 when a library is in use; -1 with DLSSL_ERR_LOAD (details in
 *          dlssl_library_info()), or DLSSL_ERR_USAGE when a library is
 *          already loaded and _opts asks for another (use dlssl_reload()).
 * @note Thread-safe: concurrent first callers wait for one load.  A failure
 *       is not remembered: a later call tries again.
 */
DLSSL_EXPORT int dlssl_ensure_initialized(const struct dlssl_init_opts *_opts);

/**
 * Re-read the environment, find libssl again and publish a new generation
 * of the function table (after a checkpoint/restore, or to switch library).
 * A library that was initialised is never unmapped.  Objects made under an
 * earlier generation are refused with DLSSL_ERR_STALE.  The global context
 * is cleared and the random generator is reseeded.
 *
 * @returns 0, or -1 (the previous library stays in use).
 * @note Thread-safe, but streams used concurrently start failing with
 *       DLSSL_ERR_STALE.
 */
DLSSL_EXPORT int dlssl_reload(void);

/**
 * Like dlssl_reload(), with options that replace the ones given to
 * dlssl_ensure_initialized().
 */
DLSSL_EXPORT int dlssl_reload_opts(const struct dlssl_init_opts *_opts);

/**
 * Report of the latest load attempt (loading first if none was made).
 * @returns never NULL.  Owned by dlssl, valid for the life of the process.
 */
DLSSL_EXPORT const struct dlssl_library_info *dlssl_library_info(void);

/** The current table generation, 0 when nothing is loaded. */
DLSSL_EXPORT unsigned long dlssl_generation(void);

/**
 * Fill _buf with _n cryptographically strong random bytes from libcrypto.
 * @returns 0, or -1 (DLSSL_ERR_LOAD, DLSSL_ERR_TLS, DLSSL_ERR_USAGE).
 */
DLSSL_EXPORT int dlssl_random_bytes(void *_buf, size_t _n);

/**
 * The calling thread's last error message, or NULL when the last call
 * succeeded.  Valid until the thread's next dlssl call.
 */
DLSSL_EXPORT const char *dlssl_error(void);

/** The calling thread's last error category (DLSSL_ERR_NONE on success). */
DLSSL_EXPORT int dlssl_error_code(void);

/** A category's name ("LOAD", "VERIFY", ...); "UNKNOWN" for other values. */
DLSSL_EXPORT const char *dlssl_error_name(int _code);

/** Names for the enums of the report: "argument", "host", "auto", ... */
DLSSL_EXPORT const char *dlssl_source_name(enum dlssl_source _source);
DLSSL_EXPORT const char *dlssl_mode_name(enum dlssl_mode _mode);

/* ==== Certificates and host names (x509.c, hostname.c) ==== */

/* ==== end of certificates and host names ==== */

/* ==== Contexts and streams (context.c, stream.c, ...) ==== */

/* ==== end of contexts and streams ==== */

#ifdef __cplusplus
}
#endif

#endif /* DLSSL_H */
