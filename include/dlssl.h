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
#define DLSSL_CAP_OLD_TLS 0x0080UL      /* TLS 1.0 and 1.1 can be enabled (not LibreSSL 3.8.1+) */
/* TLS 1.3 sessions resume, client and server (OpenSSL 1.1.1+; LibreSSL's TLS 1.3 has no PSK). */
#define DLSSL_CAP_TLS13_RESUME 0x0100UL

/**
 * Options for dlssl_ensure_initialized().  Zero fields mean "default";
 * these take precedence over the environment.
 */
struct dlssl_init_opts {
	/** Absolute path of libssl to load; failure to use it is an error. */
	const char *libssl_path;
	/** Absolute path of libcrypto; derived from libssl_path when NULL. */
	const char *libcrypto_path;
	/** Absolute directory searched with the versioned soname list, then for its other libssl.so.N files (LibreSSL's; not on Windows). */
	const char *libdir;
	/** Loading mode; DLSSL_MODE_DEFAULT reads DLSSL_MODE, else auto. */
	enum dlssl_mode mode;
	/** Extra seed bytes mixed into the random generator (RAND_seed), or NULL. */
	const void *rand_seed;
	size_t rand_seed_len;
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
	unsigned long load_ns;       /**< time for the whole load, dynamic linker included */
	unsigned long bind_ns;       /**< of which identifying, pairing and binding */
	const char *error;           /**< why loading failed, or NULL */
	const char *warning;         /**< a non-fatal finding, or NULL */
	size_t n_candidates;
	const struct dlssl_candidate *candidates;
	/**
	 * The link-map namespace the library is in: 0 the process's own
	 * (shared with the host's libraries), > 0 a private one dlssl made
	 * (glibc's dlmopen), one per pair of files, reused by reloads of them.
	 */
	long link_map;
	/**
	 * Why the library is, or is not, isolated from the host's: for example
	 * "private mode" or, in auto mode, the other copy that made dlssl isolate
	 * it; where private mode cannot isolate (no dlmopen: musl, macOS,
	 * Windows), what it could not give.  NULL when nothing was asked or needed.
	 */
	const char *isolation;
	void *reserved[6];
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
 * What the loader found: the report of the library in use, or, when none
 * is, of the latest attempt (loading first if none was made).
 * @returns never NULL.  Owned by dlssl.  The report of a library that was
 * used stays valid for the life of the process; a failed attempt's report
 * is valid until 16 more attempts were made.
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

/* time_t, for dlssl_x509_validity(). */
#include <time.h>

/**
 * A certificate: loaded from a file or memory, or a stream's peer
 * certificate (dlssl_stream_peer_certificate()).  Opaque.
 *
 * Everything in it is read once, when it is made, and never changes
 * afterwards: any number of threads may call the getters on one object
 * at the same time (but not while another frees it).  Strings and lists
 * the getters return are owned by the object and stay valid until
 * dlssl_x509_free().
 */
struct dlssl_x509;

/** dlssl_check_host_flags(): never fall back to the subject CN (strict RFC 6125 6.4.4). */
#define DLSSL_CHECK_HOST_NO_CN_FALLBACK 0x0001U

/**
 * Load a certificate from a file, PEM or DER, told apart by content.  From
 * a file with several PEM blocks the first CERTIFICATE is taken (other
 * blocks before it, such as a key, are skipped).  Encrypted PEM is never
 * prompted for.
 *
 * @param _path the file; at most 1 MiB is read.
 * @returns a new object (free with dlssl_x509_free()), or NULL:
 *          DLSSL_ERR_USAGE (NULL path), DLSSL_ERR_IO (cannot open or read
 *          the file, with the path and errno's text; a file over 1 MiB),
 *          DLSSL_ERR_TLS (empty, truncated or not a certificate; the
 *          message names the path and includes OpenSSL's error queue),
 *          DLSSL_ERR_LOAD (no libcrypto), DLSSL_ERR_NOMEM.
 * @note Thread-safe.  The certificate's signature and dates are not checked.
 */
DLSSL_EXPORT struct dlssl_x509 *dlssl_x509_load_file(const char *_path);

/**
 * Load a certificate from memory, PEM or DER, as dlssl_x509_load_file().
 *
 * @param _data the bytes (copied as needed; the caller keeps them).
 * @param _len their number (at most INT_MAX).
 * @returns a new object, or NULL: DLSSL_ERR_USAGE (NULL data, too long),
 *          DLSSL_ERR_TLS (empty or undecodable), DLSSL_ERR_LOAD,
 *          DLSSL_ERR_NOMEM.
 */
DLSSL_EXPORT struct dlssl_x509 *dlssl_x509_load_mem(const void *_data, size_t _len);

/** Free a certificate.  NULL is a no-op.  Works after dlssl_reload() too. */
DLSSL_EXPORT void dlssl_x509_free(struct dlssl_x509 *_x);

/**
 * The subject name as RFC 4514 text, made by dlssl itself so that it is
 * the same with every library: "CN=host,O=Example" (the most significant
 * RDN last), '+' inside a multi-valued RDN, values in UTF-8 with , + " \ <
 * > ; and a leading '#' or space and a trailing space escaped by '\',
 * control characters as \XX, unknown attribute types as a dotted OID with
 * a '#' hex value (as `openssl x509 -nameopt RFC2253,-esc_msb` prints).
 *
 * @returns the name, owned by _x; NULL only for a NULL _x (DLSSL_ERR_USAGE).
 */
DLSSL_EXPORT const char *dlssl_x509_subject(const struct dlssl_x509 *_x);

/** The issuer name, in the form of dlssl_x509_subject(). */
DLSSL_EXPORT const char *dlssl_x509_issuer(const struct dlssl_x509 *_x);

/**
 * Every commonName of the subject, in certificate order, as UTF-8.
 * UTF8String, BMPString (UCS-2), UniversalString (UCS-4), PrintableString
 * (X.680's set plus '*'), TeletexString (read as Latin-1) and IA5String are
 * decoded and validated; any other type, or an invalid value (odd BMPString
 * length, a surrogate, a code point above U+10FFFF, malformed or overlong
 * UTF-8, an embedded NUL, a byte outside the type's set) makes the whole
 * call fail.
 *
 * @param _count if not NULL, set to the number of names (0 on failure).
 * @returns a NULL-terminated array owned by _x (empty, not NULL, when the
 *          subject has no CN); NULL with DLSSL_ERR_USAGE (NULL _x) or
 *          DLSSL_ERR_TLS (an invalid CN; the message says which and why).
 */
DLSSL_EXPORT const char *const *dlssl_x509_subject_cns(const struct dlssl_x509 *_x,
    size_t *_count);

/**
 * The dNSName entries of the subjectAltName extension, in certificate
 * order.  An entry that cannot be a host name (empty, or with an embedded
 * NUL, a space, a control or a non-ASCII byte) is left out of this list
 * and never matches in dlssl_check_host(), but still counts as a dNSName
 * there (so it still disables the CN fallback).
 *
 * @param _count if not NULL, set to the number of names.
 * @returns a NULL-terminated array owned by _x (empty without SANs); NULL
 *          with DLSSL_ERR_USAGE, or DLSSL_ERR_TLS when the extension cannot
 *          be decoded or occurs twice.
 */
DLSSL_EXPORT const char *const *dlssl_x509_dns_names(const struct dlssl_x509 *_x,
    size_t *_count);

/**
 * The iPAddress entries of the subjectAltName extension as text: IPv4
 * dotted ("127.0.0.1"), IPv6 in RFC 5952 form ("::1", "2001:db8::1";
 * inet_ntop).  Entries that are neither 4 nor 16 octets are left out.
 *
 * @returns as dlssl_x509_dns_names().
 */
DLSSL_EXPORT const char *const *dlssl_x509_ip_addresses(const struct dlssl_x509 *_x,
    size_t *_count);

/**
 * The validity period, UTCTime or GeneralizedTime (dates after 2049 too),
 * as seconds since the epoch.
 *
 * @param _not_before, _not_after where to store the dates; either may be NULL.
 * @returns 0, or -1: DLSSL_ERR_USAGE (NULL _x), DLSSL_ERR_TLS (a malformed
 *          date, or one that does not fit in time_t).
 */
DLSSL_EXPORT int dlssl_x509_validity(const struct dlssl_x509 *_x, time_t *_not_before,
    time_t *_not_after);

/**
 * The certificate's fingerprint: the digest of its DER encoding.
 *
 * @param _digest a libcrypto digest name: "sha256", "sha1", "md5",
 *        "sha512", ... (a FIPS-only libcrypto may refuse "md5": an error).
 * @param _out, _outlen where to store it (64 bytes fit every digest).
 * @returns the digest's length in bytes, or -1: DLSSL_ERR_USAGE (NULL
 *          argument, unknown digest name, _outlen too small),
 *          DLSSL_ERR_TLS (libcrypto refused), DLSSL_ERR_STALE (the object
 *          predates a dlssl_reload()).
 */
DLSSL_EXPORT int dlssl_x509_fingerprint(const struct dlssl_x509 *_x, const char *_digest,
    unsigned char *_out, size_t _outlen);

/**
 * The fingerprint as upper-case hex pairs separated by colons
 * ("AB:CD:..."), as `openssl x509 -fingerprint` prints it.
 *
 * @param _outlen at least 3 bytes per digest byte (193 fit every digest).
 * @returns the length of the string written (without its NUL), or -1 with
 *          the errors of dlssl_x509_fingerprint().
 */
DLSSL_EXPORT int dlssl_x509_fingerprint_hex(const struct dlssl_x509 *_x,
    const char *_digest, char *_out, size_t _outlen);

/**
 * Does a presented identifier (a dNSName SAN or a CN) match a host name?
 * RFC 6125 as DESIGN.md "Host names" fixes it: _name must be a valid
 * A-label host name (letters, digits, '-', '_', '.'; no empty label; at
 * most 253 octets and 63 per label; one trailing dot ignored); ASCII case
 * is ignored; '*' counts only as the whole left-most label of _pattern,
 * stands for exactly one non-empty label of letters, digits and '-' (an
 * A-label too, not "_dmarc") and needs two host-name labels after it;
 * partial wildcards ("f*.example.com", "xn--*...") never match; an IP
 * literal _name never matches (see dlssl_check_host()).
 *
 * @returns 1 match, else 0: no match (a malformed _pattern simply does
 *          not match; dlssl_error_code() is DLSSL_ERR_NONE), or an error:
 *          DLSSL_ERR_USAGE for a NULL argument or an invalid _name.  Never
 *          a value that reads as true on error.
 * @note Thread-safe; needs no libssl.
 */
DLSSL_EXPORT int dlssl_hostname_matches(const char *_pattern, const char *_name);

/**
 * Does the certificate match a host name?  An IP literal (inet_pton: IPv4
 * dotted quad or IPv6, no brackets or zone) matches only iPAddress SANs,
 * octet for octet.  A DNS name is matched with dlssl_hostname_matches()
 * against each dNSName SAN; only when the certificate has no dNSName SAN
 * at all, against each subject CN.
 *
 * @returns 1 match, else 0: no match (dlssl_error_code() is
 *          DLSSL_ERR_NONE), or an error with the reason in the thread's
 *          error: DLSSL_ERR_USAGE (NULL argument, invalid _name),
 *          DLSSL_ERR_TLS (the subjectAltName extension cannot be decoded,
 *          or a CN needed for the fallback is invalid).
 * @note Thread-safe; reads only what was decoded when _x was made.
 */
DLSSL_EXPORT int dlssl_check_host(const struct dlssl_x509 *_x, const char *_name);

/**
 * dlssl_check_host() with flags: DLSSL_CHECK_HOST_NO_CN_FALLBACK, or 0.
 * @returns as dlssl_check_host(); unknown flags are DLSSL_ERR_USAGE.
 */
DLSSL_EXPORT int dlssl_check_host_flags(const struct dlssl_x509 *_x, const char *_name,
    unsigned int _flags);

/* ==== end of certificates and host names ==== */

/* ==== Contexts and streams (context.c, stream.c, ...) ==== */

/* Non-error results of non-blocking calls (libtls's values). */
#define DLSSL_WANT_POLLIN (-2)
#define DLSSL_WANT_POLLOUT (-3)

/* Protocol versions (wire values), for min_version / max_version. */
#define DLSSL_TLS1_0 0x0301
#define DLSSL_TLS1_1 0x0302
#define DLSSL_TLS1_2 0x0303
#define DLSSL_TLS1_3 0x0304

/* Protocols to switch off (dlssl_context_opts.disabled_protocols). */
#define DLSSL_PROTO_SSLv3 0x02u
#define DLSSL_PROTO_TLSv1 0x04u
#define DLSSL_PROTO_TLSv1_1 0x08u
#define DLSSL_PROTO_TLSv1_2 0x10u
#define DLSSL_PROTO_TLSv1_3 0x20u

/** Peer verification (CL+SSL's nil / :optional / :required). */
enum dlssl_verify {
	/** The documented default: the stream's, else the context's, else
	 *  dlssl_set_client_verify_default() for clients and NONE for servers. */
	DLSSL_VERIFY_DEFAULT = 0,
	/** No verification: INSECURE for clients. */
	DLSSL_VERIFY_NONE = 1,
	/** A certificate the peer presents must verify; none is accepted. */
	DLSSL_VERIFY_OPTIONAL = 2,
	/** The peer must present a certificate that verifies (chain and, for
	 *  clients, host name). */
	DLSSL_VERIFY_REQUIRED = 3
};

/** Session cache (SSL_CTX_set_session_cache_mode). */
enum dlssl_session_cache {
	DLSSL_SESSION_CACHE_DEFAULT = 0, /**< both */
	DLSSL_SESSION_CACHE_OFF = 1,
	DLSSL_SESSION_CACHE_CLIENT = 2,  /**< clients resume sessions per host name */
	DLSSL_SESSION_CACHE_SERVER = 3,
	DLSSL_SESSION_CACHE_BOTH = 4
};

/** dlssl_context_opts.security_level: no minimum key strength (OpenSSL's level 0). */
#define DLSSL_SECURITY_LEVEL_NONE (-1)

/** Which SSL_METHOD the context is made with. */
enum dlssl_method {
	DLSSL_METHOD_DEFAULT = 0, /**< TLS_method: client and server */
	DLSSL_METHOD_TLS = 1,
	DLSSL_METHOD_TLS_CLIENT = 2,
	DLSSL_METHOD_TLS_SERVER = 3
};

struct dlssl_context;
struct dlssl_stream;

/** What a verify callback is told about one certificate of the chain. */
struct dlssl_verify_info {
	int preverify_ok;       /**< OpenSSL's verdict so far */
	int depth;              /**< 0 is the peer's own certificate */
	long error;             /**< X509_V_ERR_* code (OpenSSL 3.0's numbering), 0 when none */
	const char *error_text; /**< dlssl's text for it (OpenSSL 3.0's wording) */
	const char *subject;    /**< subject name (RFC 4514), or NULL */
	void *reserved[4];
};

/** Return 1 to accept the certificate, 0 to reject it. */
typedef int (*dlssl_verify_callback)(const struct dlssl_verify_info *_info, void *_arg);
/** Write the password into _buf (at most _size bytes); return its length, or -1. */
typedef int (*dlssl_password_callback)(char *_buf, size_t _size, int _rwflag, void *_arg);
/** Server ALPN choice: return one of _offered, or NULL to negotiate none. */
typedef const char *(*dlssl_alpn_select_callback)(const char *const *_offered, size_t _count, void *_arg);
/**
 * Server SNI: called with the name the client sent (NULL if none).  Set
 * *_use to a context to switch to (it must outlive the stream's handshake;
 * the stream takes its own reference), or leave it.  Return 0 to go on, -1
 * to refuse the handshake (alert unrecognized_name).
 */
typedef int (*dlssl_sni_callback)(const char *_servername, struct dlssl_context **_use, void *_arg);

/**
 * Options for dlssl_make_context() (CL+SSL's make-context keywords).  Zero
 * means the default: TLS 1.2 or newer, dlssl's cipher lists and security
 * level 2 (the same on every library), the system trust store,
 * verification REQUIRED for clients.
 */
struct dlssl_context_opts {
	enum dlssl_method method;
	unsigned int disabled_protocols;     /**< DLSSL_PROTO_* bits */
	unsigned long options;               /**< extra raw SSL_OP_* bits (expert) */
	int min_version;                     /**< DLSSL_TLS1_*; 0: TLS 1.2 */
	int max_version;                     /**< DLSSL_TLS1_*; 0: highest */
	enum dlssl_session_cache session_cache;
	enum dlssl_verify verify_mode;       /**< servers: client certificates; clients: default */
	/**
	 * The most intermediate CA certificates allowed between the peer's
	 * certificate and the trust anchor (OpenSSL 3.0's meaning, on every
	 * library): 1 accepts leaf, one intermediate, root.  0: 100.
	 */
	int verify_depth;
	dlssl_verify_callback verify_callback; /**< asked on every handshake: its sessions are never resumed */
	void *verify_callback_arg;
	int no_default_verify_paths;         /**< 1: do not load the system trust store */
	const char *ca_file;                 /**< PEM file of trusted certificates */
	const char *ca_path;                 /**< hashed directory (c_rehash layout) */
	const char *const *verify_locations; /**< NULL-terminated: files or directories */
	const void *ca_data;                 /**< PEM certificates to trust, in memory */
	size_t ca_len;
	/** TLS 1.2 and below, OpenSSL's syntax; NULL: dlssl's list, AEAD suites with
	 *  forward secrecy only (ECDHE/DHE with AES-GCM or ChaCha20-Poly1305). */
	const char *cipher_list;
	/** TLS 1.3 (1.1.1+); NULL: the standard suites of RFC 8446. */
	const char *ciphersuites;
	const char *certificate_chain_file;  /**< PEM: leaf first, then intermediates */
	const void *certificate_chain_data;  /**< PEM chain or DER leaf in memory */
	size_t certificate_chain_len;
	const char *private_key_file;        /**< PEM or DER */
	const void *private_key_data;        /**< PEM or DER in memory */
	size_t private_key_len;
	const char *private_key_password;    /**< for an encrypted key */
	dlssl_password_callback password_callback;
	void *password_callback_arg;
	const char *const *alpn;             /**< NULL-terminated: client offer, server preference */
	dlssl_alpn_select_callback alpn_select;
	void *alpn_select_arg;
	dlssl_sni_callback sni_callback;
	void *sni_callback_arg;
	/**
	 * The minimum key strength, in OpenSSL's security levels, the same on
	 * every library: 0 means dlssl's default, level 2 (RSA, DSA and DH keys
	 * of at least 2048 bits, EC keys of at least 224, no MD5 or SHA-1
	 * signatures but on a trust anchor); 1 .. 5 that level;
	 * DLSSL_SECURITY_LEVEL_NONE no minimum.  "@SECLEVEL=n" in cipher_list
	 * (or a stream's cipher_list) overrides it, on every library.  Where
	 * the library has no security levels (OpenSSL 1.0.2, LibreSSL before
	 * 3.6), dlssl checks the peer's certificates and the server's ephemeral
	 * key (DHE group, ECDHE curve) itself.  It applies to the context's own
	 * certificate and to a stream's (dlssl_stream_opts.certificate_file).
	 */
	int security_level;
	void *reserved[8];
};

/**
 * Make a context.  @returns a context with one reference, or NULL
 * (DLSSL_ERR_USAGE for bad options, DLSSL_ERR_IO naming a missing file,
 * DLSSL_ERR_TLS with OpenSSL's reason, DLSSL_ERR_LOAD).  Nothing is left
 * behind on failure.  @note Contexts may be shared between threads.
 */
DLSSL_EXPORT struct dlssl_context *dlssl_make_context(const struct dlssl_context_opts *_opts);
/**
 * Trust the certificates in a PEM file or a hashed directory, in addition
 * to what the context trusts already.  @returns 0, or -1 (DLSSL_ERR_IO
 * naming a missing path, DLSSL_ERR_TLS).  @note Not while streams made
 * from the context are handshaking in other threads.
 */
DLSSL_EXPORT int dlssl_ctx_add_verify_location(struct dlssl_context *_ctx, const char *_path);
/** Trust the system's default certificate store too.  @returns 0 or -1. */
DLSSL_EXPORT int dlssl_ctx_set_default_verify_paths(struct dlssl_context *_ctx);
/** Add a reference. @returns _ctx. */
DLSSL_EXPORT struct dlssl_context *dlssl_ctx_ref(struct dlssl_context *_ctx);
/** Drop a reference; the last one frees it (streams hold their own). */
DLSSL_EXPORT void dlssl_ctx_free(struct dlssl_context *_ctx);

/**
 * Set the calling thread's global context (used by streams made without
 * one) and return the previous one.  NULL goes back to the process-wide
 * default context, which is made lazily with safe defaults and cleared by
 * dlssl_reload().  The context is borrowed: keep it alive while set.
 */
DLSSL_EXPORT struct dlssl_context *dlssl_set_global_context(struct dlssl_context *_ctx);
/**
 * The calling thread's global context (made on first use), or NULL on
 * failure.  Borrowed: do not free it.  The process-wide default context
 * stays a valid object for the life of the process, even after
 * dlssl_reload() replaced it (then it is refused with DLSSL_ERR_STALE).
 */
DLSSL_EXPORT struct dlssl_context *dlssl_global_context(void);
/** Load a PEM certificate chain into the global context. @returns 0 or -1. */
DLSSL_EXPORT int dlssl_use_certificate_chain_file(const char *_path);
/** Set the process-wide default verification of client streams; returns the old one. */
DLSSL_EXPORT enum dlssl_verify dlssl_set_client_verify_default(enum dlssl_verify _verify);

/** State for DLSSL_WITH_GLOBAL_CONTEXT; not for direct use. */
struct dlssl_with_state {
	struct dlssl_context *ctx, *previous;
	int auto_free, once;
};
DLSSL_EXPORT struct dlssl_with_state dlssl_with_begin(struct dlssl_context *_ctx, int _auto_free);
DLSSL_EXPORT void dlssl_with_end(struct dlssl_with_state *_state);
/**
 * Run the block with _ctx as this thread's global context, then restore the
 * previous one (and free _ctx if _auto_free).  Leave the block normally:
 * break, return or goto out of it skip the restore.
 */
#define DLSSL_WITH_GLOBAL_CONTEXT(_ctx, _auto_free) \
	for (struct dlssl_with_state dlssl_with_ = dlssl_with_begin((_ctx), (_auto_free)); \
	    dlssl_with_.once; dlssl_with_end(&dlssl_with_))

/** User I/O callbacks for dlssl_transport_io(). */
struct dlssl_io_ops {
	/** Read up to _len bytes: > 0 bytes read, 0 end of stream, -1 error with
	 *  errno set (EINTR is retried; EAGAIN/EWOULDBLOCK means "would block"). */
	long (*read)(void *_handle, void *_buf, size_t _len);
	/** Write up to _len bytes: > 0 bytes written, -1 error with errno set. */
	long (*write)(void *_handle, const void *_buf, size_t _len);
	/** Called once when the stream closes; may be NULL. */
	int (*close)(void *_handle);
	void *reserved[4];
};

/** Where a stream's bytes go: make one with dlssl_transport_*(). */
struct dlssl_transport {
	int kind;
	int fd;
	void *file;
	const struct dlssl_io_ops *ops;
	void *handle;
	void *reserved[4];
};
/**
 * A connected socket (or pipe).  On Windows a connected Winsock SOCKET,
 * passed as (int)sock: Windows handles use only 32 bits (Microsoft
 * documents that they may be truncated and sign-extended), so the cast is
 * lossless and dlssl turns it back with (SOCKET)(intptr_t)fd;
 * dlssl_stream_fd() returns that same int.  Only a SOCKET: a C runtime fd
 * or another HANDLE is refused ("Not a socket"), and the process must have
 * called WSAStartup.  Windows cannot report a socket's blocking mode, so
 * dlssl treats it as blocking until a call fails with WSAEWOULDBLOCK, and
 * from then on returns DLSSL_WANT_ codes as for an O_NONBLOCK fd;
 * timeouts make it non-blocking (ioctlsocket FIONBIO) and blocking again
 * when the stream lets go.  Callback transports (dlssl_transport_io) behave
 * the same everywhere; on Windows a FILE is never unwrapped to its fd (a C
 * runtime fd is no SOCKET): stdio carries it.
 */
DLSSL_EXPORT struct dlssl_transport dlssl_transport_fd(int _fd);
/**
 * A stdio stream: unwrapped to its fd unless no_unwrap is set.  Always
 * closed by the stream.  Through stdio, make it unbuffered (_IONBF) if its
 * writes can fail part way (EINTR, EAGAIN): stdio may drop what it buffered.
 * On POSIX dlssl never changes an fd's flags (O_NONBLOCK): see
 * dlssl_make_client_stream(3).
 */
DLSSL_EXPORT struct dlssl_transport dlssl_transport_file(void *_file);
/** User callbacks (TLS over anything): the stream calls _ops->close on close. */
DLSSL_EXPORT struct dlssl_transport dlssl_transport_io(const struct dlssl_io_ops *_ops, void *_handle);

/**
 * Options for dlssl_make_client_stream() / dlssl_make_server_stream().
 * Zero means the default.
 */
struct dlssl_stream_opts {
	struct dlssl_context *context;  /**< NULL: the global context */
	const char *hostname;           /**< client: SNI (not for IP literals) and verification */
	enum dlssl_verify verify;       /**< client: default from dlssl_set_client_verify_default() */
	const char *certificate_file;   /**< per-stream PEM certificate (meets the security level) */
	const char *key_file;           /**< per-stream PEM or DER private key */
	const char *password;           /**< for an encrypted key_file */
	const char *const *alpn;        /**< client offer, NULL-terminated (overrides the context) */
	const char *cipher_list;
	void (*close_callback)(void *_arg);
	void *close_callback_arg;
	int close_fd;                   /**< fd transport: close the fd on dlssl_close */
	int no_unwrap;                  /**< FILE transport: use stdio, not its fd */
	size_t buffer_size;             /**< write buffer; 0: 16 KiB (one record) */
	/** Timeouts (ms, 0: none) and an absolute deadline (seconds on
	 *  dlssl_monotonic()'s clock, 0: none), honoured on blocking fd and FILE
	 *  transports only.  Callback transports and fds the caller made
	 *  non-blocking return DLSSL_WANT_POLLIN/POLLOUT instead: the caller
	 *  waits, and times, itself (a callback may fail with ETIMEDOUT, which
	 *  is reported as DLSSL_ERR_TIMEOUT). */
	int read_timeout_ms;
	int write_timeout_ms;
	double deadline;
	int lax_eof;                    /**< 1: a close without close_notify is a clean end */
	int defer_handshake;            /**< 1: do not handshake in the constructor */
	/**
	 * Client, INSECURE: 1 accepts a trusted certificate issued for any
	 * name.  A client that verifies (DLSSL_VERIFY_REQUIRED) must otherwise
	 * have a name to check: hostname, or, when hostname is NULL and the
	 * transport is a connected TCP socket (an fd), the peer's IP address
	 * (the certificate must carry it as an iPAddress SAN); anything else
	 * fails at stream creation with DLSSL_ERR_USAGE.  Giving both hostname
	 * and this is DLSSL_ERR_USAGE.
	 */
	int skip_hostname_check;
	void *reserved[8];
};

/**
 * Make a TLS client stream over _transport and, unless defer_handshake or
 * the transport is non-blocking, complete the handshake (verifying the
 * server by default).  @returns the stream, or NULL (the error tells why:
 * DLSSL_ERR_VERIFY with the X509 error, DLSSL_ERR_TIMEOUT, DLSSL_ERR_IO,
 * DLSSL_ERR_TLS, ...).  On failure the transport is still the caller's:
 * nothing is closed and an fd's flags are as they were.  On success the
 * stream owns a FILE or io transport (and an fd with close_fd).
 */
DLSSL_EXPORT struct dlssl_stream *dlssl_make_client_stream(struct dlssl_transport _transport,
    const struct dlssl_stream_opts *_opts);
/** The server side; the context (or global context) supplies the certificate. */
DLSSL_EXPORT struct dlssl_stream *dlssl_make_server_stream(struct dlssl_transport _transport,
    const struct dlssl_stream_opts *_opts);

/** Complete the handshake: 0, -1, or DLSSL_WANT_POLLIN/POLLOUT (non-blocking). */
DLSSL_EXPORT int dlssl_handshake(struct dlssl_stream *_s);
/**
 * Read what is available, at least one byte (waiting if needed; flushes
 * pending output first).  @returns bytes read, 0 at a clean end of stream,
 * -1 on error, DLSSL_WANT_POLLIN/POLLOUT on a non-blocking transport.
 */
DLSSL_EXPORT long dlssl_read(struct dlssl_stream *_s, void *_buf, size_t _len);
/** Read exactly _len bytes unless the stream ends first: the count, or -1. */
DLSSL_EXPORT long dlssl_read_fully(struct dlssl_stream *_s, void *_buf, size_t _len);
/**
 * Buffered write: small writes are coalesced into full records, sent when
 * the buffer fills or on dlssl_flush().  @returns _len, -1, or a WANT code.
 */
DLSSL_EXPORT long dlssl_write(struct dlssl_stream *_s, const void *_buf, size_t _len);
/** Send buffered output: 0, -1 or a WANT code. */
DLSSL_EXPORT int dlssl_flush(struct dlssl_stream *_s);
/** Is a byte available now?  1 yes (or end of stream), 0 not yet, -1 error.  Never blocks. */
DLSSL_EXPORT int dlssl_listen(struct dlssl_stream *_s);
/**
 * Half-close: flush, send close_notify, and keep reading what the peer
 * still sends (until its own close_notify makes dlssl_read() return 0).
 * Writes fail with DLSSL_ERR_CLOSED afterwards.  @returns 0, -1, or a WANT
 * code on a non-blocking transport (call again).
 */
DLSSL_EXPORT int dlssl_shutdown(struct dlssl_stream *_s);
/**
 * Flush, send close_notify, free the TLS state, restore the fd's flags,
 * close what the stream owns and call the close callback.  A second call
 * does nothing.  @returns 0, or -1 if buffered output could not be sent
 * (everything is released all the same; a close_notify that a departed peer
 * cannot receive is no error).
 */
DLSSL_EXPORT int dlssl_close(struct dlssl_stream *_s);
/** Like dlssl_close() without flushing or close_notify: never blocks. */
DLSSL_EXPORT int dlssl_close_abort(struct dlssl_stream *_s);
/** Close (if still open) and free the stream. NULL is a no-op. */
DLSSL_EXPORT void dlssl_stream_free(struct dlssl_stream *_s);

/**
 * Change the stream's read and write timeouts (milliseconds, 0: none) and
 * its absolute deadline (seconds on dlssl_monotonic()'s clock, 0: none),
 * e.g. a long handshake timeout then short I/O ones.  @returns 0 or -1.
 */
DLSSL_EXPORT int dlssl_stream_set_timeouts(struct dlssl_stream *_s, int _read_timeout_ms,
    int _write_timeout_ms, double _deadline);
/** 1 while the stream is open (not closed, not failed), else 0. */
DLSSL_EXPORT int dlssl_stream_is_open(struct dlssl_stream *_s);
/**
 * The stream's SSL * of the loaded libssl, for calls dlssl does not wrap
 * (resolve them from dlssl_library_info()->libssl_path yourself), or NULL.
 * Owned by the stream; valid until dlssl_close().
 */
DLSSL_EXPORT void *dlssl_stream_ssl(struct dlssl_stream *_s);
/** The fd under the stream, or -1. */
DLSSL_EXPORT int dlssl_stream_fd(struct dlssl_stream *_s);
/** A stdio FILE over the stream ("r", "w", "r+"); fclose closes the stream. */
DLSSL_EXPORT void *dlssl_stream_fdopen(struct dlssl_stream *_s, const char *_mode);
/** Negotiated protocol ("TLSv1.2", "TLSv1.3"), or NULL before the handshake. */
DLSSL_EXPORT const char *dlssl_stream_version(struct dlssl_stream *_s);
/** Negotiated cipher suite, by its IANA name on every library
 *  ("TLS_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"), or NULL. */
DLSSL_EXPORT const char *dlssl_stream_cipher(struct dlssl_stream *_s);
/** The ALPN protocol selected, or NULL when none. */
DLSSL_EXPORT const char *dlssl_stream_alpn(struct dlssl_stream *_s);
/** The host name the client sent (servers) or asked for (clients), or NULL. */
DLSSL_EXPORT const char *dlssl_stream_servername(struct dlssl_stream *_s);
/** The X509_V_ERR code of the peer's verification (0 when it verified), in
 *  OpenSSL 3.0's numbering on every library (1.1.1's 24 "invalid CA" is 79). */
DLSSL_EXPORT long dlssl_stream_verify_result(struct dlssl_stream *_s);
/** 1 when the session was resumed, 0 if not, -1 on error. */
DLSSL_EXPORT int dlssl_stream_session_reused(struct dlssl_stream *_s);
/**
 * The peer's certificate (caller frees with dlssl_x509_free), or NULL when
 * there is none.  Like every dlssl_stream_* getter, it leaves the thread's
 * error (of the last call that failed) as it was.
 */
DLSSL_EXPORT struct dlssl_x509 *dlssl_stream_peer_certificate(struct dlssl_stream *_s);
/** The stream's last error message, or NULL. */
DLSSL_EXPORT const char *dlssl_stream_error(struct dlssl_stream *_s);
/** The stream's last error category. */
DLSSL_EXPORT int dlssl_stream_error_code(struct dlssl_stream *_s);
/** Seconds on a monotonic clock, for dlssl_stream_opts.deadline. */
DLSSL_EXPORT double dlssl_monotonic(void);

/* ==== end of contexts and streams ==== */

#ifdef __cplusplus
}
#endif

#endif /* DLSSL_H */
