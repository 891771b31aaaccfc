/*
 * The built-in test PKI of `dlssl demo`: a CA and a server certificate for
 * localhost, 127.0.0.1 and ::1, EC P-256, valid from 2020-01-01 to
 * 2070-01-01 (50 years).  Test material only: the CA's key was thrown away,
 * and the server key is public, so nothing here protects anything.
 *
 * Made once with OpenSSL 3.0's openssl(1), in an empty directory:
 *
 *   mkdir db && : > db/index.txt && echo 01 > db/serial
 *   cat > ca.cnf <<EOF
 *   [ca]
 *   default_ca = demo
 *   [demo]
 *   database = db/index.txt
 *   new_certs_dir = db
 *   serial = db/serial
 *   default_md = sha256
 *   policy = any
 *   copy_extensions = none
 *   unique_subject = no
 *   preserve = yes
 *   [any]
 *   commonName = supplied
 *   organizationName = optional
 *   [ca_ext]
 *   basicConstraints = critical,CA:TRUE
 *   keyUsage = critical,keyCertSign,cRLSign
 *   subjectKeyIdentifier = hash
 *   [server_ext]
 *   basicConstraints = critical,CA:FALSE
 *   keyUsage = critical,digitalSignature
 *   extendedKeyUsage = serverAuth
 *   subjectKeyIdentifier = hash
 *   authorityKeyIdentifier = keyid:always
 *   subjectAltName = DNS:localhost,IP:127.0.0.1,IP:::1
 *   EOF
 *   openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out ca.key
 *   openssl req -new -key ca.key -subj "/O=dlssl demo/CN=dlssl demo CA" -out ca.csr
 *   openssl ca -batch -config ca.cnf -selfsign -keyfile ca.key -in ca.csr \
 *       -extensions ca_ext -startdate 20200101000000Z -enddate 20700101000000Z \
 *       -out ca.crt -notext
 *   openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out server.key
 *   openssl req -new -key server.key -subj "/O=dlssl demo/CN=localhost" -out server.csr
 *   openssl ca -batch -config ca.cnf -cert ca.crt -keyfile ca.key -in server.csr \
 *       -extensions server_ext -startdate 20200101000000Z -enddate 20700101000000Z \
 *       -out server.crt -notext
 *
 * and the PEM text of ca.crt, server.crt and server.key pasted below.
 */
#include "demo_pki.h"

const char demo_ca_pem[] =
	"-----BEGIN CERTIFICATE-----\n"
	"MIIBjTCCATOgAwIBAgIBATAKBggqhkjOPQQDAjAtMRYwFAYDVQQDDA1kbHNzbCBk\n"
	"ZW1vIENBMRMwEQYDVQQKDApkbHNzbCBkZW1vMCAXDTIwMDEwMTAwMDAwMFoYDzIw\n"
	"NzAwMTAxMDAwMDAwWjAtMRYwFAYDVQQDDA1kbHNzbCBkZW1vIENBMRMwEQYDVQQK\n"
	"DApkbHNzbCBkZW1vMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAExMfOzVDbpd3Y\n"
	"AdDDXmDnf7wpuCzlBD64yu3TlpKUehwT7rijIU/Yw1g4CwBwi9rXrTQ5GgDoGVJa\n"
	"gq1dH4w+wKNCMEAwDwYDVR0TAQH/BAUwAwEB/zAOBgNVHQ8BAf8EBAMCAQYwHQYD\n"
	"VR0OBBYEFH7+n3f3YsAo+4ZPZ0ermwXjzLcQMAoGCCqGSM49BAMCA0gAMEUCIHho\n"
	"u3QTnACAjw5/WUsHZE0bAupxCckKqGlllvHRUX7yAiEAi61TP/FzyNdrmpdB8CXj\n"
	"/aokijMsgkecw5UBcukJNcU=\n"
	"-----END CERTIFICATE-----\n";

const char demo_server_cert_pem[] =
	"-----BEGIN CERTIFICATE-----\n"
	"MIIB7DCCAZKgAwIBAgIBAjAKBggqhkjOPQQDAjAtMRYwFAYDVQQDDA1kbHNzbCBk\n"
	"ZW1vIENBMRMwEQYDVQQKDApkbHNzbCBkZW1vMCAXDTIwMDEwMTAwMDAwMFoYDzIw\n"
	"NzAwMTAxMDAwMDAwWjApMRIwEAYDVQQDDAlsb2NhbGhvc3QxEzARBgNVBAoMCmRs\n"
	"c3NsIGRlbW8wWTATBgcqhkjOPQIBBggqhkjOPQMBBwNCAASth4m6KY5rx9/Z8njt\n"
	"2xh2idH6uLb0kCu1SPFyekMUQ5MiAVJsyNNJM6VZBZ5gOPm4lg78iQVdkclYMRCM\n"
	"hct/o4GkMIGhMAwGA1UdEwEB/wQCMAAwDgYDVR0PAQH/BAQDAgeAMBMGA1UdJQQM\n"
	"MAoGCCsGAQUFBwMBMB0GA1UdDgQWBBSgWVSHvZ4qo+8ES1AaIRQbVKLXzDAfBgNV\n"
	"HSMEGDAWgBR+/p9392LAKPuGT2dHq5sF48y3EDAsBgNVHREEJTAjgglsb2NhbGhv\n"
	"c3SHBH8AAAGHEAAAAAAAAAAAAAAAAAAAAAEwCgYIKoZIzj0EAwIDSAAwRQIgLX/B\n"
	"3zaq0gWEBbEBg6XB/Q7LoR6IuJkzVMFYIT2WlhoCIQCfxv5X1LOQ80Az+hVIl/0z\n"
	"Ycs6KyW01D5jE3DdGuuv/A==\n"
	"-----END CERTIFICATE-----\n";

const char demo_server_key_pem[] =
	"-----BEGIN PRIVATE KEY-----\n"
	"MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgRaVRVwbNGGCTH7zX\n"
	"RfJIRVjj2ptH1AdIVLjqSSs9af2hRANCAASth4m6KY5rx9/Z8njt2xh2idH6uLb0\n"
	"kCu1SPFyekMUQ5MiAVJsyNNJM6VZBZ5gOPm4lg78iQVdkclYMRCMhct/\n"
	"-----END PRIVATE KEY-----\n";
