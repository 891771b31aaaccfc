/*
 * The symbol manifest: every OpenSSL function dlssl may call, in one list.
 *
 * Everything about symbols is generated from this list: the function table
 * (struct dlssl__ossl in api.h), the binder (bind.c), the capability bits,
 * the header agreement check and the test stub libraries (tests/gen_manifest.c).
 *
 * DL_FN(lib, ret, slot, params, sym, alt, since, until, need, cap)
 *   lib    DL_LIB_SSL or DL_LIB_CRYPTO: which library exports it.  On ELF the
 *          libssl handle also finds libcrypto's symbols; on Windows it does not.
 *   ret, params
 *          the prototype, as in OpenSSL 3.0's headers.
 *   slot   the member name in the table.  Usually the symbol's name; a symbol
 *          whose prototype changed between versions gets one slot per
 *          prototype (e.g. SSL_CTX_set_options_u64 / _ul).
 *   sym    the symbol to bind.
 *   alt    "" or an older name tried when sym is absent (an alias: the
 *          pairs SSL_get1_peer_certificate/SSL_get_peer_certificate,
 *          OpenSSL_version_num/SSLeay, TLS_method/SSLv23_method, ...).
 *   since, until
 *          the OpenSSL versions [since, until) the slot applies to; outside
 *          that range it is left NULL and not looked up.  LibreSSL is
 *          treated as API level 1.1.1 (see loader.c).
 *   need   DL_REQ: a candidate without it is rejected (every missing name is
 *          reported).  DL_OPT: NULL when absent; code tests the slot or the
 *          capability.  DL_REQ_OSSL: required from OpenSSL, optional from
 *          LibreSSL (where it may be a macro).  DL_LRS: looked up only in
 *          LibreSSL, where it is a function (a macro in OpenSSL).
 *   cap    a DL_CAP_ bit set when the slot is bound, or DL_CAP_NONE.
 *
 * OpenSSL 4.0 (checked against 4.0.2's exports and headers): every name
 * bound for 4.x is exported; what 4.0 removed is only ever an alt for 1.0.2
 * (ASN1_STRING_data, tried only where ASN1_STRING_get0_data is absent); its
 * prototypes differ from 3.0's only in const qualifiers (tests/check_headersets.sh).
 */

#define DL_V(a, b, c) (((unsigned long)(a) << 16) | ((unsigned long)(b) << 8) | (unsigned long)(c))
#define DL_V_ANY DL_V(0, 0, 0)
#define DL_V_MAX DL_V(255, 255, 255)
#define DL_V102 DL_V(1, 0, 2)
#define DL_V110 DL_V(1, 1, 0)
#define DL_V111 DL_V(1, 1, 1)
#define DL_V300 DL_V(3, 0, 0)

