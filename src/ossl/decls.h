/*
 * Private declarations of the OpenSSL types and constants dlssl uses.
 *
 * dlssl never includes an OpenSSL header: libssl is found and loaded when
 * the program runs.  The types below are opaque (only pointers to them are
 * used) and use OpenSSL's own struct tags, so the header agreement check
 * (tests/headercheck, built only where real headers are installed) can
 * compile our prototypes against the real ones.  Constants carry a DL_
 * prefix so that check can compare each with OpenSSL's value.
 *
 * Values are taken from OpenSSL's documentation and public headers; each
 * is stable across 1.0.2, 1.1.1 and 3.x unless a comment says otherwise.
 */
#ifndef DLSSL_OSSL_DECLS_H
#define DLSSL_OSSL_DECLS_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

typedef struct ssl_st SSL;
typedef struct ssl_ctx_st SSL_CTX;
typedef struct ssl_method_st SSL_METHOD;
typedef struct ssl_cipher_st SSL_CIPHER;
typedef struct ssl_session_st SSL_SESSION;
typedef struct bio_st BIO;
typedef struct bio_method_st BIO_METHOD;
typedef struct x509_st X509;
typedef struct X509_name_st X509_NAME;
typedef struct X509_name_entry_st X509_NAME_ENTRY;
typedef struct x509_store_st X509_STORE;
typedef struct x509_store_ctx_st X509_STORE_CTX;
typedef struct X509_VERIFY_PARAM_st X509_VERIFY_PARAM;
typedef struct evp_pkey_st EVP_PKEY;
typedef struct evp_md_st EVP_MD;
typedef struct asn1_string_st ASN1_STRING;
typedef struct asn1_string_st ASN1_TIME;
typedef struct asn1_string_st ASN1_INTEGER;
typedef struct asn1_string_st ASN1_BIT_STRING;
typedef struct asn1_object_st ASN1_OBJECT;
typedef struct ossl_init_settings_st OPENSSL_INIT_SETTINGS;
/* OPENSSL_STACK in 1.1+, _STACK in 1.0.2: the same struct tag. */
typedef struct stack_st OPENSSL_STACK;
typedef struct crypto_threadid_st CRYPTO_THREADID;

typedef int pem_password_cb(char *buf, int size, int rwflag, void *userdata);
typedef int (*dl_verify_cb)(int preverify_ok, X509_STORE_CTX *x509_ctx);
typedef int (*dl_alpn_select_cb)(SSL *ssl, const unsigned char **out,
    unsigned char *outlen, const unsigned char *in, unsigned int inlen,
    void *arg);
typedef int (*dl_new_session_cb)(SSL *ssl, SSL_SESSION *sess);
typedef void (*dl_generic_fp)(void);
/*
 * ex_data callbacks (dlssl passes none): OpenSSL 3.0's prototypes; 1.1.x's
 * dup takes void *from_d; 1.0.2's and LibreSSL's new returns int and their
 * dup takes a non-const from and void *from_d.  free is the same in all.
 */
typedef struct crypto_ex_data_st CRYPTO_EX_DATA;
typedef void dl_ex_new_fn(void *parent, void *ptr, CRYPTO_EX_DATA *ad, int idx, long argl, void *argp);
typedef void dl_ex_free_fn(void *parent, void *ptr, CRYPTO_EX_DATA *ad, int idx, long argl, void *argp);
typedef int dl_ex_dup_fn(CRYPTO_EX_DATA *to, const CRYPTO_EX_DATA *from, void **from_d, int idx,
    long argl, void *argp);
typedef int dl_ex_dup_fn111(CRYPTO_EX_DATA *to, const CRYPTO_EX_DATA *from, void *from_d, int idx,
    long argl, void *argp);
typedef int dl_ex_new_fn102(void *parent, void *ptr, CRYPTO_EX_DATA *ad, int idx, long argl, void *argp);
typedef int dl_ex_dup_fn102(CRYPTO_EX_DATA *to, CRYPTO_EX_DATA *from, void *from_d, int idx,
    long argl, void *argp);
