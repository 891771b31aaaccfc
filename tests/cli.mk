# tests/cli.mk: the dlssl command end to end, the examples and the man pages.
#
#   tests/check_cli_demo.sh     dlssl demo; usage errors and exit codes
#   tests/check_cli_connect.sh  dlssl connect against openssl s_server
#   tests/check_cli_serve.sh    dlssl serve with s_client, curl, dlssl connect
#   tests/check_cli_get.sh      dlssl get: close-delimited, Content-Length,
#                               chunked, redirects, statuses
#   tests/check_cli_x509.sh     dlssl x509 and check-host against openssl x509
#   tests/check_cli_gnutls.sh   interoperation with gnutls-serv / gnutls-cli
#   tests/check_cli_libdir.sh   DLSSL_LIBDIR finds every real build (LibreSSL's
#                               sonames too); BoringSSL refused
#   tests/check_examples.sh     the programs of examples/ against loopback peers
#   tests/check_man.sh          the man pages: lint, links, every export found
#                               (see man/man.mk)
#
# All are shell scripts (run with $(SHELL), never under valgrind) sharing
# tests/cli_lib.sh; each skips (77) when a peer tool is missing.  Servers
# they start listen on 127.0.0.1 or ::1 only, are bounded by timeout(1) and
# are killed when the script exits.
CLI_TESTS = \
	tests/check_cli_demo.sh \
	tests/check_cli_connect.sh \
	tests/check_cli_serve.sh \
	tests/check_cli_get.sh \
	tests/check_cli_x509.sh \
	tests/check_cli_gnutls.sh \
	tests/check_cli_libdir.sh \
	tests/check_examples.sh \
	tests/check_man.sh
TESTS += $(CLI_TESTS)
EXTRA_DIST += $(CLI_TESTS) tests/cli_lib.sh