#define DLSSL_OSSL_MANIFEST(DL_FN) \
/* Version and initialisation.  Version probes run before anything else. */ \
DL_FN(CRYPTO, unsigned long, OpenSSL_version_num, (void), "OpenSSL_version_num", "SSLeay", DL_V_ANY, DL_V_MAX, DL_REQ, NONE) \
DL_FN(CRYPTO, const char *, OpenSSL_version, (int type), "OpenSSL_version", "SSLeay_version", DL_V_ANY, DL_V_MAX, DL_REQ, NONE) \
DL_FN(CRYPTO, unsigned int, OPENSSL_version_major, (void), "OPENSSL_version_major", "", DL_V300, DL_V_MAX, DL_REQ, NONE) \
DL_FN(CRYPTO, unsigned int, OPENSSL_version_minor, (void), "OPENSSL_version_minor", "", DL_V300, DL_V_MAX, DL_REQ, NONE) \
DL_FN(CRYPTO, unsigned int, OPENSSL_version_patch, (void), "OPENSSL_version_patch", "", DL_V300, DL_V_MAX, DL_REQ, NONE) \
DL_FN(CRYPTO, int, OPENSSL_init_crypto, (uint64_t opts, const OPENSSL_INIT_SETTINGS *settings), "OPENSSL_init_crypto", "", DL_V110, DL_V_MAX, DL_REQ, NONE) \
DL_FN(SSL, int, OPENSSL_init_ssl, (uint64_t opts, const OPENSSL_INIT_SETTINGS *settings), "OPENSSL_init_ssl", "", DL_V110, DL_V_MAX, DL_REQ, NONE) \
DL_FN(SSL, int, SSL_library_init, (void), "SSL_library_init", "", DL_V_ANY, DL_V110, DL_REQ, NONE) \
DL_FN(SSL, void, SSL_load_error_strings, (void), "SSL_load_error_strings", "", DL_V_ANY, DL_V110, DL_REQ, NONE) \
DL_FN(CRYPTO, void, OpenSSL_add_all_digests, (void), "OpenSSL_add_all_digests", "", DL_V_ANY, DL_V110, DL_OPT, NONE) \
DL_FN(CRYPTO, void, RAND_seed, (const void *buf, int num), "RAND_seed", "", DL_V_ANY, DL_V_MAX, DL_REQ, NONE) \
DL_FN(CRYPTO, int, CRYPTO_num_locks, (void), "CRYPTO_num_locks", "", DL_V_ANY, DL_V110, DL_REQ, NONE) \
DL_FN(CRYPTO, void, CRYPTO_set_locking_callback, (dl_locking_fn func), "CRYPTO_set_locking_callback", "", DL_V_ANY, DL_V110, DL_REQ, NONE) \
DL_FN(CRYPTO, int, CRYPTO_THREADID_set_callback, (dl_threadid_fn func), "CRYPTO_THREADID_set_callback", "", DL_V_ANY, DL_V110, DL_REQ, NONE) \
DL_FN(CRYPTO, void, CRYPTO_THREADID_set_numeric, (CRYPTO_THREADID *id, unsigned long val), "CRYPTO_THREADID_set_numeric", "", DL_V_ANY, DL_V110, DL_REQ, NONE) \
DL_FN(CRYPTO, dl_locking_fn, CRYPTO_get_locking_callback, (void), "CRYPTO_get_locking_callback", "", DL_V_ANY, DL_V110, DL_REQ, NONE) \
DL_FN(CRYPTO, void, CRYPTO_free, (void *ptr, const char *file, int line), "CRYPTO_free", "", DL_V110, DL_V_MAX, DL_REQ, NONE) \
DL_FN(CRYPTO, void, CRYPTO_free_legacy, (void *ptr), "CRYPTO_free", "", DL_V_ANY, DL_V110, DL_REQ, NONE) \
DL_FN(CRYPTO, void, OPENSSL_cleanse, (void *ptr, size_t len), "OPENSSL_cleanse", "", DL_V_ANY, DL_V_MAX, DL_REQ, NONE) \
/* The error queue. */ \
DL_FN(CRYPTO, unsigned long, ERR_get_error, (void), "ERR_get_error", "", DL_V_ANY, DL_V_MAX, DL_REQ, NONE) \
DL_FN(CRYPTO, unsigned long, ERR_peek_error, (void), "ERR_peek_error", "", DL_V_ANY, DL_V_MAX, DL_REQ, NONE) \
DL_FN(CRYPTO, unsigned long, ERR_peek_last_error, (void), "ERR_peek_last_error", "", DL_V_ANY, DL_V_MAX, DL_REQ, NONE) \
DL_FN(CRYPTO, void, ERR_error_string_n, (unsigned long e, char *buf, size_t len), "ERR_error_string_n", "", DL_V_ANY, DL_V_MAX, DL_REQ, NONE) \
DL_FN(CRYPTO, void, ERR_clear_error, (void), "ERR_clear_error", "", DL_V_ANY, DL_V_MAX, DL_REQ, NONE) \
DL_FN(CRYPTO, const char *, ERR_reason_error_string, (unsigned long e), "ERR_reason_error_string", "", DL_V_ANY, DL_V_MAX, DL_REQ, NONE) \
/* Random numbers. */ \
DL_FN(CRYPTO, int, RAND_bytes, (unsigned char *buf, int num), "RAND_bytes", "", DL_V_ANY, DL_V_MAX, DL_REQ, NONE) \
DL_FN(CRYPTO, int, RAND_poll, (void), "RAND_poll", "", DL_V_ANY, DL_V_MAX, DL_REQ, NONE) \
DL_FN(CRYPTO, int, RAND_status, (void), "RAND_status", "", DL_V_ANY, DL_V_MAX, DL_REQ, NONE) \
DL_FN(CRYPTO, void, RAND_add, (const void *buf, int num, double randomness), "RAND_add", "", DL_V_ANY, DL_V_MAX, DL_REQ, NONE) \
/* BIO.  The BIO_meth_ API exists since 1.1.0; 1.0.2 streams use a BIO pair. */ \
DL_FN(CRYPTO, BIO *, BIO_new, (const BIO_METHOD *type), "BIO_new", "", DL_V_ANY, DL_V_MAX, DL_REQ, NONE) \
DL_FN(CRYPTO, int, BIO_free, (BIO *a), "BIO_free", "", DL_V_ANY, DL_V_MAX, DL_REQ, NONE) \
DL_FN(CRYPTO, void, BIO_free_all, (BIO *a), "BIO_free_all", "", DL_V_ANY, DL_V_MAX, DL_REQ, NONE) \
DL_FN(CRYPTO, BIO *, BIO_new_socket, (int sock, int close_flag), "BIO_new_socket", "", DL_V_ANY, DL_V_MAX, DL_REQ, NONE) \
DL_FN(CRYPTO, BIO *, BIO_new_mem_buf, (const void *buf, int len), "BIO_new_mem_buf", "", DL_V_ANY, DL_V_MAX, DL_REQ, NONE) \
DL_FN(CRYPTO, const BIO_METHOD *, BIO_s_mem, (void), "BIO_s_mem", "", DL_V_ANY, DL_V_MAX, DL_REQ, NONE) \
DL_FN(CRYPTO, int, BIO_new_bio_pair, (BIO **bio1, size_t writebuf1, BIO **bio2, size_t writebuf2), "BIO_new_bio_pair", "", DL_V_ANY, DL_V_MAX, DL_REQ, NONE) \
DL_FN(CRYPTO, int, BIO_read, (BIO *b, void *data, int dlen), "BIO_read", "", DL_V_ANY, DL_V_MAX, DL_REQ, NONE) \
DL_FN(CRYPTO, int, BIO_write, (BIO *b, const void *data, int dlen), "BIO_write", "", DL_V_ANY, DL_V_MAX, DL_REQ, NONE) \
DL_FN(CRYPTO, long, BIO_ctrl, (BIO *bp, int cmd, long larg, void *parg), "BIO_ctrl", "", DL_V_ANY, DL_V_MAX, DL_REQ, NONE) \
DL_FN(CRYPTO, void, BIO_set_flags, (BIO *b, int flags), "BIO_set_flags", "", DL_V110, DL_V_MAX, DL_REQ, BIO_METH) \
DL_FN(CRYPTO, void, BIO_clear_flags, (BIO *b, int flags), "BIO_clear_flags", "", DL_V110, DL_V_MAX, DL_REQ, BIO_METH) \
DL_FN(CRYPTO, BIO_METHOD *, BIO_meth_new, (int type, const char *name), "BIO_meth_new", "", DL_V110, DL_V_MAX, DL_REQ, BIO_METH) \
DL_FN(CRYPTO, void, BIO_meth_free, (BIO_METHOD *biom), "BIO_meth_free", "", DL_V110, DL_V_MAX, DL_REQ, BIO_METH) \
DL_FN(CRYPTO, int, BIO_meth_set_write, (BIO_METHOD *biom, dl_bio_write_fn write), "BIO_meth_set_write", "", DL_V110, DL_V_MAX, DL_REQ, BIO_METH) \
DL_FN(CRYPTO, int, BIO_meth_set_read, (BIO_METHOD *biom, dl_bio_read_fn read), "BIO_meth_set_read", "", DL_V110, DL_V_MAX, DL_REQ, BIO_METH) \
DL_FN(CRYPTO, int, BIO_meth_set_puts, (BIO_METHOD *biom, dl_bio_puts_fn puts), "BIO_meth_set_puts", "", DL_V110, DL_V_MAX, DL_REQ, BIO_METH) \
DL_FN(CRYPTO, int, BIO_meth_set_ctrl, (BIO_METHOD *biom, dl_bio_ctrl_fn ctrl), "BIO_meth_set_ctrl", "", DL_V110, DL_V_MAX, DL_REQ, BIO_METH) \
DL_FN(CRYPTO, int, BIO_meth_set_create, (BIO_METHOD *biom, dl_bio_create_fn create), "BIO_meth_set_create", "", DL_V110, DL_V_MAX, DL_REQ, BIO_METH) \
DL_FN(CRYPTO, int, BIO_meth_set_destroy, (BIO_METHOD *biom, dl_bio_destroy_fn destroy), "BIO_meth_set_destroy", "", DL_V110, DL_V_MAX, DL_REQ, BIO_METH) \
DL_FN(CRYPTO, void, BIO_set_data, (BIO *a, void *ptr), "BIO_set_data", "", DL_V110, DL_V_MAX, DL_REQ, BIO_METH) \
DL_FN(CRYPTO, void *, BIO_get_data, (BIO *a), "BIO_get_data", "", DL_V110, DL_V_MAX, DL_REQ, BIO_METH) \
DL_FN(CRYPTO, void, BIO_set_init, (BIO *a, int init), "BIO_set_init", "", DL_V110, DL_V_MAX, DL_REQ, BIO_METH) \
DL_FN(CRYPTO, int, BIO_get_new_index, (void), "BIO_get_new_index", "", DL_V110, DL_V_MAX, DL_REQ_OSSL, NONE) \
/* Certificates, keys and names. */ \
DL_FN(CRYPTO, void, X509_free, (X509 *a), "X509_free", "", DL_V_ANY, DL_V_MAX, DL_REQ, NONE) \
DL_FN(CRYPTO, int, X509_up_ref, (X509 *x), "X509_up_ref", "", DL_V110, DL_V_MAX, DL_REQ, NONE) \
DL_FN(CRYPTO, X509 *, X509_dup, (const X509 *x), "X509_dup", "", DL_V_ANY, DL_V_MAX, DL_REQ, NONE) \
DL_FN(CRYPTO, X509 *, d2i_X509, (X509 **a, const unsigned char **in, long len), "d2i_X509", "", DL_V_ANY, DL_V_MAX, DL_REQ, NONE) \
DL_FN(CRYPTO, int, i2d_X509, (const X509 *a, unsigned char **out), "i2d_X509", "", DL_V_ANY, DL_V_MAX, DL_REQ, NONE) \
DL_FN(CRYPTO, X509 *, PEM_read_bio_X509, (BIO *bp, X509 **x, pem_password_cb *cb, void *u), "PEM_read_bio_X509", "", DL_V_ANY, DL_V_MAX, DL_REQ, NONE) \
DL_FN(CRYPTO, X509 *, PEM_read_bio_X509_AUX, (BIO *bp, X509 **x, pem_password_cb *cb, void *u), "PEM_read_bio_X509_AUX", "", DL_V_ANY, DL_V_MAX, DL_REQ, NONE) \
DL_FN(CRYPTO, EVP_PKEY *, PEM_read_bio_PrivateKey, (BIO *bp, EVP_PKEY **x, pem_password_cb *cb, void *u), "PEM_read_bio_PrivateKey", "", DL_V_ANY, DL_V_MAX, DL_REQ, NONE) \
DL_FN(CRYPTO, EVP_PKEY *, d2i_AutoPrivateKey, (EVP_PKEY **a, const unsigned char **pp, long length), "d2i_AutoPrivateKey", "", DL_V_ANY, DL_V_MAX, DL_REQ, NONE) \
DL_FN(CRYPTO, void, EVP_PKEY_free, (EVP_PKEY *pkey), "EVP_PKEY_free", "", DL_V_ANY, DL_V_MAX, DL_REQ, NONE) \
DL_FN(CRYPTO, X509_NAME *, X509_get_subject_name, (const X509 *a), "X509_get_subject_name", "", DL_V_ANY, DL_V_MAX, DL_REQ, NONE) \
DL_FN(CRYPTO, X509_NAME *, X509_get_issuer_name, (const X509 *a), "X509_get_issuer_name", "", DL_V_ANY, DL_V_MAX, DL_REQ, NONE) \
DL_FN(CRYPTO, int, X509_NAME_get_index_by_NID, (const X509_NAME *name, int nid, int lastpos), "X509_NAME_get_index_by_NID", "", DL_V_ANY, DL_V_MAX, DL_REQ, NONE) \
DL_FN(CRYPTO, X509_NAME_ENTRY *, X509_NAME_get_entry, (const X509_NAME *name, int loc), "X509_NAME_get_entry", "", DL_V_ANY, DL_V_MAX, DL_REQ, NONE) \
DL_FN(CRYPTO, ASN1_STRING *, X509_NAME_ENTRY_get_data, (const X509_NAME_ENTRY *ne), "X509_NAME_ENTRY_get_data", "", DL_V_ANY, DL_V_MAX, DL_REQ, NONE) \
DL_FN(CRYPTO, int, ASN1_STRING_to_UTF8, (unsigned char **out, const ASN1_STRING *in), "ASN1_STRING_to_UTF8", "", DL_V_ANY, DL_V_MAX, DL_REQ, NONE) \
DL_FN(CRYPTO, int, ASN1_STRING_length, (const ASN1_STRING *x), "ASN1_STRING_length", "", DL_V_ANY, DL_V_MAX, DL_REQ, NONE) \
DL_FN(CRYPTO, const unsigned char *, ASN1_STRING_get0_data, (const ASN1_STRING *x), "ASN1_STRING_get0_data", "ASN1_STRING_data", DL_V_ANY, DL_V_MAX, DL_REQ, NONE) \
DL_FN(CRYPTO, int, ASN1_STRING_type, (const ASN1_STRING *x), "ASN1_STRING_type", "", DL_V_ANY, DL_V_MAX, DL_REQ, NONE) \
DL_FN(CRYPTO, void *, X509_get_ext_d2i, (const X509 *x, int nid, int *crit, int *idx), "X509_get_ext_d2i", "", DL_V_ANY, DL_V_MAX, DL_REQ, NONE) \
DL_FN(CRYPTO, int, OPENSSL_sk_num, (const OPENSSL_STACK *st), "OPENSSL_sk_num", "sk_num", DL_V_ANY, DL_V_MAX, DL_REQ, NONE) \
DL_FN(CRYPTO, void *, OPENSSL_sk_value, (const OPENSSL_STACK *st, int i), "OPENSSL_sk_value", "sk_value", DL_V_ANY, DL_V_MAX, DL_REQ, NONE) \
DL_FN(CRYPTO, void, GENERAL_NAMES_free, (OPENSSL_STACK *a), "GENERAL_NAMES_free", "", DL_V_ANY, DL_V_MAX, DL_REQ, NONE) \
DL_FN(CRYPTO, const ASN1_TIME *, X509_get0_notBefore, (const X509 *x), "X509_get0_notBefore", "", DL_V110, DL_V_MAX, DL_REQ, NONE) \
DL_FN(CRYPTO, const ASN1_TIME *, X509_get0_notAfter, (const X509 *x), "X509_get0_notAfter", "", DL_V110, DL_V_MAX, DL_REQ, NONE) \
DL_FN(CRYPTO, int, ASN1_TIME_diff, (int *pday, int *psec, const ASN1_TIME *from, const ASN1_TIME *to), "ASN1_TIME_diff", "", DL_V_ANY, DL_V_MAX, DL_REQ_OSSL, NONE) \
DL_FN(CRYPTO, int, X509_digest, (const X509 *data, const EVP_MD *type, unsigned char *md, unsigned int *len), "X509_digest", "", DL_V_ANY, DL_V_MAX, DL_REQ, NONE) \
DL_FN(CRYPTO, const EVP_MD *, EVP_get_digestbyname, (const char *name), "EVP_get_digestbyname", "", DL_V_ANY, DL_V_MAX, DL_REQ, NONE) \
DL_FN(CRYPTO, int, X509_check_host, (X509 *x, const char *chk, size_t chklen, unsigned int flags, char **peername), "X509_check_host", "", DL_V102, DL_V_MAX, DL_REQ, HOSTCHECK) \
DL_FN(CRYPTO, int, X509_check_ip, (X509 *x, const unsigned char *chk, size_t chklen, unsigned int flags), "X509_check_ip", "", DL_V102, DL_V_MAX, DL_REQ, HOSTCHECK) \
DL_FN(CRYPTO, int, X509_VERIFY_PARAM_set1_host, (X509_VERIFY_PARAM *param, const char *name, size_t namelen), "X509_VERIFY_PARAM_set1_host", "", DL_V102, DL_V_MAX, DL_REQ, HOSTCHECK) \
DL_FN(CRYPTO, void, X509_VERIFY_PARAM_set_hostflags, (X509_VERIFY_PARAM *param, unsigned int flags), "X509_VERIFY_PARAM_set_hostflags", "", DL_V102, DL_V_MAX, DL_REQ, HOSTCHECK) \
DL_FN(CRYPTO, int, X509_VERIFY_PARAM_set1_ip_asc, (X509_VERIFY_PARAM *param, const char *ipasc), "X509_VERIFY_PARAM_set1_ip_asc", "", DL_V102, DL_V_MAX, DL_REQ, HOSTCHECK) \
DL_FN(CRYPTO, const char *, X509_verify_cert_error_string, (long n), "X509_verify_cert_error_string", "", DL_V_ANY, DL_V_MAX, DL_REQ, NONE) \
DL_FN(CRYPTO, int, X509_STORE_CTX_get_error, (const X509_STORE_CTX *ctx), "X509_STORE_CTX_get_error", "", DL_V_ANY, DL_V_MAX, DL_REQ, NONE) \
DL_FN(CRYPTO, int, X509_STORE_CTX_get_error_depth, (const X509_STORE_CTX *ctx), "X509_STORE_CTX_get_error_depth", "", DL_V_ANY, DL_V_MAX, DL_REQ, NONE) \
DL_FN(CRYPTO, X509 *, X509_STORE_CTX_get_current_cert, (const X509_STORE_CTX *ctx), "X509_STORE_CTX_get_current_cert", "", DL_V_ANY, DL_V_MAX, DL_REQ, NONE) \
DL_FN(CRYPTO, void *, X509_STORE_CTX_get_ex_data, (const X509_STORE_CTX *ctx, int idx), "X509_STORE_CTX_get_ex_data", "", DL_V_ANY, DL_V_MAX, DL_REQ, NONE) \
DL_FN(CRYPTO, int, X509_STORE_add_cert, (X509_STORE *ctx, X509 *x), "X509_STORE_add_cert", "", DL_V_ANY, DL_V_MAX, DL_REQ, NONE) \
DL_FN(CRYPTO, int, X509_STORE_set_flags, (X509_STORE *ctx, unsigned long flags), "X509_STORE_set_flags", "", DL_V_ANY, DL_V_MAX, DL_REQ, NONE) \
DL_FN(CRYPTO, void, X509_STORE_CTX_set_error, (X509_STORE_CTX *ctx, int s), "X509_STORE_CTX_set_error", "", DL_V_ANY, DL_V_MAX, DL_REQ, NONE) \
/* libssl: methods and contexts. */ \
DL_FN(SSL, const SSL_METHOD *, TLS_method, (void), "TLS_method", "SSLv23_method", DL_V_ANY, DL_V_MAX, DL_REQ, NONE) \
DL_FN(SSL, const SSL_METHOD *, TLS_client_method, (void), "TLS_client_method", "SSLv23_client_method", DL_V_ANY, DL_V_MAX, DL_REQ, NONE) \
DL_FN(SSL, const SSL_METHOD *, TLS_server_method, (void), "TLS_server_method", "SSLv23_server_method", DL_V_ANY, DL_V_MAX, DL_REQ, NONE) \
DL_FN(SSL, SSL_CTX *, SSL_CTX_new, (const SSL_METHOD *meth), "SSL_CTX_new", "", DL_V_ANY, DL_V_MAX, DL_REQ, NONE) \
DL_FN(SSL, void, SSL_CTX_free, (SSL_CTX *ctx), "SSL_CTX_free", "", DL_V_ANY, DL_V_MAX, DL_REQ, NONE) \
DL_FN(SSL, int, SSL_CTX_up_ref, (SSL_CTX *ctx), "SSL_CTX_up_ref", "", DL_V110, DL_V_MAX, DL_REQ, NONE) \
DL_FN(SSL, long, SSL_CTX_ctrl, (SSL_CTX *ctx, int cmd, long larg, void *parg), "SSL_CTX_ctrl", "", DL_V_ANY, DL_V_MAX, DL_REQ, NONE) \
DL_FN(SSL, long, SSL_CTX_callback_ctrl, (SSL_CTX *ctx, int cmd, dl_generic_fp fp), "SSL_CTX_callback_ctrl", "", DL_V_ANY, DL_V_MAX, DL_REQ, NONE) \
DL_FN(SSL, uint64_t, SSL_CTX_set_options_u64, (SSL_CTX *ctx, uint64_t op), "SSL_CTX_set_options", "", DL_V300, DL_V_MAX, DL_REQ, NONE) \
DL_FN(SSL, unsigned long, SSL_CTX_set_options_ul, (SSL_CTX *ctx, unsigned long op), "SSL_CTX_set_options", "", DL_V110, DL_V300, DL_REQ_OSSL, NONE) \
DL_FN(SSL, uint64_t, SSL_set_options_u64, (SSL *s, uint64_t op), "SSL_set_options", "", DL_V300, DL_V_MAX, DL_REQ, NONE) \
DL_FN(SSL, unsigned long, SSL_set_options_ul, (SSL *s, unsigned long op), "SSL_set_options", "", DL_V110, DL_V300, DL_REQ_OSSL, NONE) \
DL_FN(SSL, int, SSL_CTX_set_cipher_list, (SSL_CTX *ctx, const char *str), "SSL_CTX_set_cipher_list", "", DL_V_ANY, DL_V_MAX, DL_REQ, NONE) \
DL_FN(SSL, int, SSL_CTX_set_ciphersuites, (SSL_CTX *ctx, const char *str), "SSL_CTX_set_ciphersuites", "", DL_V111, DL_V_MAX, DL_REQ_OSSL, CIPHERSUITES) \
DL_FN(SSL, void, SSL_CTX_set_verify, (SSL_CTX *ctx, int mode, dl_verify_cb callback), "SSL_CTX_set_verify", "", DL_V_ANY, DL_V_MAX, DL_REQ, NONE) \
DL_FN(SSL, void, SSL_CTX_set_verify_depth, (SSL_CTX *ctx, int depth), "SSL_CTX_set_verify_depth", "", DL_V_ANY, DL_V_MAX, DL_REQ, NONE) \
DL_FN(SSL, int, SSL_CTX_load_verify_locations, (SSL_CTX *ctx, const char *CAfile, const char *CApath), "SSL_CTX_load_verify_locations", "", DL_V_ANY, DL_V_MAX, DL_REQ, NONE) \
DL_FN(SSL, int, SSL_CTX_set_default_verify_paths, (SSL_CTX *ctx), "SSL_CTX_set_default_verify_paths", "", DL_V_ANY, DL_V_MAX, DL_REQ, NONE) \
DL_FN(SSL, X509_STORE *, SSL_CTX_get_cert_store, (const SSL_CTX *ctx), "SSL_CTX_get_cert_store", "", DL_V_ANY, DL_V_MAX, DL_REQ, NONE) \
DL_FN(CRYPTO, const char *, X509_get_default_cert_file, (void), "X509_get_default_cert_file", "", DL_V_ANY, DL_V_MAX, DL_REQ, NONE) \
DL_FN(CRYPTO, const char *, X509_get_default_cert_dir, (void), "X509_get_default_cert_dir", "", DL_V_ANY, DL_V_MAX, DL_REQ, NONE) \
DL_FN(SSL, int, SSL_CTX_use_certificate_chain_file, (SSL_CTX *ctx, const char *file), "SSL_CTX_use_certificate_chain_file", "", DL_V_ANY, DL_V_MAX, DL_REQ, NONE) \
DL_FN(SSL, int, SSL_CTX_use_certificate, (SSL_CTX *ctx, X509 *x), "SSL_CTX_use_certificate", "", DL_V_ANY, DL_V_MAX, DL_REQ, NONE) \
DL_FN(SSL, int, SSL_CTX_use_PrivateKey, (SSL_CTX *ctx, EVP_PKEY *pkey), "SSL_CTX_use_PrivateKey", "", DL_V_ANY, DL_V_MAX, DL_REQ, NONE) \
DL_FN(SSL, int, SSL_CTX_use_PrivateKey_file, (SSL_CTX *ctx, const char *file, int type), "SSL_CTX_use_PrivateKey_file", "", DL_V_ANY, DL_V_MAX, DL_REQ, NONE) \
DL_FN(SSL, int, SSL_CTX_check_private_key, (const SSL_CTX *ctx), "SSL_CTX_check_private_key", "", DL_V_ANY, DL_V_MAX, DL_REQ, NONE) \
DL_FN(SSL, void, SSL_CTX_set_default_passwd_cb, (SSL_CTX *ctx, pem_password_cb *cb), "SSL_CTX_set_default_passwd_cb", "", DL_V_ANY, DL_V_MAX, DL_REQ, NONE) \
DL_FN(SSL, void, SSL_CTX_set_default_passwd_cb_userdata, (SSL_CTX *ctx, void *u), "SSL_CTX_set_default_passwd_cb_userdata", "", DL_V_ANY, DL_V_MAX, DL_REQ, NONE) \
DL_FN(SSL, int, SSL_CTX_set_alpn_protos, (SSL_CTX *ctx, const unsigned char *protos, unsigned int protos_len), "SSL_CTX_set_alpn_protos", "", DL_V102, DL_V_MAX, DL_REQ, ALPN) \
DL_FN(SSL, void, SSL_CTX_set_alpn_select_cb, (SSL_CTX *ctx, dl_alpn_select_cb cb, void *arg), "SSL_CTX_set_alpn_select_cb", "", DL_V102, DL_V_MAX, DL_REQ, ALPN) \
DL_FN(SSL, int, SSL_CTX_set_session_id_context, (SSL_CTX *ctx, const unsigned char *sid_ctx, unsigned int sid_ctx_len), "SSL_CTX_set_session_id_context", "", DL_V_ANY, DL_V_MAX, DL_REQ, NONE) \
DL_FN(SSL, void, SSL_CTX_sess_set_new_cb, (SSL_CTX *ctx, dl_new_session_cb new_session_cb), "SSL_CTX_sess_set_new_cb", "", DL_V_ANY, DL_V_MAX, DL_REQ, NONE) \
DL_FN(SSL, int, SSL_CTX_set_ex_data, (SSL_CTX *ssl, int idx, void *data), "SSL_CTX_set_ex_data", "", DL_V_ANY, DL_V_MAX, DL_REQ, NONE) \
DL_FN(SSL, void *, SSL_CTX_get_ex_data, (const SSL_CTX *ssl, int idx), "SSL_CTX_get_ex_data", "", DL_V_ANY, DL_V_MAX, DL_REQ, NONE) \
DL_FN(SSL, int, SSL_CTX_set_min_proto_version_fn, (SSL_CTX *ctx, uint16_t version), "SSL_CTX_set_min_proto_version", "", DL_V_ANY, DL_V_MAX, DL_LRS, NONE) \
DL_FN(SSL, int, SSL_CTX_set_max_proto_version_fn, (SSL_CTX *ctx, uint16_t version), "SSL_CTX_set_max_proto_version", "", DL_V_ANY, DL_V_MAX, DL_LRS, NONE) \
/* libssl: connections. */ \
DL_FN(SSL, SSL *, SSL_new, (SSL_CTX *ctx), "SSL_new", "", DL_V_ANY, DL_V_MAX, DL_REQ, NONE) \
DL_FN(SSL, void, SSL_free, (SSL *ssl), "SSL_free", "", DL_V_ANY, DL_V_MAX, DL_REQ, NONE) \
DL_FN(SSL, long, SSL_ctrl, (SSL *ssl, int cmd, long larg, void *parg), "SSL_ctrl", "", DL_V_ANY, DL_V_MAX, DL_REQ, NONE) \
DL_FN(SSL, int, SSL_set_fd, (SSL *s, int fd), "SSL_set_fd", "", DL_V_ANY, DL_V_MAX, DL_REQ, NONE) \
DL_FN(SSL, void, SSL_set_bio, (SSL *s, BIO *rbio, BIO *wbio), "SSL_set_bio", "", DL_V_ANY, DL_V_MAX, DL_REQ, NONE) \
DL_FN(SSL, BIO *, SSL_get_rbio, (const SSL *s), "SSL_get_rbio", "", DL_V_ANY, DL_V_MAX, DL_REQ, NONE) \
DL_FN(SSL, void, SSL_set_connect_state, (SSL *s), "SSL_set_connect_state", "", DL_V_ANY, DL_V_MAX, DL_REQ, NONE) \
DL_FN(SSL, void, SSL_set_accept_state, (SSL *s), "SSL_set_accept_state", "", DL_V_ANY, DL_V_MAX, DL_REQ, NONE) \
DL_FN(SSL, int, SSL_do_handshake, (SSL *s), "SSL_do_handshake", "", DL_V_ANY, DL_V_MAX, DL_REQ, NONE) \
DL_FN(SSL, int, SSL_read, (SSL *ssl, void *buf, int num), "SSL_read", "", DL_V_ANY, DL_V_MAX, DL_REQ, NONE) \
DL_FN(SSL, int, SSL_write, (SSL *ssl, const void *buf, int num), "SSL_write", "", DL_V_ANY, DL_V_MAX, DL_REQ, NONE) \
DL_FN(SSL, int, SSL_peek, (SSL *ssl, void *buf, int num), "SSL_peek", "", DL_V_ANY, DL_V_MAX, DL_REQ, NONE) \
DL_FN(SSL, int, SSL_pending, (const SSL *s), "SSL_pending", "", DL_V_ANY, DL_V_MAX, DL_REQ, NONE) \
DL_FN(SSL, int, SSL_shutdown, (SSL *s), "SSL_shutdown", "", DL_V_ANY, DL_V_MAX, DL_REQ, NONE) \
DL_FN(SSL, int, SSL_get_shutdown, (const SSL *ssl), "SSL_get_shutdown", "", DL_V_ANY, DL_V_MAX, DL_REQ, NONE) \
DL_FN(SSL, void, SSL_set_shutdown, (SSL *ssl, int mode), "SSL_set_shutdown", "", DL_V_ANY, DL_V_MAX, DL_REQ, NONE) \
DL_FN(SSL, int, SSL_get_error, (const SSL *s, int ret_code), "SSL_get_error", "", DL_V_ANY, DL_V_MAX, DL_REQ, NONE) \
DL_FN(SSL, void, SSL_set_verify, (SSL *s, int mode, dl_verify_cb callback), "SSL_set_verify", "", DL_V_ANY, DL_V_MAX, DL_REQ, NONE) \
DL_FN(SSL, long, SSL_get_verify_result, (const SSL *ssl), "SSL_get_verify_result", "", DL_V_ANY, DL_V_MAX, DL_REQ, NONE) \
DL_FN(SSL, X509_VERIFY_PARAM *, SSL_get0_param, (SSL *ssl), "SSL_get0_param", "", DL_V102, DL_V_MAX, DL_REQ, HOSTCHECK) \
DL_FN(SSL, int, SSL_get_ex_data_X509_STORE_CTX_idx, (void), "SSL_get_ex_data_X509_STORE_CTX_idx", "", DL_V_ANY, DL_V_MAX, DL_REQ, NONE) \
DL_FN(SSL, int, SSL_set_ex_data, (SSL *ssl, int idx, void *data), "SSL_set_ex_data", "", DL_V_ANY, DL_V_MAX, DL_REQ, NONE) \
DL_FN(SSL, void *, SSL_get_ex_data, (const SSL *ssl, int idx), "SSL_get_ex_data", "", DL_V_ANY, DL_V_MAX, DL_REQ, NONE) \
DL_FN(SSL, int, SSL_set_cipher_list, (SSL *s, const char *str), "SSL_set_cipher_list", "", DL_V_ANY, DL_V_MAX, DL_REQ, NONE) \
DL_FN(SSL, int, SSL_use_certificate, (SSL *ssl, X509 *x), "SSL_use_certificate", "", DL_V_ANY, DL_V_MAX, DL_REQ, NONE) \
DL_FN(SSL, int, SSL_use_PrivateKey, (SSL *ssl, EVP_PKEY *pkey), "SSL_use_PrivateKey", "", DL_V_ANY, DL_V_MAX, DL_REQ, NONE) \
DL_FN(SSL, int, SSL_check_private_key, (const SSL *ssl), "SSL_check_private_key", "", DL_V_ANY, DL_V_MAX, DL_REQ, NONE) \
DL_FN(SSL, int, SSL_set_alpn_protos, (SSL *ssl, const unsigned char *protos, unsigned int protos_len), "SSL_set_alpn_protos", "", DL_V102, DL_V_MAX, DL_REQ, ALPN) \
DL_FN(SSL, void, SSL_get0_alpn_selected, (const SSL *ssl, const unsigned char **data, unsigned int *len), "SSL_get0_alpn_selected", "", DL_V102, DL_V_MAX, DL_REQ, ALPN) \
DL_FN(SSL, const char *, SSL_get_servername, (const SSL *s, const int type), "SSL_get_servername", "", DL_V_ANY, DL_V_MAX, DL_REQ, NONE) \
DL_FN(SSL, SSL_CTX *, SSL_set_SSL_CTX, (SSL *ssl, SSL_CTX *ctx), "SSL_set_SSL_CTX", "", DL_V_ANY, DL_V_MAX, DL_REQ, NONE) \
DL_FN(SSL, SSL_CTX *, SSL_get_SSL_CTX, (const SSL *ssl), "SSL_get_SSL_CTX", "", DL_V_ANY, DL_V_MAX, DL_REQ, NONE) \
DL_FN(SSL, X509 *, SSL_get1_peer_certificate, (const SSL *s), "SSL_get1_peer_certificate", "SSL_get_peer_certificate", DL_V_ANY, DL_V_MAX, DL_REQ, NONE) \
DL_FN(SSL, OPENSSL_STACK *, SSL_get_peer_cert_chain, (const SSL *s), "SSL_get_peer_cert_chain", "", DL_V_ANY, DL_V_MAX, DL_REQ, NONE) \
DL_FN(SSL, const char *, SSL_get_version, (const SSL *s), "SSL_get_version", "", DL_V_ANY, DL_V_MAX, DL_REQ, NONE) \
DL_FN(SSL, int, SSL_version, (const SSL *ssl), "SSL_version", "", DL_V_ANY, DL_V_MAX, DL_REQ, NONE) \
DL_FN(SSL, const SSL_CIPHER *, SSL_get_current_cipher, (const SSL *s), "SSL_get_current_cipher", "", DL_V_ANY, DL_V_MAX, DL_REQ, NONE) \
DL_FN(SSL, const char *, SSL_CIPHER_get_name, (const SSL_CIPHER *c), "SSL_CIPHER_get_name", "", DL_V_ANY, DL_V_MAX, DL_REQ, NONE) \
DL_FN(SSL, int, SSL_session_reused, (const SSL *s), "SSL_session_reused", "", DL_V110, DL_V_MAX, DL_REQ_OSSL, NONE) \
DL_FN(SSL, SSL_SESSION *, SSL_get1_session, (SSL *ssl), "SSL_get1_session", "", DL_V_ANY, DL_V_MAX, DL_REQ, NONE) \
DL_FN(SSL, int, SSL_set_session, (SSL *to, SSL_SESSION *session), "SSL_set_session", "", DL_V_ANY, DL_V_MAX, DL_REQ, NONE) \
DL_FN(SSL, void, SSL_SESSION_free, (SSL_SESSION *ses), "SSL_SESSION_free", "", DL_V_ANY, DL_V_MAX, DL_REQ, NONE) \
/* dlssl's own policy (src/policy.c): security level, names, the chain checks. */ \
/* Security levels: OpenSSL 1.1.0+, LibreSSL 3.6+ (optional there; NULL on 3.2). */ \
DL_FN(SSL, void, SSL_CTX_set_security_level, (SSL_CTX *ctx, int level), "SSL_CTX_set_security_level", "", DL_V110, DL_V_MAX, DL_REQ_OSSL, NONE) \
/* OpenSSL 1.1.1+ only (1.0.2 only with ssl-trace, LibreSSL never): NULL elsewhere. */ \
DL_FN(SSL, const char *, SSL_CIPHER_standard_name, (const SSL_CIPHER *c), "SSL_CIPHER_standard_name", "", DL_V111, DL_V_MAX, DL_REQ_OSSL, NONE) \
/* uint32_t from OpenSSL 1.1.0, unsigned long in 1.0.2 and LibreSSL: dlssl__ossl_cipher_id(). */ \
DL_FN(SSL, uint32_t, SSL_CIPHER_get_id, (const SSL_CIPHER *c), "SSL_CIPHER_get_id", "", DL_V110, DL_V_MAX, DL_REQ_OSSL, NONE) \
DL_FN(SSL, unsigned long, SSL_CIPHER_get_id_ul, (const SSL_CIPHER *c), "SSL_CIPHER_get_id", "", DL_V_ANY, DL_V110, DL_REQ, NONE) \
DL_FN(SSL, unsigned long, SSL_CIPHER_get_id_lrs, (const SSL_CIPHER *c), "SSL_CIPHER_get_id", "", DL_V_ANY, DL_V_MAX, DL_LRS, NONE) \
DL_FN(CRYPTO, OPENSSL_STACK *, X509_STORE_CTX_get0_chain, (const X509_STORE_CTX *ctx), "X509_STORE_CTX_get0_chain", "X509_STORE_CTX_get_chain", DL_V_ANY, DL_V_MAX, DL_REQ, NONE) \
DL_FN(CRYPTO, OPENSSL_STACK *, X509_STORE_CTX_get0_untrusted, (const X509_STORE_CTX *ctx), "X509_STORE_CTX_get0_untrusted", "", DL_V110, DL_V_MAX, DL_OPT, NONE) \
DL_FN(CRYPTO, X509_VERIFY_PARAM *, X509_STORE_CTX_get0_param, (const X509_STORE_CTX *ctx), "X509_STORE_CTX_get0_param", "", DL_V_ANY, DL_V_MAX, DL_REQ, NONE) \
DL_FN(CRYPTO, int, X509_VERIFY_PARAM_get_depth, (const X509_VERIFY_PARAM *param), "X509_VERIFY_PARAM_get_depth", "", DL_V_ANY, DL_V_MAX, DL_REQ, NONE) \
DL_FN(CRYPTO, EVP_PKEY *, X509_get_pubkey, (X509 *x), "X509_get_pubkey", "", DL_V_ANY, DL_V_MAX, DL_REQ, NONE) \
/* Renamed in 3.0 (the old names are macros there): the old names before 3.0 and in LibreSSL. */ \
DL_FN(CRYPTO, int, EVP_PKEY_get_bits, (const EVP_PKEY *pkey), "EVP_PKEY_get_bits", "EVP_PKEY_bits", DL_V_ANY, DL_V_MAX, DL_REQ, NONE) \
DL_FN(CRYPTO, int, EVP_PKEY_get_base_id, (const EVP_PKEY *pkey), "EVP_PKEY_get_base_id", "EVP_PKEY_base_id", DL_V_ANY, DL_V_MAX, DL_REQ, NONE) \
DL_FN(CRYPTO, int, X509_get_signature_nid, (const X509 *x), "X509_get_signature_nid", "", DL_V_ANY, DL_V_MAX, DL_REQ, NONE) \
DL_FN(CRYPTO, int, OBJ_find_sigid_algs, (int signid, int *pdig_nid, int *ppkey_nid), "OBJ_find_sigid_algs", "", DL_V_ANY, DL_V_MAX, DL_REQ, NONE) \
DL_FN(CRYPTO, int, X509_check_issued, (X509 *issuer, X509 *subject), "X509_check_issued", "", DL_V_ANY, DL_V_MAX, DL_REQ, NONE) \
DL_FN(CRYPTO, void, BASIC_CONSTRAINTS_free, (BASIC_CONSTRAINTS *a), "BASIC_CONSTRAINTS_free", "", DL_V_ANY, DL_V_MAX, DL_REQ, NONE) \
DL_FN(CRYPTO, long, ASN1_INTEGER_get, (const ASN1_INTEGER *a), "ASN1_INTEGER_get", "", DL_V_ANY, DL_V_MAX, DL_REQ, NONE) \
DL_FN(CRYPTO, int, ASN1_BIT_STRING_get_bit, (const ASN1_BIT_STRING *a, int n), "ASN1_BIT_STRING_get_bit", "", DL_V_ANY, DL_V_MAX, DL_REQ, NONE) \
DL_FN(CRYPTO, void, ASN1_BIT_STRING_free, (ASN1_BIT_STRING *a), "ASN1_BIT_STRING_free", "", DL_V_ANY, DL_V_MAX, DL_REQ, NONE) \
DL_FN(CRYPTO, void, EXTENDED_KEY_USAGE_free, (OPENSSL_STACK *a), "EXTENDED_KEY_USAGE_free", "", DL_V_ANY, DL_V_MAX, DL_REQ, NONE) \
DL_FN(CRYPTO, int, OBJ_obj2nid, (const ASN1_OBJECT *o), "OBJ_obj2nid", "", DL_V_ANY, DL_V_MAX, DL_REQ, NONE) \
DL_FN(SSL, SSL_SESSION *, SSL_get_session, (const SSL *ssl), "SSL_get_session", "", DL_V_ANY, DL_V_MAX, DL_REQ, NONE) \
DL_FN(SSL, int, SSL_SESSION_set1_id_context, (SSL_SESSION *s, const unsigned char *sid_ctx, unsigned int sid_ctx_len), "SSL_SESSION_set1_id_context", "", DL_V_ANY, DL_V_MAX, DL_REQ, NONE) \
DL_FN(SSL, int, SSL_set_session_id_context, (SSL *ssl, const unsigned char *sid_ctx, unsigned int sid_ctx_len), "SSL_set_session_id_context", "", DL_V_ANY, DL_V_MAX, DL_REQ, NONE) \
DL_FN(SSL, X509 *, SSL_get_certificate, (const SSL *ssl), "SSL_get_certificate", "", DL_V_ANY, DL_V_MAX, DL_REQ, NONE) \
/* \
 * ex_data indexes: a macro over CRYPTO_get_ex_new_index in OpenSSL 1.1+, \
 * functions in 1.0.2 and LibreSSL.  The callback types differ (decls.h); \
 * dlssl passes none, but each slot has its version's prototype. \
 */ \