typedef int (*dl_bio_write_fn)(BIO *, const char *, int);
typedef int (*dl_bio_read_fn)(BIO *, char *, int);
typedef int (*dl_bio_puts_fn)(BIO *, const char *);
typedef long (*dl_bio_ctrl_fn)(BIO *, int, long, void *);
typedef int (*dl_bio_create_fn)(BIO *);
typedef int (*dl_bio_destroy_fn)(BIO *);
typedef void (*dl_locking_fn)(int mode, int n, const char *file, int line);
typedef void (*dl_threadid_fn)(CRYPTO_THREADID *id);

/* The OpenSSL_version() selector (1.1.0+; 1.0.2's SSLeay_version takes the same 0). */
#define DL_OPENSSL_VERSION 0

/* OPENSSL_init_ssl() / OPENSSL_init_crypto() flags (1.1.0+). */
#define DL_OPENSSL_INIT_NO_ATEXIT 0x00080000L /* 1.1.1b+ */
#define DL_OPENSSL_INIT_LOAD_SSL_STRINGS 0x00200000L
#define DL_OPENSSL_INIT_LOAD_CRYPTO_STRINGS 0x00000002L

/* SSL_get_error() results. */
#define DL_SSL_ERROR_NONE 0
#define DL_SSL_ERROR_SSL 1
#define DL_SSL_ERROR_WANT_READ 2
#define DL_SSL_ERROR_WANT_WRITE 3
#define DL_SSL_ERROR_WANT_X509_LOOKUP 4
#define DL_SSL_ERROR_SYSCALL 5
#define DL_SSL_ERROR_ZERO_RETURN 6

/* SSL_ctrl / SSL_CTX_ctrl commands behind OpenSSL's macros. */
#define DL_SSL_CTRL_EXTRA_CHAIN_CERT 14
#define DL_SSL_CTRL_OPTIONS 32 /* 1.0.2 and LibreSSL (a function since 1.1.0) */
#define DL_SSL_CTRL_MODE 33
#define DL_SSL_CTRL_SET_SESS_CACHE_MODE 44
#define DL_SSL_CTRL_SET_TLSEXT_SERVERNAME_CB 53
#define DL_SSL_CTRL_SET_TLSEXT_SERVERNAME_ARG 54
#define DL_SSL_CTRL_SET_TLSEXT_HOSTNAME 55
#define DL_SSL_CTRL_CLEAR_OPTIONS 77 /* 1.0.2 and LibreSSL */
#define DL_SSL_CTRL_CHAIN_CERT 89
#define DL_SSL_CTRL_SET_ECDH_AUTO 94 /* 1.0.2: later versions always do it */
#define DL_SSL_CTRL_GET_SESSION_REUSED 8 /* 1.0.2 and LibreSSL */
#define DL_SSL_CTRL_SET_MIN_PROTO_VERSION 123 /* 1.1.0+ */
#define DL_SSL_CTRL_SET_MAX_PROTO_VERSION 124 /* 1.1.0+ */
#define DL_SSL_CTRL_GET_SERVER_TMP_KEY 109 /* = SSL_CTRL_GET_PEER_TMP_KEY: the peer's ephemeral key */
#define DL_TLSEXT_NAMETYPE_host_name 0
#define DL_SSL_AD_UNRECOGNIZED_NAME 112
#define DL_SSL_AD_INTERNAL_ERROR 80

/* SSL modes (SSL_CTX_set_mode). */
#define DL_SSL_MODE_ENABLE_PARTIAL_WRITE 0x00000001L
#define DL_SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER 0x00000002L
#define DL_SSL_MODE_AUTO_RETRY 0x00000004L
#define DL_SSL_MODE_RELEASE_BUFFERS 0x00000010L

/* SSL options (SSL_CTX_set_options). */
#define DL_SSL_OP_NO_SSLv2 0x0U /* a no-op since 1.1.0 */
#define DL_SSL_OP_NO_SSLv3 0x02000000U
#define DL_SSL_OP_NO_TLSv1 0x04000000U
#define DL_SSL_OP_NO_TLSv1_2 0x08000000U
#define DL_SSL_OP_NO_TLSv1_1 0x10000000U
#define DL_SSL_OP_NO_TLSv1_3 0x20000000U /* 1.1.1+ */
#define DL_SSL_OP_NO_COMPRESSION 0x00020000U
#define DL_SSL_OP_CIPHER_SERVER_PREFERENCE 0x00400000U
#define DL_SSL_OP_NO_TICKET 0x00004000U
#define DL_SSL_OP_NO_RENEGOTIATION 0x40000000U /* 1.1.0h+ */
/* 3.0+: report a close without close_notify as SSL_ERROR_SSL, or not. */
#define DL_SSL_OP_IGNORE_UNEXPECTED_EOF 0x00000080U

