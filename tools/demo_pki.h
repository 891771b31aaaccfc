/* The built-in test PKI of dlssl demo (tools/demo_pki.c says how it was made). */
#ifndef DLSSL_TOOLS_DEMO_PKI_H
#define DLSSL_TOOLS_DEMO_PKI_H

/* The CA that signed the server certificate (PEM). */
extern const char demo_ca_pem[];
/* The server certificate: CN=localhost, SAN localhost, 127.0.0.1, ::1 (PEM). */
extern const char demo_server_cert_pem[];
/* Its private key (PEM, unencrypted). */
extern const char demo_server_key_pem[];

#endif