DL_FN(CRYPTO, int, CRYPTO_get_ex_new_index, (int class_index, long argl, void *argp, dl_ex_new_fn *new_func, dl_ex_dup_fn *dup_func, dl_ex_free_fn *free_func), "CRYPTO_get_ex_new_index", "", DL_V300, DL_V_MAX, DL_REQ_OSSL, NONE) \
DL_FN(CRYPTO, int, CRYPTO_get_ex_new_index_111, (int class_index, long argl, void *argp, dl_ex_new_fn *new_func, dl_ex_dup_fn111 *dup_func, dl_ex_free_fn *free_func), "CRYPTO_get_ex_new_index", "", DL_V110, DL_V300, DL_REQ_OSSL, NONE) \
DL_FN(SSL, int, SSL_get_ex_new_index, (long argl, void *argp, dl_ex_new_fn102 *new_func, dl_ex_dup_fn102 *dup_func, dl_ex_free_fn *free_func), "SSL_get_ex_new_index", "", DL_V_ANY, DL_V110, DL_REQ, NONE) \
DL_FN(SSL, int, SSL_CTX_get_ex_new_index, (long argl, void *argp, dl_ex_new_fn102 *new_func, dl_ex_dup_fn102 *dup_func, dl_ex_free_fn *free_func), "SSL_CTX_get_ex_new_index", "", DL_V_ANY, DL_V110, DL_REQ, NONE) \
DL_FN(SSL, int, SSL_get_ex_new_index_lrs, (long argl, void *argp, dl_ex_new_fn102 *new_func, dl_ex_dup_fn102 *dup_func, dl_ex_free_fn *free_func), "SSL_get_ex_new_index", "", DL_V_ANY, DL_V_MAX, DL_LRS, NONE) \
DL_FN(SSL, int, SSL_CTX_get_ex_new_index_lrs, (long argl, void *argp, dl_ex_new_fn102 *new_func, dl_ex_dup_fn102 *dup_func, dl_ex_free_fn *free_func), "SSL_CTX_get_ex_new_index", "", DL_V_ANY, DL_V_MAX, DL_LRS, NONE)

/* Capability bits: set when a slot tagged with them was bound. */
#define DLSSL_OSSL_CAPS(X) \
X(BIO_METH) \
X(HOSTCHECK) \
X(ALPN) \
X(CIPHERSUITES)