/*
 * LibreSSL's values where they differ from OpenSSL's (DL_LRS_X is its X;
 * the header check compares them with LibreSSL's headers).  LibreSSL has
 * no SSLv3 and no compression: those options are 0, and OpenSSL's
 * NO_COMPRESSION bit is LibreSSL's SSL_OP_NO_CLIENT_RENEGOTIATION.  Its
 * OPENSSL_init_* string flags are no-ops.
 */
#define DL_LRS_SSL_OP_NO_SSLv3 0x0U
#define DL_LRS_SSL_OP_NO_COMPRESSION 0x0U
#define DL_LRS_SSL_OP_NO_RENEGOTIATION 0x00040000U /* LibreSSL 3.5+; OpenSSL's bit is NO_DTLSv1 */
#define DL_LRS_OPENSSL_INIT_NO_ATEXIT 0x80000000L /* a no-op flag */
#define DL_LRS_OPENSSL_INIT_LOAD_SSL_STRINGS 0x80000000L /* a no-op flag */
#define DL_LRS_OPENSSL_INIT_LOAD_CRYPTO_STRINGS 0x80000000L /* a no-op flag */

/* Protocol version numbers (RFC 8446 section 4.2.1 wire values). */
#define DL_TLS1_VERSION 0x0301
#define DL_TLS1_1_VERSION 0x0302
#define DL_TLS1_2_VERSION 0x0303
#define DL_TLS1_3_VERSION 0x0304 /* 1.1.1+ */

/* Verification. */
#define DL_SSL_VERIFY_NONE 0x00
#define DL_SSL_VERIFY_PEER 0x01
#define DL_SSL_VERIFY_FAIL_IF_NO_PEER_CERT 0x02
#define DL_SSL_VERIFY_CLIENT_ONCE 0x04
#define DL_X509_V_OK 0
#define DL_X509_V_ERR_HOSTNAME_MISMATCH 62 /* 1.0.2+ */
#define DL_X509_V_ERR_IP_ADDRESS_MISMATCH 64 /* 1.0.2+ */
#define DL_X509_V_ERR_KEYUSAGE_NO_CERTSIGN 32
#define DL_X509_V_ERR_APPLICATION_VERIFICATION 50
#define DL_X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS 0x4
#define DL_X509_CHECK_FLAG_NEVER_CHECK_SUBJECT 0x20 /* 1.1.0+ */

/* Session cache modes. */
#define DL_SSL_SESS_CACHE_OFF 0x0000
#define DL_SSL_SESS_CACHE_CLIENT 0x0001
#define DL_SSL_SESS_CACHE_SERVER 0x0002

/* SSL_get_shutdown() bits. */
#define DL_SSL_SENT_SHUTDOWN 1
#define DL_SSL_RECEIVED_SHUTDOWN 2

/* ALPN selection callback results. */
#define DL_SSL_TLSEXT_ERR_OK 0
#define DL_SSL_TLSEXT_ERR_ALERT_FATAL 2
#define DL_SSL_TLSEXT_ERR_NOACK 3

/* BIO. */
#define DL_BIO_NOCLOSE 0x00
#define DL_BIO_CLOSE 0x01
#define DL_BIO_TYPE_SOURCE_SINK 0x0400
#define DL_BIO_FLAGS_READ 0x01
#define DL_BIO_FLAGS_WRITE 0x02
#define DL_BIO_FLAGS_IO_SPECIAL 0x04
#define DL_BIO_FLAGS_SHOULD_RETRY 0x08
#define DL_BIO_CTRL_EOF 2
#define DL_BIO_CTRL_GET_CLOSE 8
#define DL_BIO_CTRL_SET_CLOSE 9
#define DL_BIO_CTRL_PENDING 10
#define DL_BIO_CTRL_FLUSH 11
#define DL_BIO_CTRL_WPENDING 13
#define DL_BIO_CTRL_DUP 12

/* Object identifiers (NIDs) used with X509 names and extensions. */
#define DL_NID_commonName 13
#define DL_NID_subject_alt_name 85

/* GENERAL_NAME types (RFC 5280 section 4.2.1.6). */
#define DL_GEN_DNS 2
#define DL_GEN_IPADD 7

/* ASN.1 string types. */
#define DL_V_ASN1_UTF8STRING 12
#define DL_V_ASN1_PRINTABLESTRING 19
#define DL_V_ASN1_T61STRING 20
#define DL_V_ASN1_IA5STRING 22
#define DL_V_ASN1_UTCTIME 23
#define DL_V_ASN1_GENERALIZEDTIME 24
#define DL_V_ASN1_UNIVERSALSTRING 28
#define DL_V_ASN1_BMPSTRING 30

/* The error queue: libssl's library code, and the unexpected EOF reason. */
#define DL_ERR_LIB_SYS 2
#define DL_ERR_LIB_X509 11
#define DL_ERR_LIB_SSL 20
#define DL_X509_R_KEY_VALUES_MISMATCH 116
#define DL_SSL_R_UNEXPECTED_EOF_WHILE_READING 294 /* 3.0+ */
#define DL_SSL_R_PEER_DID_NOT_RETURN_A_CERTIFICATE 199
#define DL_SSL_R_DH_KEY_TOO_SMALL 394 /* 1.1.0+ (1.0.2: 372, and no security levels) */

/*
 * The part of GENERAL_NAME dlssl reads: a type tag followed by a union of
 * pointers.  Its layout is public and identical in 1.0.2, 1.1.1 and 3.x.
 */
struct dl_general_name {
	int type;
	union {
		void *ptr;
		ASN1_STRING *ia5; /* GEN_DNS */
		ASN1_STRING *ip;  /* GEN_IPADD */
	} d;
};

typedef struct BASIC_CONSTRAINTS_st BASIC_CONSTRAINTS;
/*
 * The fields of BASIC_CONSTRAINTS (RFC 5280 section 4.2.1.9): its layout
 * is public and the same in every version.
 */
struct dl_basic_constraints {
	int ca;
	ASN1_INTEGER *pathlen;
};

/* Extensions and key types dlssl's own chain checks read (src/policy_chain.c). */
#define DL_NID_basic_constraints 87
#define DL_NID_key_usage 83
#define DL_NID_ext_key_usage 126
#define DL_NID_server_auth 129
#define DL_NID_client_auth 130
#define DL_NID_anyExtendedKeyUsage 910
#define DL_NID_md5 4
#define DL_NID_sha1 64
#define DL_NID_sha224 675
#define DL_NID_sha256 672
#define DL_NID_sha384 673
#define DL_NID_sha512 674
#define DL_EVP_PKEY_RSA 6
#define DL_EVP_PKEY_RSA_PSS 912 /* 1.1.1+ */
#define DL_EVP_PKEY_DSA 116
#define DL_EVP_PKEY_DH 28
#define DL_EVP_PKEY_EC 408
#define DL_EVP_PKEY_ED25519 1087 /* 1.1.1+ */
#define DL_EVP_PKEY_ED448 1088 /* 1.1.1+ */
#define DL_EVP_PKEY_X25519 1034 /* 1.1.0+ */
#define DL_EVP_PKEY_X448 1035 /* 1.1.1+ */
/*
 * LibreSSL's key type for Ed25519 is its NID_Ed25519 (4.3 names it
 * EVP_PKEY_ED25519, 3.2 does not); it has no Ed448 keys (no EVP_PKEY_ED448:
 * this is its NID_Ed448).  src/policy_chain.c picks them by flavor.
 */
#define DL_LRS_EVP_PKEY_ED25519 952
#define DL_LRS_EVP_PKEY_ED448 953
/* LibreSSL's X25519 key type (its NID_X25519; 4.3 names it EVP_PKEY_X25519); it has no X448 keys. */
#define DL_LRS_EVP_PKEY_X25519 950

/*
 * CRYPTO_get_ex_new_index classes of OpenSSL 1.1+ (1.0.2 and LibreSSL use
 * the functions; LibreSSL 3.2 numbered the classes as 1.0.2 did).
 */
#define DL_CRYPTO_EX_INDEX_SSL 0
#define DL_CRYPTO_EX_INDEX_SSL_CTX 1

/* Thread support needed by 1.0.2 only. */
#define DL_CRYPTO_LOCK 1

#endif /* DLSSL_OSSL_DECLS_H */
